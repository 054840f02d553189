"""The compliance use cases, one function each (STYLE.md point 1).

Each runs inside one transaction: lock the regency row, check the rules, run the
django-fsm transition, save, write the TransitionLog row, and announce the change on
commit. API, admin, pages and tasks call these and nothing else.
"""

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import access, compiled, state_rules, transitions

# The decisions on SIAK access and their execution live in compliance.access; callers
# reach every use case through this module.
from .access import (  # noqa: F401
    approve_suspension,
    execute_access_order,
    reconnect_regency,
    reject_suspension,
)
from .errors import Conflict, InvalidInput
from .evidence import inspect_upload, stored_name
from .fsm import may_proceed
from .i18n import reason_fields
from .messages import Message
from .models import (
    ComplianceCase,
    ComplianceState,
    EvidenceDocument,
    Office,
    Regency,
    Remediation,
    RemediationStatement,
    RemediationStatus,
    RequestStatus,
    SuspensionRequest,
    TransitionLog,
    Violation,
    ViolationKind,
)
from .permissions import authorize

S = ComplianceState
_locked, _open_case = transitions.locked, transitions.open_case
_run_transition, _require = transitions.run_transition, transitions.require


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py)
@transaction.atomic
def flag_regency(
    *,
    regency: Regency,
    actor: User,
    kind: str,
    description: str,
    legal_basis: str,
    at: dt.datetime | None = None,
) -> Violation:
    """Open a case (or add a violation to the open one) and flag the regency.

    `at` (all services take it) is the instant recorded; the demo loads history with it."""
    at = at or timezone.now()
    office = authorize(actor, "flag", regency)
    if kind not in ViolationKind.values:
        raise InvalidInput(
            Message("invalid_violation_kind", choices=", ".join(ViolationKind.values)),
            errors={"kind": ["invalid_choice"]},
        )
    _require(description, "description", Message("description_required"))
    _require(legal_basis, "legal_basis", Message("legal_basis_required"))
    regency = _locked(regency)
    _allow(state_rules.refusal("flag", regency))
    case = _open_case(regency) or ComplianceCase.objects.create(regency=regency, opened_at=at)
    violation = Violation.objects.create(
        case=case,
        kind=kind,
        description=description,
        legal_basis=legal_basis,
        flagged_by=actor,
        flagged_office=office,
        flagged_at=at,
    )
    payload = {"violation": violation.pk, "kind": kind, "legal_basis": legal_basis}
    if regency.state in (S.COMPLIANT, S.RECONNECTED):
        _run_transition(
            regency,
            "flag",
            actor=actor,
            office=office,
            reason=description,
            payload=payload,
            case=case,
            at=at,
        )
    return violation


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), the escalation sweep (a round's)
@transaction.atomic
def request_suspension(
    *, regency: Regency, actor: User, reason: str, at: dt.datetime | None = None
) -> SuspensionRequest:
    office = authorize(actor, "request_suspension", regency)
    _require(reason, "reason", Message("reason_required"))
    return _open_request(_locked(regency), actor, office, reason, at)


def _allow(refused: Message | None) -> None:
    """A state rule's refusal (compliance.state_rules) as the Conflict it is."""
    if refused is not None:
        raise Conflict(refused)


def _open_request(
    regency: Regency,
    actor: User | None,
    office: Office,
    reason: str,
    at: dt.datetime | None,
) -> SuspensionRequest:
    pending = regency.suspension_requests.filter(status=RequestStatus.PENDING).first()
    reads = transitions.held(regency)
    order = access.issued_order_held(regency, reads)
    _allow(state_rules.refusal("request_suspension", regency, pending=pending, order=order))
    return SuspensionRequest.objects.create(
        regency=regency,
        case=cast(ComplianceCase, reads.open_case),  # a flagged regency has one
        **reason_fields(reason),  # a Message from the system: its code and parameters too
        requested_by=actor,
        requested_office=office,
        requested_at=at or timezone.now(),
    )


def request_suspension_for_directive(
    *, regency: Regency, office: Office, reason: str, at: dt.datetime | None = None
) -> SuspensionRequest | None:
    """The system raises a request on behalf of the directive's issuing office when a
    "hak akses SIAK" deadline passes; a director still decides. Returns None when there is
    nothing to request (not flagged, or a request already pending)."""
    with transaction.atomic():
        locked = _locked(regency)
        try:
            with transaction.atomic():
                return _open_request(locked, None, office, reason, at)
        except Conflict:
            return None


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), the inbox (with the report the evidence documents)
@transaction.atomic
def upload_evidence(
    *,
    regency: Regency,
    actor: User,
    file: File | None,
    description: str = "",
    at: dt.datetime | None = None,
) -> EvidenceDocument:
    authorize(actor, "upload_evidence", regency)
    if file is None:
        raise InvalidInput(Message("file_required"), errors={"file": ["required"]})
    mime, sha256 = inspect_upload(file)
    original_name = getattr(file, "name", "evidence")[:255]
    file.name = stored_name(original_name, mime)
    return EvidenceDocument.objects.create(
        regency=regency,
        file=file,
        original_name=original_name,
        content_type=mime,
        size=file.size,
        sha256=sha256,
        description=description,
        uploaded_by=actor,
        uploaded_at=at or timezone.now(),
    )


