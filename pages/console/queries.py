"""Reads the console pages need beyond compliance.overview and workflow.selectors: all
grouped in the database, so that no page's query count grows with its rows."""

from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth

from compliance.models import (
    MINISTRY_KINDS,
    AccessOrderState,
    ComplianceState,
    OfficeKind,
    Province,
    Remediation,
    RemediationStatus,
    RequestStatus,
)
from compliance.overview import describe, history, regencies_for, suspension_requests_for
from compliance.permissions import visible_regencies
from workflow.models import EscalationPolicy, EscalationStep, ExtensionStatus, Letter, StepEvent
from workflow.selectors import assignments_for, extension_requests_for
from workflow.services import visible_assignments

from ..common import shown_reason
from .labels import STATES


def state_counts_by_province(user):
    """[{province, counts {state: n}, total}] over the user's jurisdiction, by code, in one
    query (the provinces' fields come with their counts)."""
    fields = ("province_id", "province__code", "province__name", "province__time_zone")
    rows = visible_regencies(user).order_by().values(*fields, "state").annotate(n=Count("id"))
    counts, provinces = defaultdict(lambda: dict.fromkeys(STATES, 0)), {}
    for row in rows:
        pk, code, name, zone = (row[f] for f in fields)
        provinces.setdefault(pk, Province(pk=pk, code=code, name=name, time_zone=zone))
        counts[pk][row["state"]] = row["n"]
    return [
        {"province": p, "counts": counts[p.pk], "total": sum(counts[p.pk].values())}
        for p in sorted(provinces.values(), key=lambda p: p.code)
    ]


def overdue_by_level(user, *, now=None):
    """[{policy, level, step, count}] of the overdue assignments the user sees, the policy's
    and the step's names in the reader's language (EnglishName.display_name)."""
    rows = (
        assignments_for(user, overdue=True, now=now)
        .order_by()
        .values("directive__policy_id", "escalation_level")
        .annotate(n=Count("id"))
        .order_by("directive__policy__name", "escalation_level")
    )
    rows = list(rows)
    policy_ids = {r["directive__policy_id"] for r in rows}
    policies = EscalationPolicy.objects.in_bulk(policy_ids)
    steps = {
        (s.policy_id, s.order): s.display_name
        for s in EscalationStep.objects.filter(policy_id__in=policy_ids)
    }
    return [
        {
            "policy": policies[r["directive__policy_id"]].display_name,
            "level": r["escalation_level"],
            "step": steps.get((r["directive__policy_id"], r["escalation_level"]), ""),
            "count": r["n"],
        }
        for r in rows
    ]


def escalations_by_month(user, *, year=None):
    """[(month, {level: n})]: escalation steps fired per month (in the server's zone), by
    the level each step raised its assignment to, over the assignments the user sees."""
    events = StepEvent.objects.filter(skipped=False, assignment__in=visible_assignments(user))
    if year:
        events = events.filter(planned_at__year=year)
    rows = (
        events.annotate(month=TruncMonth("planned_at"))
        .order_by()
        .values("month", "step__order")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    months = defaultdict(dict)
    for row in rows:
        months[row["month"].date()][row["step__order"]] = row["n"]
    return sorted(months.items())


def awaiting_reconnection(user):
    """Remediated regencies whose network is still cut: a director's to reconnect (at most
    one open period per regency, so the join repeats none). Once he has ordered the
    restoration, the regency waits for the network operators (pages.access), not for him."""
    return (
        regencies_for(user, state=ComplianceState.REMEDIATED)
        .filter(suspension_periods__ended_at__isnull=True)
        .exclude(access_orders__state=AccessOrderState.ISSUED)
    )


def pending_extensions(user, issued_by=None):
    """Pending extension requests in the user's jurisdiction (only under directives
    `issued_by` these offices, when given)."""
    pending = extension_requests_for(user, status=ExtensionStatus.PENDING)
    if issued_by is not None:
        pending = pending.filter(assignment__directive__issuing_office__in=issued_by)
    return pending


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


def describe_reconnections(regencies, user, *, now=None):
    """describe() plus the remediation waiting (`pending_remediation`) of each."""
    regencies = describe(regencies, user, now=now)
    cases = [r.open_case.pk for r in regencies if r.open_case]
    submitted = (
        Remediation.objects.filter(case_id__in=cases, status=RemediationStatus.SUBMITTED)
        .select_related("submitted_by", "submitted_office")
        .order_by("case_id", "-submitted_at")
    )
    latest = {}
    for remediation in submitted:
        latest.setdefault(remediation.case_id, remediation)
    for r in regencies:
        r.pending_remediation = latest.get(r.open_case.pk) if r.open_case else None
    return regencies


def regency_timeline(user, regency):
    """The regency's story, oldest first: transitions, directives addressed to it and the
    escalation steps fired on them (with their letters). Five queries."""
    logs = list(history(regency))
    for log in logs:
        log.shown_reason = shown_reason(log.reason, by=log.actor_id)
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
    letters = letters_for(assignments)
    by_event = {letter.step_event_id: letter for letter in letters}
    entries += [
        {"kind": "step", "at": e.planned_at, "event": e, "letter": by_event.get(e.pk)}
        for e in events
    ]
    entries.sort(key=lambda e: e["at"])  # stable: each source is already in order
    return entries, letters


def letters_for(assignments):
    return list(
        Letter.objects.filter(step_event__assignment__in=assignments)
        .select_related("signatory_office", "addressee_office", "step_event__step")
        .order_by("date", "id")
    )
