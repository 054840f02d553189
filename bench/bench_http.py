"""The real endpoints over HTTP, served by gunicorn on PostgreSQL with national data, against
a bare one-query DRF view in the same run, with wrk at 50 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_http.py [--duration 10] [--repeat 3] [--locust]

Data (built once in a dedicated database, default `bench_http`, reused on the next run):
a year of daily recording reports for every district of the 514 regencies (2.66 M rows,
bench_realisation.ensure_reports, as bench_console.py loads them) and 100,000 issued
assignments (bench_lists.fill).
Served by `gunicorn -w 2` with DEBUG off and bench/http_site/settings.py: the project's
settings and URLs plus `bench/ping/`, the baseline (one `SELECT 1`, no authentication),
and `bench/signed-in-ping/`, the same behind the API's token, permission and throttles (a
reference row, no target: what signing in costs every API request before its own work).
The database is VACUUM ANALYZEd before the rounds: the planner's statistics, as
autovacuum keeps a production database's (the test machines run PostgreSQL without it).
Pages are asked for with a session cookie (a ministry officer; a governor and a regent for
information), the API with an API token. Each endpoint must answer 200 once before it is
timed. Then `--repeat` rounds of `wrk -c --connections -d --duration`, the baseline first in
each round, the endpoints after it; the medians count.
Targets (issue 18), as ratios to the baseline: the console and the province page >= 0.1x
req/s and p95 <= 10x; details >= 0.3x req/s; lists (100 rows) >= 0.1x req/s; a deep page
of the assignments within 1.2x of page 1 (in req/s). Exit code 1 when one is missed.
The column `x signed` gives, for information, the API endpoints' req/s against the
signed-in view (no target). --locust then runs bench/locustfile.py headless against the
same server and prints its failures and p95 per page.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, bench_database_url, planner_statistics, setup_django
from http_accounts import accounts
from http_load import (
    WRK,
    WRK_SCRIPT,
    Run,
    get,
    load_average,
    locust_headless,
    start_server,
    stop_server,
    wait_until_up,
    wrk,
)


@dataclass
class Endpoint:
    name: str
    url: str
    auth: str  # "session:<role>", "token" or "none"
    target: str = ""  # "page", "detail", "list", "deep" or "" (for information)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the median counts")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="bench_http", help="dedicated database")
    parser.add_argument("--days", type=int, default=365, help="days of reports when building")
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--skip-build", action="store_true", help="use the data as it is")
    parser.add_argument("--locust", action="store_true", help="also run bench/locustfile.py")
    parser.add_argument("--locust-users", type=int, default=50)
    parser.add_argument("--locust-rate", type=float, default=2, help="users started a second")
    parser.add_argument("--locust-time", default="120s")
    parser.add_argument("--no-wrk", action="store_true", help="only the locust scenario")
    return parser.parse_args()


def server_environment(database_url, static_root):
    """What gunicorn and this process share: sessions made here are read there (same
    SECRET_KEY), and the API's throttle counters in Redis db 3 as in production (the
    rate raised: one user sends thousands of requests a second). The rate is counted per
    second, not per hour: DRF's throttle keeps the time of every request within its period
    and reads and writes that list on each request, so an hourly budget of a billion would
    carry every request of the run (tens of thousands of entries, ~2 ms a request by the
    end); per second it holds the last second's few hundred, as production's 1,000 an hour
    holds at most a thousand."""
    return {
        "DATABASE_URL": database_url,
        "READ_DOT_ENV": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://ektp.bench.example",  # DEBUG off refuses a loopback one
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
        "CELERY_BROKER_URL": "memory://",
        "API_THROTTLE_USER_RATE": "1000000/second",
        "LOG_LEVEL": "WARNING",
    }


def build(args):
    """National data, once: the reports (bench_console.py's) and the assignments
    (bench_lists.py's); each is skipped when already there."""
    from bench_lists import fill
    from bench_realisation import ensure_reports

    from compliance.models import RecordingReport
    from workflow.models import Assignment

    started = time.perf_counter()
    ensure_reports(args.days)
    if Assignment.objects.count() != args.assignments:
        fill(args.assignments)
    elapsed = time.perf_counter() - started
    if elapsed > 1:
        print(f"built the national data in {elapsed:.0f} s")
    print(
        f"data: {RecordingReport.objects.count()} recording reports, "
        f"{Assignment.objects.count()} assignments"
    )


def endpoints():
    """What wrk asks for, the baseline first."""
    from bench_lists import deep_cursor

    from workflow.models import Assignment

    assignment = Assignment.objects.filter(regency__code="15.02").order_by("id").first().pk
    total = Assignment.objects.count()
    offset = 50_000 if total > 50_100 else total // 2
    cursor = deep_cursor(offset)
    deep_page = offset // 100
    A = "/api/v1/assignments/"
    return [
        Endpoint("bare one-query DRF view", "/bench/ping/", "none"),
        Endpoint("same, signed in (token, throttle)", "/bench/signed-in-ping/", "token"),
        Endpoint("/console/ (officer)", "/console/", "session:officer", "page"),
        Endpoint("/console/provinces/15/", "/console/provinces/15/", "session:officer", "page"),
        Endpoint("/api/v1/regencies/15.02/", "/api/v1/regencies/15.02/", "token", "detail"),
        Endpoint(f"{A}<id>/", f"{A}{assignment}/", "token", "detail"),
        Endpoint("/api/v1/regencies/", "/api/v1/regencies/", "token", "list"),
        Endpoint(f"{A} (page 1)", A, "token", "list"),
        Endpoint("/api/v1/directives/", "/api/v1/directives/", "token", "list"),
        Endpoint(f"{A}?page={deep_page}", f"{A}?page={deep_page}", "token", "deep"),
        Endpoint(f"{A}?cursor= (row {offset + 1})", f"{A}?cursor={cursor}", "token", "deep"),
        Endpoint(f"{A}?limit=100&count=false", f"{A}?limit=100&count=false", "token"),
        Endpoint("/console/ (governor, Jambi)", "/console/", "session:governor"),
        Endpoint("/inbox/ (regent, Merangin)", "/inbox/", "session:regent"),
    ]


def headers_for(endpoint, cookies, token):
    if endpoint.auth == "token":
        return {"Authorization": f"Token {token}"}
    if endpoint.auth.startswith("session:"):
        return {"Cookie": cookies[endpoint.auth.split(":", 1)[1]]}
    return {}


def median_run(runs):
    def med(field):
        return statistics.median(getattr(r, field) for r in runs)

    return Run(
        med("rate"),
        med("p50"),
        med("p95"),
        med("p99"),
        sum(r.non_2xx for r in runs),
        sum(r.errors for r in runs),
        sum(r.requests for r in runs),
    )


def ratio(runs, baseline, field):
    """The median over the rounds of each run's figure against the baseline run of the same
    round: the load of other processes changes between rounds more than within one."""
    return statistics.median(
        getattr(run, field) / getattr(base, field) if getattr(base, field) else 0.0
        for run, base in zip(runs, baseline, strict=True)
    )


def verdicts(endpoint, runs, bare, page_one):
    """(target text, met) for the endpoint; ("", None) when it has none."""
    run = median_run(runs)
    rate, p95 = ratio(runs, bare, "rate"), ratio(runs, bare, "p95")
    if run.non_2xx or run.errors or not run.rate:
        return "no errors", False
    if endpoint.target == "page":
        return ">=0.1x req/s, p95<=10x", rate >= 0.1 and p95 <= 10
    if endpoint.target == "detail":
        return ">=0.3x req/s", rate >= 0.3
    if endpoint.target == "list":
        return ">=0.1x req/s", rate >= 0.1
    if endpoint.target == "deep":
        slower = 1 / ratio(runs, page_one, "rate")
        return f"<=1.2x page 1 ({slower:.2f}x)", slower <= 1.2
    return "", None


def signed_ratio(endpoint, runs, signed):
    """req/s against the signed-in view, for the API's token endpoints ("" otherwise)."""
    if endpoint.auth != "token" or endpoint.url.startswith("/bench/"):
        return ""
    return f"{ratio(runs, signed, 'rate'):.2f}"


def print_table(results, load_start, load_end, args):
    print(
        f"\n{args.connections} connections, gunicorn -w {args.workers}, {args.duration} s a run, "
        f"median of {args.repeat} interleaved rounds (ratios: median of each round's)"
    )
    print(f"load average at start {load_start}, at end {load_end}")
    head = f"{'endpoint':<44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
    head += f"{'non2xx':>6} {'x req/s':>7} {'x p95':>6} {'x signed':>8}  target"
    print(head)
    bare = results[0][1]
    # For information (no target): the API endpoints' req/s against the signed-in view,
    # which pays what every API request pays before its own work.
    signed = next(runs for ep, runs in results if ep.url == "/bench/signed-in-ping/")
    page_one = next(runs for ep, runs in results if ep.name.endswith("(page 1)"))
    all_met = True
    for endpoint, runs in results:
        run = median_run(runs)
        target, met = verdicts(endpoint, runs, bare, page_one)
        verdict = "" if met is None else ("met" if met else "NOT MET")
        all_met = all_met and met is not False
        print(
            f"{endpoint.name:<44} {run.rate:8.1f} {run.p50:8.1f} {run.p95:8.1f} {run.p99:8.1f} "
            f"{run.non_2xx + run.errors:>6} {ratio(runs, bare, 'rate'):7.2f} "
            f"{ratio(runs, bare, 'p95'):6.1f} {signed_ratio(endpoint, runs, signed):>8}  "
            f"{target} {verdict}"
        )
    print("every target met" if all_met else "some targets NOT met")
    return all_met


def measure(args, points, cookies, token):
    """Check each endpoint answers 200, then the interleaved wrk rounds."""
    for endpoint in points:
        status, body = get(args.port, endpoint.url, headers_for(endpoint, cookies, token))
        if status != 200:
            sys.exit(f"{endpoint.url} answers {status}, not 200: {body[:300]!r}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    runs = {endpoint.name: [] for endpoint in points}
    load_start = load_average()
    try:
        for round_ in range(args.repeat):
            for endpoint in points:
                run = wrk(args, script.name, endpoint.url, headers_for(endpoint, cookies, token))
                runs[endpoint.name].append(run)
                print(
                    f"round {round_ + 1} {endpoint.name:<44} {run.rate:8.1f} req/s  "
                    f"p95 {run.p95:8.1f} ms  non-2xx {run.non_2xx}  errors {run.errors}",
                    flush=True,
                )
    finally:
        os.unlink(script.name)
    results = [(endpoint, runs[endpoint.name]) for endpoint in points]
    return results, load_start, load_average()


def run_locust(args, scenario):
    """bench/locustfile.py headless against the server; the accounts (with their recovery
    codes) in a JSON file of a temporary directory, removed with locust's CSV files."""
    folder = Path(tempfile.mkdtemp(prefix="bench-http-locust-"))
    try:
        scenario_path = folder / "scenario.json"
        scenario_path.write_text(json.dumps(scenario))
        locust_headless(args, scenario_path, folder / "run")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    args = parse_args()
    if not Path(WRK).exists() and not args.no_wrk:
        sys.exit(f"{WRK} is missing: sudo apt-get install wrk (Debian/Ubuntu)")
    database_url = bench_database_url(args.database, "bench_http.py")
    static_root = ROOT / "var" / "bench" / "http-static"
    env = server_environment(database_url, static_root)
    setup_django(database_url, **env)
    if not args.skip_build:
        build(args)
    autovacuum = planner_statistics()
    print(f"VACUUM ANALYZE done (the server's autovacuum is {'on' if autovacuum else 'off'})")
    cookies, token, scenario = accounts(args)
    points = endpoints()
    from django.db import connections

    connections.close_all()  # the server's workers, not this process, use the database now
    server_env = {
        **os.environ,
        **env,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.http_site.settings",
    }
    # The manifest of hashed names that production's static storage (DEBUG off) needs.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    # A SIGTERM (or a SIGHUP from a closed terminal) stops the server as Ctrl-C does;
    # Ctrl-C too when started in the background (where a shell ignores SIGINT).
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sys.exit(130))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    log_path = ROOT / "var" / "bench" / "http-gunicorn.log"
    all_met = True
    server = None
    with log_path.open("w") as log:
        try:
            server = start_server(args, server_env, log)
            wait_until_up(server, args.port, log_path)
            print(f"gunicorn -w {args.workers} on 127.0.0.1:{args.port} (log: {log_path})")
            if not args.no_wrk:
                results, load_start, load_end = measure(args, points, cookies, token)
                all_met = print_table(results, load_start, load_end, args)
            if args.locust:
                run_locust(args, scenario)
        finally:
            if server is not None:
                stop_server(server)
    return 0 if all_met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted (gunicorn stopped)")
