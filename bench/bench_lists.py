"""The assignment list at page 1 and at row 50,000: by page number (OFFSET, `count`) and
by cursor (keyset), through the whole API stack (Django's test client, a signed-in
ministry officer who sees every assignment).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_lists.py [--assignments 100000] [--repeat 7] [--profile]

Data: `--assignments` issued assignments, one per regent or mayor and directive, the
directives due on successive days (as a year of directives would be), so that the list's
order (due_at, id) has the ties a real one has: one per time zone and directive.
Measured, interleaved, `--repeat` times each (medians count), 100 rows a page:
  page=1 and page=501 (OFFSET 50,000; both with COUNT(*), as ever);
  the first page without a cursor (`count` included, the compatible answer), the same
  with ?count=false, and the cursor page that starts at row 50,001.
Target: the cursor page at row 50,001 within 1.2x of the first page (both without count);
the exit code is 1 above it. --profile prints cProfile's top functions for one page of
1,000 rows.

The benchmark uses its own database (default `bench_lists`, created and migrated when
missing) and refills its workflow tables when they do not hold `--assignments` rows.
"""

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import statistics
import sys
import time
import zoneinfo

from common import bench_database_url, setup_django

TARGET_RATIO = 1.2
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED_AT = dt.datetime(2027, 1, 4, 9, 0, tzinfo=WIB)
URL = "/api/v1/assignments/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="measurements of each")
    parser.add_argument("--database", default="bench_lists", help="dedicated database")
    parser.add_argument("--profile", action="store_true", help="cProfile a page of 1,000")
    return parser.parse_args()


