"""National fan-out: issuing directives to all 552 offices, against one INSERT ... SELECT
of 552 bare assignment rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_fanout.py [--repeat 5]

(a) workflow.services.issue_directive on a directive to all regencies and cities (514
    regents and mayors) and one to all provinces (38 governors): the lock, the recipient
    query, the due instant per time zone, the first escalation step planned on the
    business calendar, the assignments AND their 552 issue notices, in one transaction
    each; the notices handed on commit to an in-memory Celery broker;
(b) the baseline: one statement, INSERT INTO workflow_assignment ... SELECT from the 552
    offices, for two directives already issued: bare rows (directive, office, region,
    due date, due instant in the office's time zone computed by PostgreSQL, issue
    instant), no step planned, no notice; the statement and its parameters are built
    before the clock starts, so nothing is built in Python inside the timer;
(c) the baseline for both tables (a) writes: (b), then a second INSERT INTO
    workflow_notification ... SELECT of one bare notice per row just written, in one
    transaction;
(d) a diagnostic, the floor of a correct fan-out: (c) and the two directives' feed events
    with their 552 region rows (compliance.events.record, the codes computed before the
    clock starts), in the same one transaction. Issuing must write all three in the
    transaction that issues (the outbox and the feed are written with the change).
Interleaved, the medians count. Target (a)/(b) <= 2x (issue 18); (a)/(c) and (a)/(d) are
printed beside it. The exit code is 1 above the target. Uses the same dedicated database as
bench_sweep.py (default `bench_workflow`).
"""

import argparse
import datetime as dt
import statistics
import sys
import time

from baselines import load_average, runs_line, verdict
from common import bench_database_url, setup_django
from sweep_data import bench_officer, create_directives
from sweep_data import column_defaults as _defaults

