"""A compliance case as whoever decides on it reads it: every violation with who flagged
it, every remediation with its statements and the evidence documents each names (who
uploaded what, when), and the earlier decisions (remediations accepted or rejected,
suspension requests approved, rejected or pending). The pages (approvals queue, regency
page, the regent's own page) and the API read it here, in six queries whatever the
number of cases, violations, statements or documents (five when the cases are given
with their regency: they are not read again)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F, Prefetch, QuerySet

from . import compiled
from .errors import NotFound
from .messages import Message
from .models import (
    ComplianceCase,
    EvidenceDocument,
    Regency,
    Remediation,
    RemediationStatement,
    SuspensionRequest,
    Violation,
)

# Browsers show these themselves; anything else (office documents, TIFF) is downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})

if TYPE_CHECKING:  # django_stubs_ext is a development dependency
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _StatementRow(TypedDict):
        documents: list[EvidenceDocument]  # Prefetch(to_attr=): the documents it names

    StatementRow = WithAnnotations[RemediationStatement, _StatementRow]

    class _RemediationRow(TypedDict):
        statement_rows: list[StatementRow]  # Prefetch(to_attr=)

    RemediationRow = WithAnnotations[Remediation, _RemediationRow]


@dataclass
class CaseFile:
    case: ComplianceCase
    violations: list[Violation] = field(default_factory=list)  # oldest first
    # newest first, .statement_rows each
    remediations: "list[RemediationRow]" = field(default_factory=list)
    requests: list[SuspensionRequest] = field(default_factory=list)  # newest first

    @property
    def under_review(self) -> "RemediationRow | None":
        """The remediation waiting for the ministry's decision, if any."""
        return next((r for r in self.remediations if r.status == "submitted"), None)

    @property
    def documents(self) -> list[EvidenceDocument]:
        """Every document the remediations name, once each, newest first."""
        seen: dict[int, EvidenceDocument] = {}
        for r in self.remediations:
            for s in r.statement_rows:
                for d in s.documents:
                    seen.setdefault(d.pk, d)
        return sorted(seen.values(), key=lambda d: (d.uploaded_at, d.pk), reverse=True)


def case_files(cases: Iterable[ComplianceCase | int | None]) -> dict[int, CaseFile]:
    """{case id: CaseFile} for these cases (ids or ComplianceCase objects)."""
    given = [c for c in cases if c is not None]
    ids = [c.pk if isinstance(c, ComplianceCase) else c for c in given]
    if not ids:
        return {}
    # A case given with its regency (describe()'s open case, latest_case()) is not read again.
    loaded = ComplianceCase.regency.is_cached
    by_id = {c.pk: c for c in given if isinstance(c, ComplianceCase) and loaded(c)}
    missing = [pk for pk in ids if pk not in by_id]
    if missing:
        read = ComplianceCase.objects.filter(pk__in=missing).select_related("regency")
        by_id.update((c.pk, c) for c in read)
    files = {pk: CaseFile(case=case) for pk, case in by_id.items()}
    violations = Violation.objects.filter(case_id__in=by_id).select_related(
        "flagged_by", "flagged_office"
    )
    for v in violations.order_by("flagged_at", "id"):
        files[v.case_id].violations.append(v)
    numbers = {v.pk: n for f in files.values() for n, v in enumerate(f.violations, start=1)}
    documents = EvidenceDocument.objects.select_related("uploaded_by").order_by("uploaded_at", "id")
    statements = RemediationStatement.objects.select_related("violation").prefetch_related(
        Prefetch("evidence", queryset=documents, to_attr="documents")
    )
    remediations = (
        Remediation.objects.filter(case_id__in=by_id)
        .select_related("submitted_by", "submitted_office")
        .prefetch_related(Prefetch("statements", queryset=statements, to_attr="statement_rows"))
        .order_by("-submitted_at", "-id")
    )
    for r in remediations:
        r.case = by_id[r.case_id]  # with its regency: no query per remediation
        r.statement_rows.sort(key=lambda s: (s.violation.flagged_at, s.violation_id))
        for s in r.statement_rows:
            s.number = numbers.get(s.violation_id)  # type: ignore[attr-defined]
            for d in s.documents:
                d.regency = r.case.regency
                d.inline = d.content_type in INLINE_TYPES  # type: ignore[attr-defined]
        files[r.case_id].remediations.append(r)
    requests = (
        SuspensionRequest.objects.filter(case_id__in=by_id)
        .select_related(
            "regency", "requested_by", "requested_office", "decided_by", "decided_office", "period"
        )
        .order_by("-requested_at", "-id")
    )
    for q in requests:
        files[q.case_id].requests.append(q)
    return files


def case_file(case: ComplianceCase | int | None) -> CaseFile | None:
    """The CaseFile of one case, or None."""
    if case is None:
        return None
    return case_files([case])[case.pk if isinstance(case, ComplianceCase) else case]


def get_visible_remediation(user: User | AnonymousUser | None, pk: int) -> Remediation:
    """A remediation of a regency the user's jurisdiction covers (else NotFound)."""
    from .permissions import visible_regencies

    try:
        return Remediation.objects.filter(case__regency__in=visible_regencies(user)).get(pk=pk)
    except Remediation.DoesNotExist:
        raise NotFound(Message("remediation_not_found", pk=pk)) from None


def latest_case(regency: Regency | None) -> ComplianceCase | None:
    """The regency's open case, or else its last closed one (None if it never had one:
    without a query for a regency read knowing so, selectors.visible_with_situation())."""
    if regency is None or regency.__dict__.get("has_cases") is False:
        return None
    found = compiled.read("compliance.case_file.latest_case", _latest, regency.pk)
    for case in found:
        case.regency = regency
    return found[0] if found else None


def _latest(regency_id: int) -> "QuerySet[ComplianceCase]":
    cases = ComplianceCase.objects.filter(regency_id=regency_id)
    return cases.order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-id")[:1]
