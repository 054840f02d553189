"""The escalation sweep's round on PostgreSQL, set-based: the same writes as
escalation._sweep_round in three statements over the whole batch."""

import zoneinfo

from django.conf import settings
from django.db import connection

from compliance.models import OfficeKind

# The module, not its names: BATCH is read when a round runs (tests make rounds small).
from . import escalation, proposals
from .models import ESCALATION_STOPPED, Assignment, Notification, StepAction, StepEvent
from .notifications import outbox
from .statements import insert_sql

#
# The same writes as _sweep_round in three statements over the whole batch, with no model
# instance (not even a Python row) per assignment. The first locks the round's rows,
# writes their step events and hands the rows back grouped by what their next step
# depends on (policy, step, instants, time zone), each group with its assignment ids and
# their events' ids: Python plans the next step on the business calendar once per group.
# The second writes the notices, the third the schedules. The written warnings' proposals
# and the suspension requests stay per row: few rows take those steps.
_LOCK_AND_FIRE = """
WITH due AS (
    SELECT a.id, a.next_step_id, a.next_step_at, a.acknowledged_at IS NOT NULL AS acknowledged,
           a.issued_at, a.due_date, a.regency_id IS NOT NULL AS in_regency,
           d.policy_id, p.time_zone
    FROM workflow_assignment a
    JOIN workflow_directive d ON d.id = a.directive_id
    JOIN compliance_province p ON p.id = a.province_id
    WHERE a.next_step_at <= %(now)s AND NOT (a.state = ANY(%(stopped)s))
    ORDER BY a.next_step_at, a.id
    LIMIT %(batch)s
    FOR UPDATE OF a SKIP LOCKED
), fired AS (
    {insert_events}
    RETURNING assignment_id, id
)
SELECT due.policy_id, due.next_step_id, due.next_step_at, due.acknowledged, due.issued_at,
       due.due_date, due.in_regency, due.time_zone,
       array_agg(due.id ORDER BY due.id), array_agg(fired.id ORDER BY due.id)
FROM due JOIN fired ON fired.assignment_id = due.id
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""

_EVENTS_SELECT = """
SELECT due.id, due.next_step_id, due.next_step_at, %(now)s,
       s.only_if_not_acknowledged AND due.acknowledged {defaults}