def _check_statements(
    open_violations: list[int],
    statements: Sequence[Mapping[str, Any]] | None,
    known_documents: set[int],
) -> dict[Any, tuple[int, Mapping[str, Any]]]:
    """Every open violation (its id) needs a statement and at least one of this regency's
    documents (`known_documents`: the ids among those named that are the regency's)."""
    by_violation, errors = {}, {}
    for i, entry in enumerate(statements or []):
        if entry.get("violation") in by_violation:
            errors[f"statements[{i}].violation"] = ["duplicate"]
        by_violation[entry.get("violation")] = (i, entry)
    for v in open_violations:
        if v not in by_violation:
            errors[f"violation {v}"] = ["statement_missing"]
            continue
        i, entry = by_violation[v]
        if not (entry.get("statement") or "").strip():
            errors[f"statements[{i}].statement"] = ["required"]
        if not entry.get("evidence"):
            errors[f"statements[{i}].evidence"] = ["at_least_one_document"]
    unknown = set(by_violation) - set(open_violations)
    for vid in unknown:
        errors[f"statements[{by_violation[vid][0]}].violation"] = ["not_an_open_violation"]
    for d in _named_documents(statements) - known_documents:
        errors.setdefault("evidence", []).append(f"unknown_document:{d}")
    if errors:
        raise InvalidInput(Message("statements_incomplete"), errors=errors)
    return by_violation


def _named_documents(statements: Sequence[Mapping[str, Any]] | None) -> set[Any]:
    return {d for entry in (statements or []) for d in entry.get("evidence") or []}


def _answered(
    regency: Regency, statements: Sequence[Mapping[str, Any]] | None
) -> tuple[ComplianceCase, list[int], set[int]]:
    """The regency's open case (a flagged or suspended regency has one), its open
    violations' ids in their order, and the ids of the documents the statements name that
    are its own (three reads: the rules of what is open are the models', not repeated in
    SQL)."""
    # an id that is no integer names no document: reported unknown
    ids = [d for d in _named_documents(statements) if type(d) is int]
    case = cast(ComplianceCase, _open_case(regency))
    violations = compiled.read("compliance.services.open_violations", _open_violations, case.pk)
    named = compiled.padded(ids)
    key = ("compliance.services.own_documents", len(named))
    known = set(compiled.read(key, _own_documents, regency.pk, *named)) if ids else set()
    return case, violations, known


def _open_violations(case_id: int) -> "QuerySet[Violation, int]":
    violations = Violation.objects.filter(case_id=case_id, remediated_at__isnull=True)
    return violations.values_list("pk", flat=True)  # in the model's order


def _own_documents(regency_id: int, *ids: int) -> "QuerySet[EvidenceDocument, int]":
    documents = EvidenceDocument.objects.filter(regency_id=regency_id, pk__in=ids)
    return documents.values_list("pk", flat=True)


