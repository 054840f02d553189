"""Reads for the tracking page and the exports: the assignments of the workflow selectors,
each with its last notification and its due instant in the recipient's own zone, in one
query whatever the number of rows."""

import datetime as dt

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _

from workflow.models import AssignmentEvent, Notification
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
    """Annotate the template, delivery state and time of each assignment's latest notice,
    its latest state change (state and time) and its last activity: the later of the two,
    or its issue (correlated subqueries: still one statement)."""
    last = Notification.objects.filter(assignment=OuterRef("pk")).order_by("-created_at", "-id")
    event = AssignmentEvent.objects.filter(assignment=OuterRef("pk")).order_by("-at", "-id")
    return assignments.annotate(
        last_notice_template=Subquery(last.values("template")[:1]),
        last_notice_state=Subquery(last.values("state")[:1]),
        last_notice_at=Subquery(last.values("created_at")[:1]),
        last_event_state=Subquery(event.values("to_state")[:1]),
        last_event_at=Subquery(event.values("at")[:1]),
    ).annotate(
        last_activity_at=Greatest(
            Coalesce("last_notice_at", "issued_at"), Coalesce("last_event_at", "issued_at")
        )
    )


# ?sort= on a directive's recipients: the column and its direction ("-" first: descending),
# each ending on the id so that pages never overlap.
REGION = Coalesce("regency__code", "province__code")
SORTS = {
    "region": (REGION.asc(), "id"),
    "-region": (REGION.desc(), "-id"),
    "state": ("state", "due_at", "id"),
    "-state": ("-state", "due_at", "id"),
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "level": ("escalation_level", "due_at", "id"),
    "-level": ("-escalation_level", "due_at", "id"),
    "activity": (F("last_activity_at").asc(), "id"),
    "-activity": (F("last_activity_at").desc(), "-id"),
}


def tracked_assignments(user, *, directive=None, filters=None, sort="", now=None):
    """The assignments the user may see (workflow.selectors.assignments_for), narrowed by
    the tracking page's filters: state, province (code), overdue (bool), level (int), and
    sorted by one of SORTS (else by due instant)."""
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
    assignments = with_last_notice(assignments)
    return assignments.order_by(*SORTS[sort]) if sort in SORTS else assignments


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
