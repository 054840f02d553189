"""The escalation engine: planning each assignment's next step, and the sweep that fires
every step now due.

The database holds every due instant (Assignment.next_step_at); nothing is scheduled as a
Celery ETA. A sweep works in rounds; each round is one transaction that locks a batch of
due assignments (SKIP LOCKED on PostgreSQL, so concurrent sweeps take disjoint rows), and
writes the StepEvent rows (unique per assignment and step), the notifications (unique
dedupe keys) and the next planned step together. A crash loses a round, never half of one.
A round reads its rows as plain values and computes in Python, once for every database,
what it writes: the events, the notices (notice_rows), the next steps (next_step); then a
few statements move those rows in bulk (workflow.statements: arrays on PostgreSQL, the
ORM's bulk operations elsewhere), whatever the round's size.
"""

import logging
import zoneinfo
from collections import Counter, namedtuple
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from compliance.models import Office, OfficeKind, Province

from . import proposals
from .calendar import BusinessCalendar
from .messages import Message
from .models import (
    ESCALATION_STOPPED,
    Assignment,
    Directive,
    EscalationStep,
    Notification,
    ProposalState,
    StepAction,
    StepEvent,
)
from .notifications import outbox
from .statements import fetch_rows, insert_rows, update_rows

logger = logging.getLogger(__name__)
# Rows per round (one transaction). A round is a handful of statements whatever its size,
# so larger rounds mostly save the per-round lock scan and commit.
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


def next_step(steps, fired_order, *, issued_at, due_date, previous_at, tz, calendar):
    """(next step, its instant) after the step of order `fired_order` (None: from the
    start), or (None, None). The one rule for what comes next on a ladder."""
    following = [s for s in steps if fired_order is None or s.order > fired_order]
    if not following:
        return None, None
    step = following[0]
    at = step.instant(
        issued_at=issued_at, due_date=due_date, previous_at=previous_at, tz=tz, calendar=calendar
    )
    return step, at


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


# What a round reads of each due assignment, under its lock: its own columns, plain
# values, no model instance and no join (a round holds thousands of rows; they name a few
# hundred offices and a handful of directives, looked up in Facts).
DUE_FIELDS = (
    "id",
    "next_step_id",
    "next_step_at",
    "escalation_level",
    "acknowledged_at",
    "issued_at",
    "due_date",
    "due_at",
    "regency_id",
    "province_id",
    "directive_id",
    "office_id",
)
Due = namedtuple(
    "Due",
    "pk next_step_id planned level acknowledged_at issued_at due_date due_at regency_id "
    "province_id directive_id office_id",
)


@dataclass
class Facts:
    """What planning and notices need besides an assignment's own columns."""

    governors: dict  # province id -> the governor's Office
    offices: dict  # office id -> (title, e-mail, language)
    zones: dict  # province id -> time zone name
    directives: dict = field(default_factory=dict)  # directive id -> (policy id, title)

    @classmethod
    def for_sweep(cls):
        return cls(
            governors=governors_by_province(),
            offices={pk: rest for pk, *rest in Office.objects.values_list(*OFFICE)},
            zones=dict(Province.objects.values_list("id", "time_zone")),
        )

    def read_directives(self, ids):
        missing = set(ids) - self.directives.keys()
        rows = Directive.objects.filter(pk__in=missing).values_list("id", "policy_id", "title")
        self.directives.update({pk: rest for pk, *rest in rows})

    @classmethod
    def of(cls, assignment, governors):
        """The facts of one assignment instance, and its own columns as a Due."""
        office, directive = assignment.office, assignment.directive
        facts = cls(
            governors=governors,
            offices={office.pk: tuple(getattr(office, name) for name in OFFICE[1:])},
            zones={assignment.province_id: assignment.province.time_zone},
            directives={directive.pk: (directive.policy_id, directive.title)},
        )
        due = Due(*(getattr(assignment, "pk" if f == "id" else f) for f in DUE_FIELDS))
        return facts, due


OFFICE = ("id", "title", "email", "language")
NOTICE = (
    "dedupe_key",
    "recipient_office_id",
    "recipient_email",
    "language",
    "template",
    "assignment_id",
    "context",
)


def notice_rows(due, step, facts):
    """The notices a fired step sends about one assignment, as rows of NOTICE: the one
    rule for who hears of a step (the assignee; the governor in copy for a regency; the
    ministry) and what each notice says."""
    title, email, language = facts.offices[due.office_id]
    context = {
        "directive": due.directive_id,
        "title": facts.directives[due.directive_id][1],
        "office": title,
        "due_at": due.due_at.isoformat(),
        "step": step.slug,
        "action": step.action,
        "level": step.order,
        "recommendation": step.recommendation,
    }
    recipients = []
    if step.to_assignee and email:
        recipients.append(("assignee", due.office_id, email, language))
    governor = facts.governors.get(due.province_id) if step.to_governor and due.regency_id else None
    if governor and governor.email:
        recipients.append(("governor", governor.pk, governor.email, governor.language))
    if step.to_ministry and settings.MINISTRY_EMAIL:
        language = Notification._meta.get_field("language").get_default()
        recipients.append(("ministry", None, settings.MINISTRY_EMAIL, language))
    key, template = f"assignment:{due.pk}:step:{step.slug}:", f"step_{step.action}"
    return [
        (key + role, office, email, language, template, due.pk, {**context, "role": role})
        for role, office, email, language in recipients
    ]


def step_notices(assignment, step, governors):
    """notice_rows as unsaved Notification instances."""
    facts, due = Facts.of(assignment, governors)
    return [
        Notification(**dict(zip(NOTICE, row, strict=True))) for row in notice_rows(due, step, facts)
    ]


