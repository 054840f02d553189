"""The data bench_sweep.py sweeps: a national directive's open assignments in their
workflow tables (built in chunks, kept between runs), the due ones' snapshot and its
restoring between measurements."""

import datetime as dt
import time
import zoneinfo

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2027, 3, 2, 0, 0, tzinfo=WIB)  # the end of Monday 1 March, WIB
STOPPED = ["submitted", "verified", "withdrawn"]
CHUNK = 50_000  # assignments built and written at a time: 1,000,000 instances won't fit


def empty_workflow_tables():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            # CASCADE: the tables that refer to these (letters, ...) go with them.
            "TRUNCATE workflow_notification, workflow_stepevent, workflow_assignmentevent, "
            "workflow_extensionrequest, workflow_assignment, workflow_directive CASCADE"
        )


def bench_officer():
    from compliance.offices import appoint_official

    user, office, _ = appoint_official(
        username="bench-officer", kind="ministry_officer", email="bench-officer@bench.example"
    )
    return user, office


def create_directives(count, *, officer, office, scope_kind, due_date, issued_at):
    from workflow.models import Directive, EscalationPolicy

    policy = EscalationPolicy.objects.get(slug="program-strategis-nasional")
    return Directive.objects.bulk_create(
        [
            Directive(
                title=f"Bench directive {i}",
                body="bench",
                legal_basis="PP 12/2017 Pasal 38",
                issuing_office=office,
                created_by=officer,
                due_date=due_date,
                policy=policy,
                scope_kind=scope_kind,
                state="issued",
                issued_at=issued_at,
            )
            for i in range(count)
        ]
    )


def create_assignments(total, due_share):
    """`total` issued assignments spread over every regent and mayor, one per directive
    and office; every (1/due_share)-th is at its overdue notice, due before NOW, the rest
    wait for a reminder weeks ahead. Written CHUNK at a time. Returns the number due."""
    from compliance.models import Office
    from workflow.calendar import due_instant
    from workflow.models import Assignment, EscalationStep

    officer, office = bench_officer()
    offices = list(Office.objects.filter(kind__in=["regent", "mayor"]).select_related("province"))
    steps = {
        s.slug: s for s in EscalationStep.objects.filter(policy__slug="program-strategis-nasional")
    }
    issued_at = NOW - dt.timedelta(days=30)
    late_due, future_due = NOW.date() - dt.timedelta(days=1), NOW.date() + dt.timedelta(days=30)
    directives = create_directives(
        -(-total // len(offices)),
        officer=officer,
        office=office,
        scope_kind="all_regencies",
        due_date=future_due,
        issued_at=issued_at,
    )
    every = round(1 / due_share)
    due = 0
    for first in range(0, total, CHUNK):
        rows = []
        for i in range(first, min(total, first + CHUNK)):
            directive, recipient = directives[i // len(offices)], offices[i % len(offices)]
            tz = recipient.province.zoneinfo
            is_due = i % every == 0
            due_date = late_due if is_due else future_due
            rows.append(
                Assignment(
                    directive=directive,
                    office=recipient,
                    province=recipient.province,
                    regency_id=recipient.regency_id,
                    due_date=due_date,
                    due_at=due_instant(due_date, tz),
                    issued_at=issued_at,
                    next_step=steps["overdue-notice" if is_due else "due-reminder"],
                    next_step_at=due_instant(due_date, tz)
                    if is_due
                    else due_instant(future_due, tz) - dt.timedelta(days=5),
                    last_step_at=issued_at,
                    escalation_level=2 if is_due else 1,
                )
            )
            due += is_due
        Assignment.objects.bulk_create(rows, batch_size=5000)
    return due


def expected_due(total, due_share):
    every = round(1 / due_share)
    return -(-total // every)


def data_in_place(total, due_share):
    """Whether the tables hold the benchmark's data as built (or as restored): `total`
    assignments, the expected number due at NOW, no step written."""
    from workflow.models import Assignment, Notification, StepEvent

    return (
        Assignment.objects.count() == total
        and Assignment.objects.filter(next_step_at__lte=NOW).exclude(state__in=STOPPED).count()
        == expected_due(total, due_share)
        and not StepEvent.objects.exists()
        and not Notification.objects.filter(dedupe_key__contains=":step:").exists()
    )


def ensure_data(total, due_share):
    """Build the data unless it is in place; returns (due, seconds spent building)."""
    started = time.perf_counter()
    if data_in_place(total, due_share):
        return expected_due(total, due_share), 0.0
    empty_workflow_tables()
    due = create_assignments(total, due_share)
    assert due == expected_due(total, due_share), (due, total)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_assignment")
    return due, time.perf_counter() - started


def snapshot_due():
    """The due rows' schedule, to put back before each measurement."""
    from workflow.models import Assignment

    return list(
        Assignment.objects.filter(next_step_at__lte=NOW).values_list(
            "id", "next_step_id", "next_step_at", "last_step_at", "escalation_level"
        )
    )


def restore(snapshot):
    """Undo a measurement: the same rows due again, no events, no step notices; then
    VACUUM ANALYZE, so that both contenders start from the same tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_notification WHERE dedupe_key LIKE '%%:step:%%'")
        cursor.execute("DELETE FROM workflow_stepevent")
        cursor.execute("DROP TABLE IF EXISTS bench_due")
        cursor.execute(
            "CREATE TEMP TABLE bench_due (id bigint, next_step_id bigint, next_step_at "
            "timestamptz, last_step_at timestamptz, escalation_level smallint)"
        )
        with cursor.cursor.copy(
            "COPY bench_due (id, next_step_id, next_step_at, last_step_at, escalation_level) "
            "FROM STDIN"
        ) as copy:
            for row in snapshot:
                copy.write_row(row)
        cursor.execute(
            "UPDATE workflow_assignment a SET next_step_id = d.next_step_id, "
            "next_step_at = d.next_step_at, last_step_at = d.last_step_at, "
            "escalation_level = d.escalation_level FROM bench_due d WHERE a.id = d.id"
        )
        cursor.execute("DROP TABLE bench_due")
        for table in ("workflow_assignment", "workflow_stepevent", "workflow_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def column_defaults(model, given):
    """(columns, SQL placeholders, params) for the model's fields the statement does not
    set itself: their Python defaults, as Django would have written them."""
    from django.db import connection

    columns, params = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        columns.append(f'"{f.column}"')
        params.append(f.get_db_prep_save(f.get_default(), connection))
    return columns, ["%s"] * len(columns), params