FROM due JOIN workflow_escalationstep s ON s.id = due.next_step_id
ORDER BY due.next_step_at, due.id
"""

# The context is step_notices' exactly: the due instant in ISO 8601 as Python writes it
# (UTC, microseconds only when there are any).
_NOTICES_SELECT = """
SELECT 'assignment:' || a.id || ':step:' || s.slug || ':' || r.role, r.office_id, r.email,
       'step_' || s.action,
       jsonb_build_object(
           'directive', a.directive_id, 'title', d.title, 'office', o.title,
           'due_at', to_char(a.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
               || CASE WHEN to_char(a.due_at, 'US') = '000000' THEN ''
                       ELSE to_char(a.due_at AT TIME ZONE 'UTC', '.US') END || '+00:00',
           'step', s.slug, 'action', s.action, 'level', s."order",
           'recommendation', s.recommendation, 'role', r.role),
       r.language, a.id {defaults}
FROM workflow_assignment a
JOIN workflow_escalationstep s ON s.id = a.next_step_id
JOIN workflow_directive d ON d.id = a.directive_id
JOIN compliance_office o ON o.id = a.office_id
LEFT JOIN compliance_office g ON g.kind = %(governor)s AND g.province_id = a.province_id
CROSS JOIN LATERAL (VALUES
    (1, 'assignee', o.id, o.email, o.language, s.to_assignee),
    (2, 'governor', g.id, g.email, g.language, s.to_governor AND a.regency_id IS NOT NULL),
    (3, 'ministry', NULL::bigint, %(ministry)s::text, %(ministry_language)s::text, s.to_ministry)
) AS r(n, role, office_id, email, language, wanted)
WHERE a.id = ANY(%(ids)s) AND r.wanted AND coalesce(r.email, '') <> ''
ORDER BY a.next_step_at, a.id, r.n
RETURNING id
"""

# Each row points at its schedule (next step, its instant, the level reached); the
# schedules are few and distinct, so the only per-row values sent are two integers.
_SCHEDULES_SQL = """
UPDATE workflow_assignment AS a
SET next_step_id = p.next_step_id, next_step_at = p.next_step_at,
    last_step_at = a.next_step_at, escalation_level = coalesce(p.level, a.escalation_level)
FROM unnest(%(ids)s::bigint[], %(slots)s::integer[]) AS v(id, slot)
JOIN unnest(%(next_ids)s::bigint[], %(next_ats)s::timestamptz[], %(levels)s::smallint[])
    WITH ORDINALITY AS p(next_step_id, next_step_at, level, slot) ON p.slot = v.slot
WHERE a.id = v.id AND a.id = ANY(%(ids)s::bigint[])
"""


def _lock_and_fire(cursor, now):
    """Lock up to BATCH due rows (SKIP LOCKED) and write their step events; returns the
    groups described at _LOCK_AND_FIRE."""
    given = ["assignment_id", "step_id", "planned_at", "fired_at", "skipped"]
    events, params = insert_sql(StepEvent, given, _EVENTS_SELECT)
    # Named placeholders only: the statement's braces are format fields, not values.
    sql = _LOCK_AND_FIRE.replace("{insert_events}", events)
    cursor.execute(
        sql, {**params, "now": now, "stopped": list(ESCALATION_STOPPED), "batch": escalation.BATCH}
    )
    return cursor.fetchall()


def _plan_next(policy_id, step, planned, issued_at, due_date, zone, calendar, step_cache):
    """(next step, its instant) after `step` fired as planned, or (None, None)."""
    following = [s for s in escalation.steps_of(policy_id, step_cache) if s.order > step.order]
    if not following:
        return None, None
    return following[0], following[0].instant(
        issued_at=issued_at,
        due_date=due_date,
        previous_at=planned,
        tz=zoneinfo.ZoneInfo(zone),
        calendar=calendar,
    )


def _propose(due, now, governors):
    """The proposals of the fired written warnings, `due` as (assignment id, step, event
    id); returns their signatories' notices, saved."""
    assignments = Assignment.objects.select_related("office", "province", "directive").in_bulk(
        [pk for pk, _, _ in due]
    )
    events = [
        StepEvent(pk=event, assignment=assignments[pk], step=step, fired_at=now)
        for pk, step, event in due
    ]
    notices = proposals.propose_for(events, governors=governors)
    Notification.objects.bulk_create(notices)
    return [n.pk for n in notices]


def _insert_step_notices(cursor, ids):
    """The fired steps' notices, each recipient's own row; returns their ids."""
    given = [
        "dedupe_key",
        "recipient_office_id",
        "recipient_email",
        "template",
        "context",
        "language",
        "assignment_id",
    ]
    sql, params = insert_sql(Notification, given, _NOTICES_SELECT)
    language = Notification._meta.get_field("language").get_default()
    cursor.execute(
        sql,
        {
            **params,
            "ids": ids,
            "governor": OfficeKind.GOVERNOR,
            "ministry": settings.MINISTRY_EMAIL or "",
            "ministry_language": language,
        },
    )
    return [row[0] for row in cursor.fetchall()]


def sweep_round(now, calendar, step_cache, governors, result):
    # As in _sweep_round, next_step is read from the locked row itself, never joined;
    # directive and province never change for an assignment. The statements after the
    # lock read the locked rows again: nobody else can change them until this commits.
    with connection.cursor() as cursor:
        groups = _lock_and_fire(cursor, now)
        if not groups:
            return False
        ids, slots, schedules = [], [], {}
        fired, proposing, follow_ups = [], [], []
        for (
            policy,
            step_id,
            planned,
            acked,
            issued_at,
            due_date,
            in_regency,
            zone,
            pks,
            events,
        ) in groups:
            step = escalation.step_by_id(policy, step_id, step_cache)
            skipped = step.only_if_not_acknowledged and acked
            (result.skipped if skipped else result.fired)[step.action] += len(pks)
            waits = proposals.proposes(step, skipped)
            if waits:  # a warning's notices wait for its signing
                proposing += [(pk, step, event) for pk, event in zip(pks, events, strict=True)]
            elif not skipped:
                fired += pks
                if step.action == StepAction.SUSPENSION_REQUEST and in_regency:
                    follow_ups += [(pk, planned) for pk in pks]
            following, at = _plan_next(
                policy, step, planned, issued_at, due_date, zone, calendar, step_cache
            )
            if waits:
                at = None  # the ladder waits for the signatory (proposals.sign)
            schedule = (following.pk if following else None, at, None if skipped else step.order)
            ids += pks
            slots += [schedules.setdefault(schedule, len(schedules) + 1)] * len(pks)
        notices = _insert_step_notices(cursor, fired) if fired else []
        notices += _propose(proposing, now, governors) if proposing else []
        # a.id = ANY(ids) as well as the join: the planner then fetches the rows by their
        # key instead of hashing the whole table.
        next_ids, next_ats, levels = zip(*schedules, strict=True)
        cursor.execute(
            _SCHEDULES_SQL,
            {
                "ids": ids,
                "slots": slots,
                "next_ids": list(next_ids),
                "next_ats": list(next_ats),
                "levels": list(levels),
            },
        )
    outbox.dispatch_on_commit(notices)
    if follow_ups:
        assignments = Assignment.objects.select_related(
            "regency", "directive__issuing_office"
        ).in_bulk([pk for pk, _ in follow_ups])
        for pk, planned in follow_ups:
            escalation.request_suspension(assignments[pk], planned)
    return len(ids) == escalation.BATCH or any(at and at <= now for _, at, _ in schedules)
