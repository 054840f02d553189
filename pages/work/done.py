"""What the user closed in the last 30 days (the done tab of /kerja/), newest first."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.models import (
    MINISTRY_KINDS,
    AccessOrder,
    AccessOrderKind,
    SuspensionRequest,
    TransitionLog,
)
from compliance.offices import active_offices
from workflow.models import AssignmentEvent, AssignmentState, ExtensionRequest, SanctionProposal

from .reads import LIMIT, regency_label

DONE_DAYS = 30


# ------------------------------------------------------------------------------


@dataclass
class Done:
    label: str
    subject: str
    url: str
    at: object
    outcome: str = ""
    directive: str = ""


DONE_LABELS = {
    "suspension": _("Suspension request decided"),
    "extension": _("Extension request decided"),
    "proposal": _("Written warning decided"),
    "order": _("Access order carried out"),
    "restore": _("Reconnection ordered"),
    "assignment": _("Assignment"),
    "regency": _("Compliance case"),
}


def done(user, *, now=None):
    """What the user closed in the last 30 days, newest first: his decisions, the orders he
    issued or carried out, the assignments and cases he moved on (one query per kind)."""
    now = now or timezone.now()
    since = now - timedelta(days=DONE_DAYS)
    rows = []
    for r in SuspensionRequest.objects.filter(
        decided_by=user, decided_at__gte=since
    ).select_related("regency")[:LIMIT]:
        rows.append(
            Done(
                DONE_LABELS["suspension"],
                regency_label(r.regency),
                reverse("console:regency", args=[r.regency.code]),
                r.decided_at,
                r.get_status_display(),
            )
        )
    for e in ExtensionRequest.objects.filter(decided_by=user, decided_at__gte=since).select_related(
        "assignment__directive", "assignment__regency", "assignment__office"
    )[:LIMIT]:
        a = e.assignment
        rows.append(
            Done(
                DONE_LABELS["extension"],
                regency_label(a.regency) if a.regency_id else a.office.title,
                reverse("directives:detail", args=[a.directive_id]),
                e.decided_at,
                e.get_status_display(),
                a.directive.title,
            )
        )
    for p in SanctionProposal.objects.filter(decided_by=user, decided_at__gte=since).select_related(
        "assignment__directive", "assignment__regency", "assignment__office"
    )[:LIMIT]:
        a = p.assignment
        rows.append(
            Done(
                DONE_LABELS["proposal"],
                regency_label(a.regency) if a.regency_id else a.office.title,
                reverse("proposals:detail", args=[p.pk]),
                p.decided_at,
                p.get_state_display(),
                a.directive.title,
            )
        )
    orders = AccessOrder.objects.filter(
        Q(executed_by=user, executed_at__gte=since)
        | Q(issued_by=user, kind=AccessOrderKind.RESTORE, issued_at__gte=since)
    ).select_related("regency")[:LIMIT]
    for o in orders:
        executed = o.executed_by_id == user.pk and o.executed_at and o.executed_at >= since
        rows.append(
            Done(
                DONE_LABELS["order" if executed else "restore"],
                f"{o.get_kind_display()}: {regency_label(o.regency)}",
                reverse("access:order", args=[o.pk]),
                o.executed_at if executed else o.issued_at,
                o.get_state_display(),
            )
        )
    events = AssignmentEvent.objects.filter(
        actor=user,
        at__gte=since,
        to_state__in=[
            AssignmentState.SUBMITTED,
            AssignmentState.VERIFIED,
            AssignmentState.RETURNED,
        ],
    ).select_related("assignment__directive", "assignment__regency", "assignment__office")
    for ev in events[:LIMIT]:
        a = ev.assignment
        rows.append(
            Done(
                DONE_LABELS["assignment"],
                regency_label(a.regency) if a.regency_id else a.office.title,
                reverse("directives:detail", args=[a.directive_id])
                if ev.to_state != AssignmentState.SUBMITTED
                else reverse("inbox:assignment", args=[a.pk]),
                ev.at,
                ev.get_to_state_display(),
                a.directive.title,
            )
        )
    logs = TransitionLog.objects.filter(
        actor=user,
        at__gte=since,
        transition__in=["submit_remediation", "reject_remediation", "clear"],
    ).select_related("regency")
    for log in logs[:LIMIT]:
        rows.append(
            Done(
                DONE_LABELS["regency"],
                regency_label(log.regency),
                reverse("console:regency", args=[log.regency.code])
                if user_is_ministry(user)
                else reverse("inbox:regency", args=[log.regency.code]),
                log.at,
                log.get_to_state_display(),
            )
        )
    rows.sort(key=lambda d: d.at, reverse=True)
    return rows


def user_is_ministry(user):
    return any(o.kind in MINISTRY_KINDS for o in active_offices(user))