# On PostgreSQL the remediation, its statements, their evidence links and the violations
# marked in one statement (three round trips less per submission). The rows are the ones
# Python checked and built (_check_statements, Remediation's defaults); the statement only
# moves them. Written out, as the events' (compliance.events): it runs at every submission.
_REMEDIATION_SQL = """
WITH remediation AS (
    INSERT INTO compliance_remediation (case_id, status, submitted_by_id,
        submitted_office_id, submitted_at, decided_at, decision_reason)
    VALUES (%(case)s, %(status)s, %(actor)s, %(office)s, %(at)s, %(decided_at)s, %(reason)s)
    RETURNING id
), answer AS (
    INSERT INTO compliance_remediationstatement (remediation_id, violation_id, statement)
    SELECT remediation.id, (a.value ->> 0)::bigint, a.value ->> 1
    FROM remediation, jsonb_array_elements(%(answers)s::jsonb) WITH ORDINALITY AS a(value, n)
    ORDER BY a.n
    RETURNING id, violation_id
), link AS (
    INSERT INTO compliance_remediationstatement_evidence
        (remediationstatement_id, evidencedocument_id)
    SELECT answer.id, d::bigint
    FROM answer JOIN jsonb_array_elements(%(answers)s::jsonb) AS a(value)
        ON (a.value ->> 0)::bigint = answer.violation_id,
        jsonb_array_elements_text(a.value -> 2) AS d
), marked AS (
    UPDATE compliance_violation SET remediated_at = %(at)s
    WHERE case_id = %(case)s AND id = ANY(%(violations)s)
)
SELECT id FROM remediation
"""


def _write_remediation(remediation: Remediation, answers: list[tuple[int, str, list[int]]]) -> None:
    """Save `remediation` with a statement per (violation id, statement, document ids) and
    mark those violations remediated at its instant; sets its id."""
    case, at = remediation.case, remediation.submitted_at
    violations = [violation for violation, _, _ in answers]
    if connection.vendor != "postgresql":
        remediation.save(force_insert=True)
        written = RemediationStatement.objects.bulk_create(
            [
                RemediationStatement(remediation=remediation, violation_id=v, statement=s)
                for v, s, _ in answers
            ]
        )
        Evidence = RemediationStatement.evidence.through
        Evidence.objects.bulk_create(
            [
                Evidence(remediationstatement_id=statement.pk, evidencedocument_id=d)
                for statement, (_, _, documents) in zip(written, answers, strict=True)
                for d in documents
            ]
        )
        case.violations.filter(pk__in=violations).update(remediated_at=at)
        return
    instant = Remediation._meta.get_field("submitted_at")
    with connection.cursor() as cursor:
        cursor.execute(
            _REMEDIATION_SQL,
            {
                "case": case.pk,
                "status": remediation.status,
                "actor": remediation.submitted_by_id,
                "office": remediation.submitted_office_id,
                "at": instant.get_db_prep_save(at, connection),
                "decided_at": remediation.decided_at,
                "reason": remediation.decision_reason,
                "answers": json.dumps(answers),
                "violations": violations,
            },
        )
        (remediation.pk,) = cursor.fetchone()
    remediation._state.adding, remediation._state.db = False, connection.alias


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), the inbox (with its evidence)
@transaction.atomic
def submit_remediation(
    *,
    regency: Regency,
    actor: User,
    statements: Sequence[Mapping[str, Any]] | None,
    at: dt.datetime | None = None,
) -> Remediation:
    """The regent, mayor or regency Dukcapil head answers every open violation."""
    office = authorize(actor, "submit_remediation", regency)
    regency = _locked(regency)
    if not may_proceed(regency, "submit_remediation"):  # the transition's source=
        raise Conflict(Message("remediation_needs_flagged_or_suspended", state=regency.state))
    case, open_violations, known_documents = _answered(regency, statements)
    by_violation = _check_statements(open_violations, statements, known_documents)
    now = at or timezone.now()
    remediation = Remediation(
        case=case, submitted_by=actor, submitted_office=office, submitted_at=now
    )
    answers = [
        (v, by_violation[v][1]["statement"], list(dict.fromkeys(by_violation[v][1]["evidence"])))
        for v in open_violations
    ]
    _write_remediation(remediation, answers)
    _run_transition(
        regency,
        "submit_remediation",
        actor=actor,
        office=office,
        payload={"remediation": remediation.pk, "violations": open_violations},
        case=case,
        at=now,
    )
    return remediation


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def reject_remediation(
    *, regency: Regency, actor: User, reason: str, at: dt.datetime | None = None
) -> TransitionLog:
    office = authorize(actor, "reject_remediation", regency)
    _require(reason, "reason", Message("reason_required"))
    regency = _locked(regency)
    reads = transitions.held(regency)
    access._refuse_while_issued(regency, "reject", reads)
    case = reads.open_case
    remediation = case and case.remediations.filter(status=RemediationStatus.SUBMITTED).first()
    log = _run_transition(
        regency,
        "reject_remediation",
        actor=actor,
        office=office,
        reason=reason,
        payload={"remediation": remediation.pk if remediation else None},
        case=case,
        at=at,
    )
    if case and remediation:  # (without a case there is no remediation)
        remediation.status, remediation.decided_at = RemediationStatus.REJECTED, log.at
        remediation.decision_reason = reason
        remediation.save(update_fields=["status", "decided_at", "decision_reason"])
        covered = remediation.statements.values_list("violation_id", flat=True)
        case.violations.filter(pk__in=covered).update(remediated_at=None)
    return log