TARGET_RATIO = 2.0
DUE = dt.date(2027, 3, 31)
OFFICE_KINDS = ["regent", "mayor", "governor"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measurements of each")
    parser.add_argument("--database", default="bench_workflow", help="dedicated database")
    return parser.parse_args()


def fan_out(officer):
    """Time issuing the two national directives (drafting them is not timed)."""
    from workflow import services
    from workflow.models import Assignment

    drafts = [
        services.create_directive(
            actor=officer,
            title="Percepatan perekaman KTP-el",
            body="bench",
            legal_basis="PP 12/2017 Pasal 38",
            due_date=DUE,
            scope=scope,
        )
        for scope in ({"all_regencies": True}, {"all_provinces": True})
    ]
    start = time.perf_counter()
    for d in drafts:
        services.issue_directive(directive=d, actor=officer)
    elapsed = time.perf_counter() - start
    # Counted after the clock stops: on PostgreSQL issuing returns its assignments as a
    # queryset, and loading 552 instances is the caller's work, not the fan-out's.
    return elapsed, Assignment.objects.filter(directive__in=drafts).count()


def bare_statements():
    """(assignments SQL, notices SQL, their fixed parameters): written once per run."""
    from workflow.models import Assignment, Notification

    a_cols, a_marks, a_params = _defaults(
        Assignment,
        {"directive_id", "office_id", "province_id", "regency_id", "due_date", "due_at"}
        | {"issued_at"},
    )
    n_cols, n_marks, n_params = _defaults(
        Notification,
        {"dedupe_key", "recipient_office_id", "recipient_email", "template", "assignment_id"},
    )
    # The due instant: the end of the due day in the office's province's time zone, as
    # workflow.calendar.due_instant says, computed by PostgreSQL.
    # S608: assembled from constants and model metadata; values are bound.
    assignments = (
        "INSERT INTO workflow_assignment (directive_id, office_id, province_id, "  # noqa: S608
        f"regency_id, due_date, due_at, issued_at, {', '.join(a_cols)}) "
        "SELECT CASE WHEN o.regency_id IS NULL THEN %s ELSE %s END, o.id, o.province_id, "
        "o.regency_id, %s::date, (%s::date + 1)::timestamp AT TIME ZONE p.time_zone, %s, "
        f"{', '.join(a_marks)} "
        "FROM compliance_office o JOIN compliance_province p ON p.id = o.province_id "
        "WHERE o.kind = ANY(%s)"
    )
    notices = (
        "INSERT INTO workflow_notification (dedupe_key, recipient_office_id, "  # noqa: S608
        f"recipient_email, template, assignment_id, {', '.join(n_cols)}) "
        "SELECT 'bench:' || a.id, a.office_id, 'bench@bench.example', 'directive_issued', "
        f"a.id, {', '.join(n_marks)} FROM workflow_assignment a WHERE a.directive_id IN (%s, %s)"
    )
    return assignments, a_params, notices, n_params


def feed_codes():
    """The region codes of the two directives' feed events, for (d)."""
    from compliance.models import Office
    from workflow import feed

    return [
        feed.codes_of_offices(Office.objects.filter(kind__in=kinds))
        for kinds in (["regent", "mayor"], ["governor"])
    ]


def bare_rows(officer, office, statements, notices=False, codes=None):
    """Time the one INSERT ... SELECT of a bare row per office for two directives already
    issued (and, with `notices`, the second one of a bare notice per row; with `codes`,
    the two directives' feed events carrying them)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from compliance import events

    assignments_sql, a_params, notices_sql, n_params = statements
    now = timezone.now()
    regencies, provinces = create_directives(
        2, officer=officer, office=office, scope_kind="all_regencies", due_date=DUE, issued_at=now
    )
    params = [provinces.pk, regencies.pk, DUE, DUE, now, *a_params, OFFICE_KINDS]
    notice_params = [*n_params, regencies.pk, provinces.pk]
    with connection.cursor() as cursor:
        start = time.perf_counter()
        with transaction.atomic():
            cursor.execute(assignments_sql, params)
            rows = cursor.rowcount
            if notices:
                cursor.execute(notices_sql, notice_params)
                assert cursor.rowcount == rows, (cursor.rowcount, rows)
            if codes:
                for directive, regions in zip((regencies, provinces), codes, strict=True):
                    data = {"directive": directive.pk}
                    events.record("directive.issued", at=now, regions=regions, data=data)
        return time.perf_counter() - start, rows


def main():
    args = parse_args()
    setup_django(bench_database_url(args.database, "bench_fanout"), CELERY_BROKER_URL="memory://")
    from django.db import connection

    from compliance.models import Office

    officer, office = bench_officer()
    offices = Office.objects.filter(kind__in=OFFICE_KINDS).count()
    statements = bare_statements()
    codes = feed_codes()
    fan_out(officer)  # warm up
    bare_rows(officer, office, statements, notices=True, codes=codes)
    issued, bare, both, floor = [], [], [], []
    for _ in range(args.repeat):  # interleaved, so all see the same machine
        elapsed, made = fan_out(officer)
        assert made == offices == 552, (made, offices)
        issued.append(elapsed)
        elapsed, made = bare_rows(officer, office, statements)
        assert made == 552, made
        bare.append(elapsed)
        both.append(bare_rows(officer, office, statements, notices=True)[0])
        floor.append(bare_rows(officer, office, statements, notices=True, codes=codes)[0])

    server = connection.cursor().connection.info.server_version
    a, b, c = statistics.median(issued), statistics.median(bare), statistics.median(both)
    d = statistics.median(floor)
    ratio = a / b
    print(
        f"PostgreSQL {server // 10000}.{server % 10000}, database {args.database}, "
        f"552 offices (514 regents and mayors, 38 governors), median of {args.repeat}; "
        f"{load_average()}"
    )
    print(f"(a) issue_directive x2 (552 assignments + 552 notices): {a * 1000:7.1f} ms")
    print(f"(b) one INSERT ... SELECT of 552 bare assignments:     {b * 1000:7.1f} ms")
    print(
        f"(c) (b) + one INSERT ... SELECT of 552 bare notices:    {c * 1000:7.1f} ms "
        f"((a)/(c) {a / c:.2f}x)"
    )
    print(
        f"(d) (c) + the 2 feed events, 552 region rows (floor): {d * 1000:7.1f} ms "
        f"((a)/(d) {a / d:.2f}x, (d)/(b) {d / b:.2f}x)"
    )
    print(runs_line("(a)/(b)", [x / y for x, y in zip(issued, bare, strict=True)]))
    print(runs_line("(a)/(c)", [x / y for x, y in zip(issued, both, strict=True)]))
    met, text = verdict(ratio, TARGET_RATIO, at_most=True)
    print(f"ratio (a)/(b): {text}")
    print(f"at the end: {load_average()}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
