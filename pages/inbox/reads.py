"""Reads for the inbox pages: always within the user's jurisdiction, and in a number of
queries that does not grow with the rows shown. Times are turned into the recipient
region's wall-clock time here, so that templates never convert them again."""

import datetime as dt

from django.db.models import Case, IntegerField, Value, When

from compliance.case_file import case_file
from compliance.errors import NotFound
from compliance.models import EvidenceDocument, SuspensionPeriod
from compliance.permissions import get_visible_regency
from compliance.selectors import describe
from compliance.services import probation_ends
from pages.common import row_reason
from workflow.messages import Message
from workflow.models import ESCALATION_STOPPED, Assignment, Letter
from workflow.remediation import is_remediation_directive
from workflow.selectors import ZONE_LABELS, assignments_for, timeline

EVIDENCE_SHOWN = 50  # documents offered for a remediation: those of the open case, newest


def local(instant, zone):
    """The wall-clock time of `instant` in `zone`, naive: Django's template filters would
    otherwise convert it again to the site's time zone."""
    return instant.astimezone(zone).replace(tzinfo=None) if instant else None


def due_local(assignment):
    """The due instant in the recipient's zone. Deadlines are the end of the due day
    (midnight after it), which reads better as 23:59 of that day, as in the e-mails."""
    due = local(assignment.due_at, assignment.province.zoneinfo)
    return due - dt.timedelta(minutes=1) if due.time() == dt.time(0) else due


def with_local_times(assignment):
    assignment.due_local = due_local(assignment)
    assignment.zone = ZONE_LABELS[assignment.province.time_zone]
    assignment.next_step_local = local(assignment.next_step_at, assignment.province.zoneinfo)
    # A remediation directive is answered on the regency's page, not by a report.
    assignment.remediation_page = assignment.regency_id is not None and is_remediation_directive(
        assignment.directive
    )
    return assignment


def cut_off(regency_ids):
    """The open suspension periods of these regencies, with each regency's local start
    (one query): what the inbox says first."""
    periods = SuspensionPeriod.objects.filter(regency_id__in=regency_ids, ended_at__isnull=True)
    periods = list(periods.select_related("regency__province").order_by("regency__code"))
    for p in periods:
        p.started_local = local(p.started_at, p.regency.province.zoneinfo)
        p.zone = ZONE_LABELS[p.regency.province.time_zone]
    return periods


def inbox(user, *, now=None):
    """The user's assignments by urgency: overdue first, then the open ones, then those out
    of the recipient's hands (submitted, verified, withdrawn); each by due instant."""
    done = Case(
        When(state__in=ESCALATION_STOPPED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        assignments_for(user, mine=True, now=now)
        .annotate(done=done)
        .order_by("-is_overdue", "done", "due_at", "id")
    )


def assignment_file(user, pk, *, now=None):
    """One assignment with its directive's issuer, its timeline in the recipient's local
    time (each step with its letter, if it wrote one) and its extension requests."""
    try:
        assignment = inbox(user, now=now).select_related("directive__issuing_office").get(pk=pk)
    except Assignment.DoesNotExist:
        raise NotFound(Message("assignment_not_found", pk=pk)) from None
    with_local_times(assignment)
    zone = assignment.province.zoneinfo
    entries = timeline(assignment)
    letters = Letter.objects.filter(step_event__assignment=assignment).in_bulk(
        field_name="step_event_id"
    )
    for entry in entries:
        entry["local"] = local(entry["at"], zone)
        if entry["step"] is not None:
            entry["letter"] = letters.get(entry["step"].pk)
        event = entry["state_change"]
        if event is not None:
            # What the system decided (its account or none) is written in both languages.
            automatic = (event.payload or {}).get("automatic")
            event.shown_reason = row_reason(event, by=None if automatic else event.actor_id)
    issued = {"kind": "issued", "at": assignment.issued_at, "issued": True}
    entries.insert(0, {**dict.fromkeys(("state_change", "step", "notification")), **issued})
    entries[0]["local"] = local(assignment.issued_at, zone)
    assignment.entries = entries
    requests = assignment.extension_requests.order_by("-requested_at", "-id")
    assignment.requests = list(requests.select_related("requested_by"))
    for r in assignment.requests:
        r.requested_local = local(r.requested_at, zone)
    return assignment


def regency_file(user, code, *, now=None):
    """The regency with its compliance state, open case and open violations (from
    compliance.selectors.describe) and the evidence documents it may offer for them."""
    regency = get_visible_regency(user, code)
    [regency] = describe([regency], user, now=now)
    case = regency.open_case
    regency.open_violations = case.open_violations if case else []
    regency.documents = []
    if case is not None:
        documents = EvidenceDocument.objects.filter(
            regency=regency, uploaded_at__gte=case.opened_at
        )
        regency.documents = list(documents.order_by("-uploaded_at", "-id")[:EVIDENCE_SHOWN])
    # The regent's one path: what was found and decided (the case file), what is cut
    # since when, and where the review stands.
    regency.file = case_file(case)
    regency.tz = regency.province.time_zone
    zone = regency.province.zoneinfo
    if regency.open_suspension is not None:
        regency.cut_since_local = local(regency.open_suspension.started_at, zone)
    regency.restored = None
    if regency.state == "reconnected":
        period = SuspensionPeriod.objects.filter(regency=regency, ended_at__isnull=False).last()
        if period is not None:
            regency.restored = period
            regency.restored_local = local(period.ended_at, zone)
            regency.probation_ends_local = local(probation_ends(period.ended_at), zone)
    latest = regency.file.remediations[0] if regency.file and regency.file.remediations else None
    regency.returned = latest if latest and latest.status == "rejected" else None
    regency.under_review = latest if latest and latest.status == "submitted" else None
    # Accepted with the reconnection order, before the operators restore the access.
    regency.accepted = latest if latest and latest.status == "accepted" else None
    for d in regency.documents:
        d.uploaded_local = local(d.uploaded_at, zone)
    regency.zone = ZONE_LABELS[regency.province.time_zone]
    return regency
