"""Realisation of all 514 regencies (and the 38 provinces, and the country) at one date,
over a year of daily reports for every district: queries and time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_realisation.py [--days 365] [--repeat 5]

(a) compliance.recording.regency_realisation(at): one query, each regency summing its
    districts' latest report on or before the date;
(b) province_realisation(at) and realisation(at) (the country), for reference;
(c) the baseline: hand-written SQL doing the same sums with DISTINCT ON (the latest
    report per district), then GROUP BY regency.
The reports come from bench_import.py's database (default `bench_recording`); when it
holds none, a generated year is imported first. The median of --repeat runs counts.
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta

from common import ROOT, bench_database_url, setup_django

BASELINE = """
SELECT g.id, sum(l.obliged), sum(l.recorded), sum(l.printed)
FROM compliance_regency g
LEFT JOIN compliance_district d ON d.regency_id = g.id
LEFT JOIN (SELECT DISTINCT ON (district_id) district_id, obliged, recorded, printed
           FROM compliance_recordingreport WHERE date <= %s
           ORDER BY district_id, date DESC) AS l ON l.district_id = d.id
GROUP BY g.id
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365, help="days of reports when loading")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="bench_recording", help="dedicated database")
    return parser.parse_args()


def ensure_reports(days):
    from bench_import import generate

    from compliance.models import RecordingReport
    from compliance.recording_import import import_file

    if RecordingReport.objects.exists():
        return
    path = ROOT / "var" / "bench" / f"recording-{days}d.csv"
    if not path.exists():
        generate(path, days)
    with path.open("rb") as f:
        result = import_file(f, fmt="csv", today=date(2030, 1, 1))
    if not result.ok:
        sys.exit(f"the import refused the file: {result.errors[:3]}")


def measure(run, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = run()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, rows


def main():
    args = parse_args()
    setup_django(bench_database_url(args.database, "bench_realisation.py"))
    from django.db import connection

    from compliance.models import RecordingReport
    from compliance.recording import province_realisation, realisation, regency_realisation

    ensure_reports(args.days)
    last = RecordingReport.objects.latest("date").date
    at = last - timedelta(days=last.timetuple().tm_yday // 4)  # a date inside the year
    reports = RecordingReport.objects.count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, [at])
            return cursor.fetchall()

    a_time, a_queries, regencies = measure(lambda: list(regency_realisation(at)), args.repeat)
    p_time, p_queries, provinces = measure(lambda: list(province_realisation(at)), args.repeat)
    n_time, n_queries, country = measure(lambda: realisation(at), args.repeat)
    c_time, c_queries, rows = measure(baseline, args.repeat)
    ours = {r.pk: (r.obliged, r.recorded, r.printed) for r in regencies}
    theirs = {pk: (o, r, p) for pk, o, r, p in rows}
    if ours != theirs:
        sys.exit("regency_realisation and the baseline disagree")
    print(
        f"{reports} reports, realisation at {at}, median of {args.repeat} "
        f"(country: {country['realisation']} %)"
    )
    print(
        f"(a) regency_realisation, {len(regencies)} regencies: {a_queries} query, {a_time * 1000:.0f} ms"
    )
    print(
        f"(b) province_realisation, {len(provinces)} provinces: {p_queries} query, {p_time * 1000:.0f} ms"
    )
    print(f"    realisation(at), the country:            {n_queries} query, {n_time * 1000:.0f} ms")
    print(f"(c) baseline, DISTINCT ON then GROUP BY:     {c_queries} query, {c_time * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
