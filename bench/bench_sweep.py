"""One escalation sweep over 100,000 open assignments, 10 % of them due, against
hand-written set-based SQL doing the same writes; and the sweep's query count at 10,000,
100,000 and 1,000,000 open assignments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_sweep.py [--assignments 100000] [--due 0.1] [--repeat 3]
        [--broker redis://127.0.0.1:6379/0] [--count-at 10000,100000,1000000]

(a) workflow.escalation.sweep(now=...): every due assignment (all at their overdue notice,
    assignee plus the governor in copy) gets its StepEvent, its notifications and its next
    step planned on the business calendar, in rounds that lock with SKIP LOCKED; the
    notices are handed on commit to Celery on a real Redis broker (--broker, default
    REDIS_URL or redis://127.0.0.1:6379/0, under a key prefix of the benchmark's own,
    purged after each sweep; no worker consumes them);
(b) the baseline, one transaction of three statements: INSERT INTO workflow_stepevent
    ... SELECT, INSERT INTO workflow_notification ... SELECT (the same rows, keys and
    context), UPDATE workflow_assignment ... FROM (the next step by order, its instant
    approximated as due + 7 days: plain SQL has no holiday calendar); no broker.
Both run on the same data, restored and vacuumed before each measurement, interleaved,
after one sweep not measured (a process's first sweep pays imports and set-up once); the
medians count. The time (a) spends handing its notices to Celery on commit is printed
beside it, with the ratio without it, for information. Target (a)/(b) <= 1.5x (issue
18); the exit code is 1 above it.

Then the sweep's queries (and rounds of escalation.BATCH rows) at each --count-at size,
each in a database of its own, `<database>_<size>` (the size of the timed run uses the
timed run's figure). Data sets are built once and kept: a later run finds them in place
(the same count of assignments, the same due, no step written) and skips building; the
1,000,000 takes minutes to build the first time. `--count-at ''` skips the counts.

The benchmark uses its own databases (default `bench_workflow`, created and migrated when
missing) and rebuilds their workflow tables whenever their data is not the benchmark's.
See bench/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from baselines import load_average, redis_broker, runs_line, verdict
from common import bench_database_url, setup_django
from sweep_data import NOW, STOPPED, column_defaults, ensure_data, restore, snapshot_due

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--due", type=float, default=0.1, help="share of assignments due")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each")
    parser.add_argument("--database", default="bench_workflow", help="dedicated database")
    parser.add_argument(
        "--broker",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Celery broker the sweep hands its notices to (redis://... or memory://)",
    )
    parser.add_argument(
        "--count-at",
        default="10000,100000,1000000",
        help="comma-separated sizes (open assignments) to count the sweep's queries at",
    )
    parser.add_argument("--count-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def baseline_sql(now):
    """The same writes as the sweep, set-based, in one transaction. Returns the events."""
    from django.conf import settings
    from django.db import connection, transaction

    from workflow.models import Notification, StepEvent

    due = "a.next_step_at <= %s AND a.state <> ALL(%s)"
    ev_cols, ev_marks, ev_params = column_defaults(
        StepEvent, {"assignment_id", "step_id", "planned_at", "fired_at", "skipped"}
    )
    no_cols, no_marks, no_params = column_defaults(
        Notification,
        {"dedupe_key", "recipient_office_id", "recipient_email", "template", "context"}
        | {"assignment_id"},
    )
    # S608: the statements are assembled from constants and model metadata; values are bound.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflow_stepevent (assignment_id, step_id, planned_at, fired_at, "  # noqa: S608
            f"skipped, {', '.join(ev_cols)}) "
            f"SELECT a.id, a.next_step_id, a.next_step_at, %s, false, {', '.join(ev_marks)} "
            f"FROM workflow_assignment a WHERE {due}",
            [now, *ev_params, now, STOPPED],
        )
        events = cursor.rowcount
        cursor.execute(
            "INSERT INTO workflow_notification (dedupe_key, recipient_office_id, "  # noqa: S608
            f"recipient_email, template, context, assignment_id, {', '.join(no_cols)}) "
            "SELECT 'assignment:' || a.id || ':step:' || s.slug || ':' || r.role, r.office_id, "
            "r.email, 'step_' || s.action, jsonb_build_object('directive', a.directive_id, "
            "'title', d.title, 'office', o.title, 'due_at', a.due_at, 'step', s.slug, "
            "'action', s.action, 'level', s.\"order\", 'recommendation', s.recommendation, "
            f"'role', r.role), a.id, {', '.join(no_marks)} "
            "FROM workflow_assignment a "
            "JOIN workflow_escalationstep s ON s.id = a.next_step_id "
            "JOIN workflow_directive d ON d.id = a.directive_id "
            "JOIN compliance_office o ON o.id = a.office_id "
            "LEFT JOIN compliance_office g ON g.kind = 'governor' AND g.province_id = a.province_id "
            "CROSS JOIN LATERAL (VALUES ('assignee', o.id, o.email, s.to_assignee), "
            "('governor', g.id, g.email, s.to_governor AND a.regency_id IS NOT NULL), "
            "('ministry', NULL, %s, s.to_ministry)) AS r(role, office_id, email, wanted) "
            f"WHERE {due} AND r.wanted AND coalesce(r.email, '') <> ''",
            [*no_params, settings.MINISTRY_EMAIL, now, STOPPED],
        )
        cursor.execute(
            "UPDATE workflow_assignment a SET next_step_id = nxt.id, "  # noqa: S608
            "next_step_at = a.due_at + interval '7 days', last_step_at = a.next_step_at, "
            'escalation_level = s."order" '
            "FROM workflow_escalationstep s LEFT JOIN workflow_escalationstep nxt "
            'ON nxt.policy_id = s.policy_id AND nxt."order" = s."order" + 1 '
            f"WHERE s.id = a.next_step_id AND {due}",
            [now, STOPPED],
        )
    return events


class HandOverTimer:
    """Time spent handing the notices to Celery (outbox.dispatch, run on commit)."""

    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        from workflow.notifications import outbox

        self.outbox, self.dispatch = outbox, outbox.dispatch

        def timed_dispatch(ids):
            start = time.perf_counter()
            try:
                return self.dispatch(ids)
            finally:
                self.seconds += time.perf_counter() - start

        outbox.dispatch = timed_dispatch
        return self

    def __exit__(self, *exc):
        self.outbox.dispatch = self.dispatch


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def written():
    from workflow.models import Notification, StepEvent

    return (
        StepEvent.objects.count(),
        Notification.objects.filter(dedupe_key__contains=":step:").count(),
    )


def setup(database, broker, script="bench_sweep"):
    """Django on the database with the broker; returns purge() for what the sweep queued."""
    redis = broker.startswith("redis")
    setup_django(bench_database_url(database, script), CELERY_BROKER_URL=broker)
    if not redis:
        return lambda: 0
    _, _, purge = redis_broker(broker)
    return purge


def count_queries(database, broker, total, due_share):
    """One sweep, not timed for the verdict, in `database` with `total` assignments:
    (due, queries, rounds, seconds, seconds spent building). Leaves the data restored."""
    purge = setup(database, broker)
    from django.db import connection

    from workflow.escalation import sweep

    due, built = ensure_data(total, due_share)
    snapshot = snapshot_due()
    restore(snapshot)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        elapsed, result = timed(lambda: sweep(now=NOW))
    assert result.total == due, (result.total, due)
    purge()
    restore(snapshot)
    return due, counter.count, result.rounds, elapsed, built


def counts_elsewhere(args, sizes):
    """The query counts at `sizes`, each in a child process on `<database>_<size>`."""
    found = {}
    for size in sizes:
        command = [sys.executable, __file__, "--count-only", "--assignments", str(size)]
        command += ["--due", str(args.due), "--broker", args.broker]
        command += ["--database", f"{args.database}_{size}"]
        print(f"counting the sweep's queries at {size:,} open assignments ...", flush=True)
        out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            sys.exit(f"counting at {size} failed:\n{out.stderr[-3000:]}")
        line = [x for x in out.stdout.splitlines() if x.startswith("COUNT ")][-1]
        found[size] = tuple(float(x) for x in line.split()[1:])
    return found


def main():
    args = parse_args()
    if args.count_only:
        due, queries, rounds, elapsed, built = count_queries(
            args.database, args.broker, args.assignments, args.due
        )
        print(f"COUNT {due} {queries} {rounds} {elapsed} {built}")
        return 0
    purge = setup(args.database, args.broker)
    from django.db import connection

    from workflow.escalation import sweep

    due, built = ensure_data(args.assignments, args.due)
    snapshot = snapshot_due()
    print(
        f"data: {args.assignments} open assignments over 514 regencies, {due} due "
        + (f"({built:.1f} s to create)" if built else "(in place from an earlier run)")
    )
    # Warm up, not measured: the first sweep of a process pays one-time costs (imports,
    # the holiday calendar, Celery's producer and its connection) that a periodic sweep
    # does not.
    restore(snapshot)
    sweep(now=NOW)
    purge()
    sweep_times, sql_times, queries, rounds, hand_overs = [], [], [], [], []
    for _ in range(args.repeat):  # interleaved, so both see the same machine
        restore(snapshot)
        counter = QueryCounter()
        with connection.execute_wrapper(counter), HandOverTimer() as hand_over:
            elapsed, result = timed(lambda: sweep(now=NOW))
        hand_overs.append(hand_over.seconds)
        assert result.total == due, (result.total, due)
        sweep_times.append(elapsed)
        queries.append(counter.count)
        rounds.append(result.rounds)
        by_sweep = written()
        purge()

        restore(snapshot)
        elapsed, events = timed(lambda: baseline_sql(NOW))
        assert events == due, (events, due)
        sql_times.append(elapsed)
        assert written() == by_sweep, (written(), by_sweep)
    restore(snapshot)  # the data as built, for the next run

    server = connection.cursor().connection.info.server_version
    a, b = statistics.median(sweep_times), statistics.median(sql_times)
    ratio = a / b
    events, notices = by_sweep
    broker = args.broker.split("://")[0]
    print(
        f"PostgreSQL {server // 10000}.{server % 10000}, database {args.database}, broker "
        f"{args.broker}, {due} due of {args.assignments}: {events} step events, {notices} "
        f"notifications, median of {args.repeat}; {load_average()}"
    )
    hand_over = statistics.median(hand_overs)
    print(f"(a) escalation.sweep():        {a:7.2f} s  ({due / a:8.0f} steps/s)")
    print(
        f"    of which handing {notices} notices to Celery ({broker}) on commit: "
        f"{hand_over:.2f} s ((a) without it: {(a - hand_over) / b:.2f}x (b))"
    )
    print(f"(b) set-based SQL baseline:    {b:7.2f} s  ({due / b:8.0f} steps/s)")
    print(f"sweep queries: {queries[0]} in {rounds[0]} rounds (all runs: {queries})")
    print(runs_line("(a)/(b)", [x / y for x, y in zip(sweep_times, sql_times, strict=True)]))
    met, text = verdict(ratio, TARGET_RATIO, at_most=True)
    print(f"ratio (a)/(b): {text}")

    sizes = [int(x) for x in args.count_at.split(",") if x.strip()]
    counts = counts_elsewhere(args, [n for n in sizes if n != args.assignments])
    if sizes:
        print("sweep queries by open assignments (one sweep each, every due row fired):")
        print(f"  {'open':>10} {'due':>8} {'queries':>8} {'rounds':>7} {'sweep s':>8}")
    for size in sizes:
        if size == args.assignments:
            row = (due, queries[0], rounds[0], a)
        else:
            row = counts[size][:4]
            if counts[size][4]:
                print(f"  ({size:,}: data built in {counts[size][4]:.0f} s)")
        print(f"  {size:>10,} {int(row[0]):>8,} {int(row[1]):>8} {int(row[2]):>7} {row[3]:>8.2f}")
    print(f"at the end: {load_average()}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