def fill(total):
    """`total` assignments over every regent and mayor, one directive per due day."""
    from django.db import connection

    from compliance.models import Office
    from compliance.offices import appoint_official
    from workflow.calendar import due_instant
    from workflow.models import Assignment, Directive, EscalationPolicy, EscalationStep

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE workflow_notification, workflow_stepevent, workflow_assignmentevent, "
            "workflow_extensionrequest, workflow_assignment, workflow_directive CASCADE"
        )
    officer, office, _ = appoint_official(
        username="bench-officer", kind="ministry_officer", email="bench-officer@bench.example"
    )
    offices = list(Office.objects.filter(kind__in=["regent", "mayor"]).select_related("province"))
    policy = EscalationPolicy.objects.get(slug="program-strategis-nasional")
    reminder = EscalationStep.objects.get(policy=policy, slug="due-reminder")
    count = -(-total // len(offices))
    first_due = ISSUED_AT.date() + dt.timedelta(days=30)
    directives = Directive.objects.bulk_create(
        [
            Directive(
                title=f"Bench directive {i}",
                body="bench " * 200,
                legal_basis="PP 12/2017 Pasal 38",
                issuing_office=office,
                created_by=officer,
                due_date=first_due + dt.timedelta(days=i),
                policy=policy,
                scope_kind="all_regencies",
                state="issued",
                issued_at=ISSUED_AT,
            )
            for i in range(count)
        ]
    )
    rows = []
    for i in range(total):
        directive, recipient = directives[i // len(offices)], offices[i % len(offices)]
        due = due_instant(directive.due_date, recipient.province.zoneinfo)
        rows.append(
            Assignment(
                directive=directive,
                office=recipient,
                province=recipient.province,
                regency_id=recipient.regency_id,
                due_date=directive.due_date,
                due_at=due,
                issued_at=ISSUED_AT,
                next_step=reminder,
                next_step_at=due - dt.timedelta(days=2),
                last_step_at=ISSUED_AT,
            )
        )
        if len(rows) == 10_000:
            Assignment.objects.bulk_create(rows)
            rows = []
    Assignment.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_assignment")
        cursor.execute("VACUUM ANALYZE workflow_directive")


def deep_cursor(offset):
    """The cursor of the `next` link whose page starts at row offset + 1."""
    from compliance.api.inputs import KeysetPages
    from workflow.models import Assignment

    row = Assignment.objects.order_by("due_at", "id")[offset - 1]
    pages = KeysetPages()
    return pages.encode(row, pages.ordering_of(Assignment.objects.order_by("due_at", "id")))


def timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content[:500]
    return elapsed, response


def main():
    args = parse_args()
    setup_django(
        bench_database_url(args.database, "bench_lists.py"),
        CELERY_BROKER_URL="memory://",
        # Per second: DRF's throttle reads and writes every request's time within its
        # period, so an hourly budget would carry the whole run (bench_http.py's note).
        API_THROTTLE_USER_RATE="1000000/second",
    )
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from workflow.models import Assignment

    settings.ALLOWED_HOSTS = ["*"]
    if Assignment.objects.count() != args.assignments:
        started = time.perf_counter()
        fill(args.assignments)
        print(f"filled {args.assignments} assignments in {time.perf_counter() - started:.0f} s")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-officer"))
    offset = 50_000 if args.assignments > 50_100 else args.assignments // 2
    cursor = deep_cursor(offset)
    cases = {
        "page=1 (OFFSET 0, count)": f"{URL}?page=1",
        f"page={offset // 100 + 1} (OFFSET {offset}, count)": f"{URL}?page={offset // 100 + 1}",
        "first page, no cursor (count)": URL,
        "first page, no cursor, count=false": f"{URL}?count=false",
        f"cursor at row {offset + 1} (no count)": f"{URL}?cursor={cursor}",
    }
    for url in cases.values():  # warm up: imports, plans, caches
        timed(client, url)
    times = {name: [] for name in cases}
    query_counts = {}
    for _ in range(args.repeat):
        for name, url in cases.items():
            with CaptureQueriesContext(connection) as captured:
                elapsed, response = timed(client, url)
            times[name].append(elapsed)
            query_counts[name] = len(captured)
            assert len(response.json()["results"]) == 100
    load = os.getloadavg()
    print(
        f"{args.assignments} assignments, 100 rows a page, median of {args.repeat}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"  {name:<40} {value:8.1f} ms  {query_counts[name]} queries")
    names = list(cases)
    by_page = medians[names[1]] / medians[names[0]]
    by_cursor = medians[names[4]] / medians[names[3]]
    print(f"deep/first by page number: {by_page:.2f}x")
    print(f"deep/first by cursor:      {by_cursor:.2f}x (target <= {TARGET_RATIO}x)")
    met = by_cursor <= TARGET_RATIO
    print("target met" if met else "target NOT met")
    if args.profile:
        profile(client)
    sys.exit(0 if met else 1)


def profile(client):
    """Where one page of 1,000 rows spends its time: the top functions by own time, and
    the share of django-fsm (its per-instance set-up) and of model instances' __init__."""
    profiler = cProfile.Profile()
    profiler.enable()
    elapsed, _ = timed(client, f"{URL}?limit=1000&count=false")
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt

    def share(test):
        own = sum(row[2] for key, row in stats.stats.items() if test(key))
        cumulative = max((row[3] for key, row in stats.stats.items() if test(key)), default=0)
        return own, cumulative

    fsm_own, _ = share(lambda key: "django_fsm" in key[0])
    _, init_cumulative = share(lambda key: key[2] == "__init__" and "db/models/base.py" in key[0])
    _, serialize = share(lambda key: key[2] == "data" and "rest_framework/serializers.py" in key[0])
    print(f"\ncProfile, one page of 1,000 rows: {elapsed:.0f} ms with the profiler")
    print(f"  django-fsm, own time:          {fsm_own * 1000:6.1f} ms ({fsm_own / total:.0%})")
    print(f"  Model.__init__, cumulative:    {init_cumulative * 1000:6.1f} ms")
    print(f"  serializer .data, cumulative:  {serialize * 1000:6.1f} ms ({serialize / total:.0%})")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(15)
    print(out.getvalue())


if __name__ == "__main__":
    main()