def _lock_due(now):
    """Up to BATCH due assignments, locked (SKIP LOCKED on PostgreSQL: concurrent sweeps
    take disjoint rows), earliest first."""
    # next_step is not joined: when a concurrent sweep has just moved a row on, PostgreSQL
    # re-reads the locked row but keeps the other tables' rows it joined before, so a
    # joined next_step would come back as the old step, or as NULL (outer join). The
    # step is looked up by the id read from the locked row itself. Office, province and
    # directive never change for an assignment.
    due = (
        Assignment.objects.filter(next_step_at__lte=now)
        .exclude(state__in=ESCALATION_STOPPED)
        .order_by("next_step_at", "id")
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    return [Due._make(row) for row in fetch_rows(due[:BATCH], DUE_FIELDS)]


@dataclass
class _Round:
    """What one round writes, computed in Python before anything is written."""

    events: list = field(default_factory=list)  # rows of EVENT
    notices: list = field(default_factory=list)  # rows of NOTICE
    schedules: list = field(default_factory=list)  # (id, *SCHEDULE)
    proposing: list = field(default_factory=list)  # (index in events, step)
    follow_ups: list = field(default_factory=list)  # (assignment id, planned)


EVENT = ("assignment_id", "step_id", "planned_at", "fired_at", "skipped")
SCHEDULE = ("next_step_id", "next_step_at", "last_step_at", "escalation_level")


def _plan_round(batch, now, calendar, step_cache, facts, result):
    work, plans = _Round(), {}
    facts.read_directives({due.directive_id for due in batch})
    for due in batch:
        policy = facts.directives[due.directive_id][0]
        step = step_by_id(policy, due.next_step_id, step_cache)
        skip = step.only_if_not_acknowledged and due.acknowledged_at is not None
        waits = proposals.proposes(step, skip)  # a warning's notices wait for its signing
        (result.skipped if skip else result.fired)[step.action] += 1
        if waits:
            work.proposing.append((len(work.events), step))
        elif not skip:
            work.notices += notice_rows(due, step, facts)
            if step.action == StepAction.SUSPENSION_REQUEST and due.regency_id:
                work.follow_ups.append((due.pk, due.planned))
        work.events.append((due.pk, step.pk, due.planned, now, skip))
        # Rows of one directive share the instants the next step depends on: plan once.
        zone = facts.zones[due.province_id]
        key = (policy, step.pk, due.planned, due.issued_at, due.due_date, zone)
        if key not in plans:
            plans[key] = next_step(
                steps_of(policy, step_cache),
                step.order,
                issued_at=due.issued_at,
                due_date=due.due_date,
                previous_at=due.planned,
                tz=zoneinfo.ZoneInfo(zone),
                calendar=calendar,
            )
        following, at = plans[key]
        at = None if waits else at  # the ladder waits for the signatory (proposals.sign)
        level = due.level if skip else step.order
        work.schedules.append((due.pk, following and following.pk, at, due.planned, level))
    return work


def _sweep_round(now, calendar, step_cache, facts, result):
    """Lock a batch of due assignments; write their step events, notices, proposals and
    next steps; True when more may be due."""
    batch = _lock_due(now)
    if not batch:
        return False
    work = _plan_round(batch, now, calendar, step_cache, facts, result)
    events = insert_rows(StepEvent, EVENT, work.events)
    notices = _write_notices(work.notices)
    notices += _propose(work, events, facts.governors)
    update_rows(Assignment, SCHEDULE, work.schedules)
    outbox.dispatch_on_commit(notices)
    _raise_follow_ups(work.follow_ups)
    # More may be due: the round was full, or it moved a row on to a step already due (a
    # sweep that runs late climbs several steps).
    return len(batch) == BATCH or any(at and at <= now for _, _, at, _, _ in work.schedules)


def _write_notices(rows):
    return insert_rows(Notification, NOTICE, rows)


def _propose(work, event_ids, governors):
    """The proposals of the fired written warnings (few rows take those steps); returns
    their signatories' notices' ids."""
    if not work.proposing:
        return []
    rows = [(work.events[i], event_ids[i], step) for i, step in work.proposing]
    assignments = Assignment.objects.select_related("office", "province", "directive").in_bulk(
        [row[0] for row, _, _ in rows]
    )
    events = [
        StepEvent(pk=pk, assignment=assignments[row[0]], step=step, fired_at=row[3])
        for row, pk, step in rows
    ]
    notices = Notification.objects.bulk_create(proposals.propose_for(events, governors=governors))
    return [n.pk for n in notices]


def _raise_follow_ups(follow_ups):
    """Steps whose action asks compliance for a decision (never an automatic cut)."""
    if not follow_ups:
        return
    assignments = Assignment.objects.select_related("regency", "directive__issuing_office")
    assignments = assignments.in_bulk([pk for pk, _ in follow_ups])
    for pk, planned in follow_ups:
        request_suspension(assignments[pk], planned)


def request_suspension(assignment, at):
    from compliance.services import request_suspension_for_directive

    request_suspension_for_directive(
        regency=assignment.regency,
        office=assignment.directive.issuing_office,
        reason=Message("deadline_passed", title=assignment.directive.title),
        at=at,
    )


def sweep(*, now=None, dry_run=False):
    """Fire every escalation step due at `now`. Returns what fired, per action."""
    now = now or timezone.now()
    calendar = BusinessCalendar.from_database()
    facts = Facts.for_sweep()
    step_cache, result = {}, SweepResult()
    try:
        with transaction.atomic() if dry_run else nullcontext():
            for _ in range(MAX_ROUNDS):
                with transaction.atomic():
                    more = _sweep_round(now, calendar, step_cache, facts, result)
                result.rounds += 1
                # Rows another sweep holds are that sweep's to finish.
                if not more:
                    break
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result
