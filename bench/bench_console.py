"""The country console (/console/), a province's page (/console/provinces/35/, Jawa
Timur: 38 regencies) and the API's regency list and detail, read by a ministry officer
with national recording data, through Django's test client and the whole middleware
stack, against a bare one-query view in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_console.py [--days 365] [--repeat 7] [--database NAME]

(a) GET /console/: the page as served, its realisation and laggards read from the
    stored read model (compliance.summary);
(p) GET /console/provinces/35/: the province's page (a page of 25 regencies described,
    the realisation of all 38 from the read model);
(l) GET /api/v1/regencies/: the API's first page of 100 regencies (compliance.selectors.
    describe; residents affected from the read model);
(d) GET /api/v1/regencies/15.02/: one regency with its case file;
(b) the baseline: GET of a bare view sending one query (`SELECT 1`) and a short JSON
    answer, through the same stack;
(c) for information: what the page computed on every request before the read model
    (the latest report's date, realisation by province and the laggards from the
    reports: pages.console.realisation.by_province and find_laggards), and the one-off
    cost of computing and storing a snapshot (compliance.summary.refresh).
The reports come from a dedicated database (default `bench_console`), a generated year
of daily reports for every district imported when it holds none (--days of them).
Targets (issue 18): (a), (p) and (l) each at >= 0.1x the rate of (b), i.e. <= 10x (b)
in time, (d) at >= 0.3x (medians; the p95 of each, and the fastest run of each, are
printed too, and the CPU time each request took in this process, which other load
does not inflate: on a loaded machine the runs' ratios scatter widely, so note the load
average).
"""

import argparse
import statistics
import sys
import time

from bench_realisation import ensure_reports
from common import bench_database_url, setup_django

TARGET = 10.0  # the console's pages: >= 0.1x the bare view's rate
LIST_TARGET = 10.0  # API list endpoints: >= 0.1x
DETAIL_TARGET = 1 / 0.3  # API detail endpoints: >= 0.3x
PROVINCE = "35"  # Jawa Timur, the province with the most regencies and cities


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
        started, cpu = time.perf_counter(), time.process_time()
        run()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return elapsed, len(captured), cpu


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
    refresh_time, refresh_queries, _ = timed(lambda: summary.refresh())
    pages = {  # name: (url, target ratio to the bare view)
        "(a)": ("/console/", TARGET),
        "(p)": (f"/console/provinces/{PROVINCE}/", TARGET),
        "(l)": ("/api/v1/regencies/", LIST_TARGET),
        "(d)": ("/api/v1/regencies/15.02/", DETAIL_TARGET),
    }
    runs = {name: [] for name in [*pages, "(b)", "(c)"]}
    for url, _ in pages.values():
        get(url)
    get("/bench-bare/")
    for _ in range(args.repeat):  # interleaved
        for name, (url, _) in pages.items():
            runs[name].append(timed(lambda url=url: get(url)))
        runs["(b)"].append(timed(lambda: get("/bench-bare/")))
        runs["(c)"].append(timed(old_path))
    median = {name: statistics.median(t for t, *_ in done) for name, done in runs.items()}
    cpu = {name: statistics.median(c for *_, c in done) for name, done in runs.items()}
    b = median["(b)"]
    print(
        f"{RecordingReport.objects.count()} reports, {Regency.objects.count()} regencies, "
        f"a ministry officer, median of {args.repeat}, interleaved"
    )
    labels = {
        "(a)": "GET /console/ (read model)",
        "(p)": f"GET /console/provinces/{PROVINCE}/",
        "(l)": "GET /api/v1/regencies/ (100 of them)",
        "(d)": "GET /api/v1/regencies/15.02/",
        "(b)": "bare one-query view (baseline)",
        "(c)": "per-request figures before (info)",
    }
    for name, label in labels.items():
        print(
            f"{name} {label + ':':40s} {median[name] * 1000:8.1f} ms, {runs[name][-1][1]} queries"
        )
    print(
        f"    computing and storing a snapshot:        {refresh_time * 1000:8.1f} ms, "
        f"{refresh_queries} queries (once per import and day asked)"
    )
    met = True
    for name, (_, target) in pages.items():
        done, base = runs[name], runs["(b)"]
        ratios = [round(t / u, 1) for (t, *_), (u, *_) in zip(done, base, strict=True)]
        print(f"all runs, {name}/(b): {ratios}")
        ratio = median[name] / b
        p95 = _p95([t for t, *_ in done]) / _p95([t for t, *_ in base])
        fastest = min(t for t, *_ in done) / min(t for t, *_ in base)
        met_here = ratio <= target
        met = met and met_here
        print(
            f"ratio {name}/(b): {ratio:.1f}x in time, {1 / ratio:.2f}x the baseline's rate "
            f"({'meets' if met_here else 'BELOW'} the target of >= {1 / target:.1f}x); p95 over "
            f"p95: {p95:.1f}x; fastest over fastest (least disturbed by other load): "
            f"{fastest:.1f}x; CPU in this process over the baseline's: {cpu[name] / cpu['(b)']:.1f}x"
        )
    return 0 if met else 1


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    sys.exit(main())
