"""What the console pages compose from the apps' reads (compliance.selectors,
workflow.selectors): the approvals queue and its count, a regency's story. The
counts themselves are the selectors'; none of these grows its queries with its rows."""

from compliance.models import (
    MINISTRY_KINDS,
    OfficeKind,
    RequestStatus,
)
from compliance.selectors import awaiting_reconnection, history, suspension_requests_for
from workflow.models import StepEvent
from workflow.selectors import pending_extensions, step_letters
from workflow.services import visible_assignments

from ..common import row_reason


def governed_only(offices):
    """A governor's seats, when the user has no ministry office (else None): his approvals
    queue holds only the extension requests under his own directives."""
    governors = [o for o in offices if o.kind == OfficeKind.GOVERNOR]
    if governors and not any(o.kind in MINISTRY_KINDS for o in offices):
        return governors
    return None


def waiting_approval(user, offices):
    """What waits in the user's approvals queue, by section: the page lists these and the
    menu counts them (approvals_count), so the two always agree."""
    governors = governed_only(offices)
    if governors is not None:
        return {"extensions": pending_extensions(user, issued_by=governors)}
    return {
        "suspensions": suspension_requests_for(user, status=RequestStatus.PENDING),
        "reconnections": awaiting_reconnection(user),
        "extensions": pending_extensions(user),
    }


def approvals_count(user, offices):
    """The number of items in the approvals queue, in one query (a UNION ALL of ids)."""
    first, *rest = [
        qs.order_by().values_list("pk") for qs in waiting_approval(user, offices).values()
    ]
    return first.union(*rest, all=True).count() if rest else first.count()


def regency_timeline(user, regency):
    """The regency's story, oldest first: transitions, directives addressed to it and the
    escalation steps fired on them (with their letters). Five queries."""
    logs = list(history(regency))
    for log in logs:
        log.shown_reason = row_reason(log, by=log.actor_id)
    entries = [{"kind": "transition", "at": log.at, "log": log} for log in logs]
    assignments = list(
        visible_assignments(user)
        .filter(regency=regency)
        .select_related("directive", "office", "next_step")
        .order_by("issued_at", "id")
    )
    entries += [{"kind": "directive", "at": a.issued_at, "assignment": a} for a in assignments]
    events = (
        StepEvent.objects.filter(assignment__in=assignments, skipped=False)
        .select_related("step", "assignment__directive")
        .order_by("planned_at", "id")
    )
    letters = step_letters(assignments)
    by_event = {letter.step_event_id: letter for letter in letters}
    entries += [
        {"kind": "step", "at": e.planned_at, "event": e, "letter": by_event.get(e.pk)}
        for e in events
    ]
    entries.sort(key=lambda e: e["at"])  # stable: each source is already in order
    return entries, letters
