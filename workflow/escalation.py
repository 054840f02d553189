"""The escalation engine: planning each assignment's next step, and the sweep that fires
every step now due.

The database holds every due instant (Assignment.next_step_at); nothing is scheduled as a
Celery ETA. A sweep works in rounds; each round is one transaction that locks a batch of
due assignments (SKIP LOCKED on PostgreSQL, so concurrent sweeps take disjoint rows), and
writes the StepEvent rows (unique per assignment and step), the notifications (unique
dedupe keys) and the next planned step together. A crash loses a round, never half of one.
On PostgreSQL a round is set-based (escalation_sql.sweep_round): a few statements over the
whole batch, whatever its size; elsewhere it goes through the ORM (_sweep_round).
"""

import logging
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance.models import Office, OfficeKind

from . import escalation_sql, proposals
from .calendar import BusinessCalendar
from .models import (
    ESCALATION_STOPPED,
    Assignment,
    EscalationStep,
    Notification,
    ProposalState,
    StepAction,
    StepEvent,
)
from .notifications import outbox

logger = logging.getLogger(__name__)
# Rows per round (one transaction). On PostgreSQL a round is a handful of statements
# whatever its size, so larger rounds mostly save the per-round lock scan and commit.
BATCH = 5000
MAX_ROUNDS = 100  # a policy has a handful of steps; this only bounds a runaway loop


def steps_of(policy_id, cache):
    if policy_id not in cache:
        cache[policy_id] = list(
            EscalationStep.objects.filter(policy_id=policy_id).order_by("order")
        )
    return cache[policy_id]


def step_by_id(policy_id, step_id, cache):
    for step in steps_of(policy_id, cache):
        if step.pk == step_id:
            return step
    # A step of another policy (the directive's policy was changed): take it as it is.
    return EscalationStep.objects.get(pk=step_id)


def plan_after(assignment, fired_step, fired_at, steps, calendar):
    """(next step, its instant) after `fired_step` (None: from the start), or (None, None)."""
    following = [s for s in steps if fired_step is None or s.order > fired_step.order]
    if not following:
        return None, None
    step = following[0]
    at = step.instant(
        issued_at=assignment.issued_at,
        due_date=assignment.due_date,
        previous_at=fired_at,
        tz=assignment.province.zoneinfo,
        calendar=calendar,
    )
    return step, at


def plan_first_steps(assignments, policy_id, calendar=None):
    """Set next_step/next_step_at on freshly created assignments (not saved)."""
    calendar = calendar or BusinessCalendar.from_database()
    steps = steps_of(policy_id, {})
    for a in assignments:
        a.next_step, a.next_step_at = plan_after(a, None, None, steps, calendar)


def replan(assignment, calendar=None):
    """Recompute the pending step's instant (after an extension moved the due date). A
    ladder waiting for a signatory's decision (proposals) stays waiting."""
    if assignment.next_step_id is None or _awaits_signatory(assignment):
        return
    calendar = calendar or BusinessCalendar.from_database()
    step = assignment.next_step
    assignment.next_step_at = step.instant(
        issued_at=assignment.issued_at,
        due_date=assignment.due_date,
        previous_at=assignment.last_step_at,
        tz=assignment.province.zoneinfo,
        calendar=calendar,
    )


def _awaits_signatory(assignment):
    return assignment.sanction_proposals.filter(state=ProposalState.PROPOSED).exists()


def governors_by_province():
    return {o.province_id: o for o in Office.objects.filter(kind=OfficeKind.GOVERNOR)}


@dataclass
class SweepResult:
    fired: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    rounds: int = 0

    @property
    def total(self):
        return sum(self.fired.values())


class _DryRun(Exception):
    pass


def _recipients(assignment, step, governors):
    out = []
    if step.to_assignee and assignment.office.email:
        out.append(("assignee", assignment.office))
    if step.to_governor and assignment.regency_id:
        governor = governors.get(assignment.province_id)
        if governor and governor.email:
            out.append(("governor", governor))
    return out


def step_notices(assignment, step, governors):
    context = {
        "directive": assignment.directive_id,
        "title": assignment.directive.title,
        "office": assignment.office.title,
        "due_at": assignment.due_at.isoformat(),
        "step": step.slug,
        "action": step.action,
        "level": step.order,
        "recommendation": step.recommendation,
    }
    notices = [
        Notification(
            dedupe_key=f"assignment:{assignment.pk}:step:{step.slug}:{role}",
            recipient_office=office,
            recipient_email=office.email,
            language=office.language,
            template=f"step_{step.action}",
            assignment=assignment,
            context={**context, "role": role},
        )
        for role, office in _recipients(assignment, step, governors)
    ]
    if step.to_ministry and settings.MINISTRY_EMAIL:
        notices.append(
            Notification(
                dedupe_key=f"assignment:{assignment.pk}:step:{step.slug}:ministry",
                recipient_email=settings.MINISTRY_EMAIL,
                template=f"step_{step.action}",
                assignment=assignment,
                context={**context, "role": "ministry"},
            )
        )
    return notices