def _accept_remediation(case: ComplianceCase, at: dt.datetime) -> None:
    case.remediations.filter(status=RemediationStatus.SUBMITTED).update(
        status=RemediationStatus.ACCEPTED, decided_at=at
    )


def _close_case(
    regency: Regency,
    actor: User | None,
    office: Office | None,
    reason: Message | str,
    payload: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> TransitionLog:
    case = _open_case(regency)
    log = _run_transition(
        regency,
        "clear",
        actor=actor,
        office=office,
        reason=reason,
        payload=payload,
        case=case,
        at=at,
    )
    if case:
        _accept_remediation(case, log.at)
        access.cancel_for_closed_case(case, log.at)
        # A request nobody decided before the case closed must not cut a later case.
        case.suspension_requests.filter(status=RequestStatus.PENDING).update(
            status=RequestStatus.LAPSED, decided_at=log.at
        )
        case.closed_at = log.at
        case.save(update_fields=["closed_at"])
    return log


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def clear_regency(
    *, regency: Regency, actor: User, reason: str = "", at: dt.datetime | None = None
) -> TransitionLog:
    office = authorize(actor, "clear", regency)
    return _close_case(_locked(regency), actor, office, reason, at=at)


def probation_ends(period_end: dt.datetime) -> dt.datetime:
    return period_end + timedelta(days=settings.PROBATION_DAYS)


def clear_after_probation(*, now: dt.datetime | None = None) -> list[str]:
    """Clear every reconnected regency whose probation has passed; return their codes.

    A new violation during probation flags the regency, so 'still reconnected' means
    'no new violation'. Each regency is cleared in its own transaction."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PROBATION_DAYS)
    due = Regency.objects.filter(state=S.RECONNECTED, suspension_periods__ended_at__lte=cutoff)
    due = due.exclude(suspension_periods__ended_at__gt=cutoff).distinct()
    cleared = []
    for regency in due:
        try:
            with transaction.atomic():
                locked = _locked(regency)
                _close_case(
                    locked,
                    None,
                    None,
                    Message("probation_passed", days=settings.PROBATION_DAYS),
                    payload={"automatic": True, "probation_days": settings.PROBATION_DAYS},
                    at=now,
                )
            cleared.append(regency.code)
        except (Conflict, IntegrityError):
            continue  # changed meanwhile (e.g. flagged again): nothing to clear
    return cleared
