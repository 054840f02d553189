"""Reads for the tracking page and the exports: the assignments of the workflow selectors,
each with its last notification and its due instant in the recipient's own zone, in one
query whatever the number of rows."""

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from workflow.models import Notification
from workflow.selectors import ZONE_LABELS, assignments_for

# Templates not listed here (a policy's new action) show under their template name.
NOTICE_LABELS = {
    "directive_issued": _("Directive issued"),
    "step_reminder": _("Reminder"),
    "step_overdue_notice": _("Overdue notice"),
    "step_warning_letter": _("Director General's warning letter"),
    "step_written_warning_1": _("Written warning I"),
    "step_written_warning_2": _("Written warning II"),
    "step_escalate_to_minister": _("Escalation to the Minister"),
    "step_compliance_flag": _("Compliance flag"),
    "step_suspension_request": _("Suspension request"),
    "governor_digest": _("Governor's digest"),
}
NOTICE_STATE_LABELS = {
    "queued": _("queued"),
    "sending": _("sending"),
    "sent": _("sent"),
    "failed": _("failed"),
}


def with_last_notice(assignments):
    """Annotate the template, delivery state and time of each assignment's latest notice
    (correlated subqueries: still one statement)."""
    last = Notification.objects.filter(assignment=OuterRef("pk")).order_by("-created_at", "-id")
    return assignments.annotate(
        last_notice_template=Subquery(last.values("template")[:1]),
        last_notice_state=Subquery(last.values("state")[:1]),
        last_notice_at=Subquery(last.values("created_at")[:1]),
    )


def tracked_assignments(user, *, directive=None, filters=None, now=None):
    """The assignments the user may see (workflow.selectors.assignments_for), narrowed by
    the tracking page's filters: state, province (code), overdue (bool), level (int)."""
    filters = filters or {}
    assignments = assignments_for(
        user,
        directive=directive,
        state=filters.get("state") or None,
        overdue=filters.get("overdue"),
        province=filters.get("province") or None,
        now=now,
    )
    if filters.get("level") is not None:
        assignments = assignments.filter(escalation_level=filters["level"])
    return with_last_notice(assignments)


def due_text(assignment):
    """The deadline as the recipient reads it: the end of the due day is 23:59 of that
    day (as in the e-mails), in the recipient's zone with its label."""
    return end_of_day_text(assignment.due_at, assignment.province.zoneinfo)


def end_of_day_text(instant, tz):
    moment = instant.astimezone(tz)
    if moment.time() == dt.time(0, 0):
        moment -= dt.timedelta(minutes=1)
    return f"{dateformat.format(moment, 'j M Y, H:i')} {ZONE_LABELS[str(tz)]}"


def instant_text(instant, tz):
    if instant is None:
        return ""
    return f"{dateformat.format(instant.astimezone(tz), 'j M Y, H:i')} {ZONE_LABELS[str(tz)]}"


def local_text(instant, assignment):
    return instant_text(instant, assignment.province.zoneinfo)
