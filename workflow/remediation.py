"""Remediation assignments that follow the regency compliance lifecycle.

workflow reads compliance's transition log (workflow.log_consumer, in commit order, from a
stored position) and applies each row here; compliance never imports workflow:
- flag, suspend: open a remediation directive to the regency's regent or mayor (on
  suspend, in the name of the director who ordered the cut, when the operators confirm it);
- submit_remediation: the open remediation assignments of the case count as submitted;
- reject_remediation: they are returned;
- clear: the case is closed: submitted ones are verified, the rest withdrawn.
Applying a row is idempotent: each directive carries a unique origin key (case and log
row), so a row applied again never opens a second one, and an assignment moves only when
its state allows the move (an assignment already submitted, returned, verified or withdrawn
stays as it is).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from compliance.models import TransitionLog

from .messages import Message
from .models import (
    Assignment,
    AssignmentState,
    Directive,
    EscalationPolicy,
)
from .system_directives import move_automatically, open_system_directive

logger = logging.getLogger(__name__)
# "approve_suspension" is how the log named the cut before access orders (compliance
# migration 0012): a row of a case still open from then opens its directive all the same.
OPENING = {"flag", "suspend", "approve_suspension"}
# The transitions that move the case's open remediation assignments (follow_case).
FOLLOWING = {"submit_remediation", "reject_remediation", "clear"}

# The Dukcapil track for a flag (a Director General's warning letter at once, then, if
# the deadline passes with the regency still flagged, a request for a director to decide
# on its SIAK access); a suspended regency's remediation is followed up without another
# request (it is already cut off).
POLICY = {
    "flag": "hak-akses-siak",
    "suspend": "tindak-lanjut",
    "approve_suspension": "tindak-lanjut",
}

_TEXT = {
    "flag": (
        "Perbaikan pelanggaran kepatuhan {name}",
        "{name} ditandai melanggar: {reason}. Sampaikan pernyataan perbaikan untuk setiap "
        "pelanggaran beserta dokumen bukti.",
    ),
    "suspend": (
        "Pemulihan akses SIAK {name}",
        "Akses {name} ke SIAK pusat diputus. Sampaikan perbaikan untuk setiap pelanggaran "
        "beserta dokumen bukti agar akses dapat dipulihkan.",
    ),
}
_TEXT["approve_suspension"] = _TEXT["suspend"]


def origin_key(log: TransitionLog) -> str:
    return f"remediation:case:{log.case_id}:log:{log.pk}"


def is_remediation_directive(directive: Directive) -> bool:
    """Whether the directive is one this module opened: answered by the regency's
    remediation (statements and evidence), not by a report."""
    return (directive.origin_key or "").startswith("remediation:case:")


def open_remediation_directive(log: TransitionLog) -> Directive | None:
    """The remediation directive for a flag or suspension log row; None if it exists."""
    if log.transition not in OPENING or log.office_id is None:
        return None
    regency = log.regency
    local_day = timezone.localdate(log.at, regency.province.zoneinfo)
    title, body = _TEXT[log.transition]
    # A cut is carried out by an operator; the directive is the deciding director's.
    payload = log.payload or {}
    opened = open_system_directive(
        origin_key=origin_key(log),
        regency=regency,
        title=title.format(name=regency.name),
        # The reason is a sentence of its own; the body adds its full stop.
        body=body.format(name=regency.name, reason=log.reason.rstrip(". ")),
        legal_basis=payload.get("legal_basis") or "UU 24/2013 Pasal 83A",
        due_date=local_day + dt.timedelta(days=settings.REMEDIATION_DUE_DAYS),
        at=log.at,
        policy=EscalationPolicy.objects.filter(slug=POLICY[log.transition]).first(),
        issuing_office_id=payload.get("decided_office") or log.office_id,
        created_by_id=payload.get("decided_by") or log.actor_id,
    )
    return opened and opened[0]


def _case_assignments(case_id: int | None) -> QuerySet[Assignment]:
    return Assignment.objects.select_for_update().filter(
        directive__origin_key__startswith=f"remediation:case:{case_id}:"
    )


def follow_case(log: TransitionLog) -> None:
    """Move the case's remediation assignments with the regency's lifecycle; a move the
    assignment is already past is skipped, so following the same row twice changes nothing."""
    at = log.at
    with transaction.atomic():
        for a in _case_assignments(log.case_id):
            if log.transition == "submit_remediation":
                move_automatically(a, "acknowledge", "acknowledge", at)
                moved = move_automatically(
                    a, "submit", "submit", at, Message("remediation_submitted")
                )
                if moved:
                    a.acknowledged_at = a.acknowledged_at or at
                    a.submitted_at = at
            elif log.transition == "reject_remediation":
                moved = move_automatically(a, "return_for_rework", "return", at, log.reason)
            elif log.transition == "clear":
                if a.state == AssignmentState.SUBMITTED:
                    moved = move_automatically(a, "verify", "verify", at, Message("case_closed"))
                else:
                    moved = move_automatically(
                        a, "withdraw", "withdraw", at, Message("case_closed")
                    )
            else:
                return
            if moved:
                a.save()


def apply(log: TransitionLog) -> None:
    """What one transition log row asks of workflow (any transition: those that ask
    nothing are passed over); idempotent."""
    if log.transition in OPENING:
        open_remediation_directive(log)
    elif log.transition in FOLLOWING and log.case_id:
        follow_case(log)