def _sweep_round(now, calendar, step_cache, governors, result):
    # next_step is not joined: when a concurrent sweep has just moved a row on, PostgreSQL
    # re-reads the locked row but keeps the other tables' rows it joined before, so a
    # joined next_step would come back as the old step, or as NULL (outer join). The
    # step is looked up by the id read from the locked row itself. Office, province and
    # directive never change for an assignment.
    due = (
        Assignment.objects.filter(next_step_at__lte=now)
        .exclude(state__in=ESCALATION_STOPPED)
        .select_related("office", "province", "directive")
        .order_by("next_step_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    batch = list(due[:BATCH])
    if not batch:
        return False
    events, notices = [], []
    for a in batch:
        a.next_step = step_by_id(a.directive.policy_id, a.next_step_id, step_cache)
        step, planned = a.next_step, a.next_step_at
        skip = step.only_if_not_acknowledged and a.acknowledged_at is not None
        events.append(
            StepEvent(assignment=a, step=step, planned_at=planned, fired_at=now, skipped=skip)
        )
        if skip:
            result.skipped[step.action] += 1
        else:
            result.fired[step.action] += 1
            if not proposals.proposes(step, skip):  # a warning's notices wait for its signing
                notices.extend(step_notices(a, step, governors))
            a.escalation_level = step.order
        a.last_step_at = planned
        a.next_step, a.next_step_at = plan_after(
            a, step, planned, steps_of(a.directive.policy_id, step_cache), calendar
        )
        if proposals.proposes(step, skip):
            a.next_step_at = None  # the ladder waits for the signatory (proposals.sign)
    StepEvent.objects.bulk_create(events, batch_size=BATCH)
    notices.extend(proposals.propose_for(events, governors=governors))
    Notification.objects.bulk_create(notices, batch_size=BATCH)
    outbox.dispatch_on_commit([n.pk for n in notices])
    _save_schedules(batch)
    _raise_follow_ups([e for e in events if not e.skipped])
    return len(batch) == BATCH or any(a.next_step_at and a.next_step_at <= now for a in batch)


SCHEDULE = ("next_step", "next_step_at", "last_step_at", "escalation_level")


def _save_schedules(batch):
    """Write each assignment's next step, its instant, the last step and the level."""
    if connection.vendor != "postgresql":
        Assignment.objects.bulk_update(batch, SCHEDULE, batch_size=BATCH)
        return
    # bulk_update builds one CASE per column with a WHEN per row: slow to compile, and
    # quadratic on the server. One UPDATE ... FROM unnest(arrays) writes the same values.
    fields = [Assignment._meta.get_field(name) for name in ("id", *SCHEDULE)]
    columns = [f.column for f in fields]
    arrays = [[getattr(a, f.attname) for a in batch] for f in fields]
    types = [(f.target_field if f.is_relation else f).cast_db_type(connection) for f in fields]
    table, sets = Assignment._meta.db_table, ", ".join(f"{c} = v.{c}" for c in columns[1:])
    arrays_sql = ", ".join(f"%s::{t}[]" for t in types)
    # Names come from the model's own metadata; every value is bound.
    sql = f"UPDATE {table} AS a SET {sets} FROM unnest({arrays_sql}) AS v({', '.join(columns)}) WHERE a.id = v.id"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def _raise_follow_ups(events):
    """Steps whose action asks compliance for a decision (never an automatic cut)."""
    for e in events:
        if e.step.action == StepAction.SUSPENSION_REQUEST and e.assignment.regency_id:
            request_suspension(e.assignment, e.planned_at)


def request_suspension(assignment, at):
    from compliance.services import request_suspension_for_directive

    request_suspension_for_directive(
        regency=assignment.regency,
        office=assignment.directive.issuing_office,
        reason=f"{assignment.directive.title}: tenggat lewat / deadline passed",
        at=at,
    )


def sweep(*, now=None, dry_run=False):
    """Fire every escalation step due at `now`. Returns what fired, per action."""
    now = now or timezone.now()
    calendar = BusinessCalendar.from_database()
    governors = governors_by_province()
    step_cache, result = {}, SweepResult()
    one_round = escalation_sql.sweep_round if connection.vendor == "postgresql" else _sweep_round
    try:
        with transaction.atomic() if dry_run else nullcontext():
            for _ in range(MAX_ROUNDS):
                with transaction.atomic():
                    more = one_round(now, calendar, step_cache, governors, result)
                result.rounds += 1
                # A round says whether more may be due: it was full, or it moved a row on
                # to a step already due (a sweep that runs late climbs several steps).
                # Rows another sweep holds are that sweep's to finish.
                if not more:
                    break
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result
