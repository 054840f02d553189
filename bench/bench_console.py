"""The country console (/console/) of a ministry officer with national recording data,
through Django's test client and the whole middleware stack, against a bare one-query
view in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_console.py [--days 365] [--repeat 7]

(a) GET /console/: the page as served, its realisation and laggards read from the
    stored read model (compliance.summary);
(b) the baseline: GET of a bare view sending one query (`SELECT 1`) and a short JSON
    answer, through the same stack;
(c) for information: what the page computed on every request before the read model
    (the latest report's date, realisation by province and the laggards from the
    reports: pages.console.realisation.by_province and find_laggards), and the one-off
    cost of computing and storing a snapshot (compliance.summary.refresh).
The reports come from a dedicated database (default `bench_console`), a generated year
of daily reports for every district imported when it holds none (--days of them).
Target (issue 18): (a) at >= 0.1x the rate of (b), i.e. (a) <= 10x (b) in time.
"""

import argparse
import statistics
import sys
import time

from bench_realisation import ensure_reports
from common import bench_database_url, setup_django

TARGET = 10.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365, help="days of reports when loading")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", default="bench_console", help="dedicated database")
    return parser.parse_args()


def timed(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
    return elapsed, len(captured)


def main():
    args = parse_args()
    setup_django(bench_database_url(args.database, "bench_console.py"))
    from django.conf import settings
    from django.db import connection
    from django.http import JsonResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    import ektp_compliance.urls
    from compliance import summary
    from compliance.models import RealisationSnapshot, RecordingReport, Regency
    from compliance.offices import appoint_official
    from pages.console import realisation

    ensure_reports(args.days)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def bare(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return JsonResponse({"ok": cursor.fetchone()[0]})

    ektp_compliance.urls.urlpatterns.append(path("bench-bare/", bare))
    clear_url_caches()
    user, _, _ = appoint_official(
        username="bench.console", kind="ministry_officer", email="bench@example.go.id"
    )
    client = Client()
    client.force_login(user)

    def get(url):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            sys.exit(f"{url}: HTTP {response.status_code}")

    def old_path():
        at = realisation.latest_report_date()
        realisation.by_province(at)
        realisation.find_laggards(at)

    RealisationSnapshot.objects.all().delete()
    refresh_time, refresh_queries = timed(lambda: summary.refresh())
    get("/console/")
    get("/bench-bare/")
    page, base, old = [], [], []
    for _ in range(args.repeat):  # interleaved
        page.append(timed(lambda: get("/console/")))
        base.append(timed(lambda: get("/bench-bare/")))
        old.append(timed(old_path))
    a, b, c = (statistics.median(t for t, _ in runs) for runs in (page, base, old))
    ratio = a / b
    regencies = Regency.objects.count()
    print(
        f"{RecordingReport.objects.count()} reports, {regencies} regencies, country console "
        f"of a ministry officer, median of {args.repeat}, interleaved"
    )
    print(f"(a) GET /console/ (read model):          {a * 1000:8.1f} ms, {page[-1][1]} queries")
    print(f"(b) bare one-query view (baseline):       {b * 1000:8.1f} ms, {base[-1][1]} queries")
    print(f"(c) per-request figures before (info):    {c * 1000:8.1f} ms, {old[-1][1]} queries")
    print(
        f"    computing and storing a snapshot:     {refresh_time * 1000:8.1f} ms, "
        f"{refresh_queries} queries (once per import and day asked)"
    )
    print(
        f"all runs, (a)/(b): {[round(t / u, 1) for (t, _), (u, _) in zip(page, base, strict=True)]}"
    )
    met = ratio <= TARGET
    print(
        f"ratio (a)/(b): {ratio:.1f}x in time, {1 / ratio:.2f}x the baseline's rate "
        f"({'meets' if met else 'BELOW'} the target of >= 0.1x)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
