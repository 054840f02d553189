"""What bench_http.py runs its measurements with: gunicorn started and stopped in its own
process group, wrk at a given concurrency (req/s and p50/p95/p99 on one line through a Lua
script), and locust headless with its CSV read back."""

import http.client
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import ROOT

WRK = "/usr/bin/wrk"
# wrk's --latency prints no 95th percentile: this prints the figures on one line.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Run:
    rate: float
    p50: float  # milliseconds
    p95: float
    p99: float
    non_2xx: int
    errors: int
    requests: int


def start_server(args, env, log):
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-w",
        str(args.workers),
        "-b",
        f"127.0.0.1:{args.port}",
        "--timeout",
        "120",
        "ektp_compliance.wsgi:application",
    ]
    # Its own session (process group): Ctrl-C reaches this script only, which stops it.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(server):
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def get(port, url, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(server, port, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped at start:\n{Path(log_path).read_text()[-3000:]}")
        try:
            status, _ = get(port, "/healthz", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def drain(port):
    """Wait for the requests wrk left queued when it stopped: gunicorn's sync workers answer
    them all (to closed sockets) before the next run's, which would otherwise time the
    previous endpoint. /healthz is queued behind them."""
    for _ in range(2):
        get(port, "/healthz", {})


def wrk(args, script, url, headers):
    command = [WRK, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["--timeout", "60s", "-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{args.port}{url}")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    drain(args.port)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    requests, duration, p50, p95, p99, non_2xx, errors = (int(x) for x in line.split()[1:])
    return Run(
        requests / (duration / 1e6), p50 / 1000, p95 / 1000, p99 / 1000, non_2xx, errors, requests
    )


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def locust_headless(args, scenario_path, prefix):
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(args.locust_users),
        "-r",
        str(args.locust_rate),
        "-t",
        args.locust_time,
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    load_start = load_average()
    print(
        f"\nlocust: {args.locust_users} users, {args.locust_rate} started a second, for "
        f"{args.locust_time}; load average {load_start}"
    )
    locust_env = {**os.environ, "BENCH_HTTP_SCENARIO": str(scenario_path)}
    log_path = ROOT / "var" / "bench" / "http-locust.log"
    with log_path.open("w") as log:  # its own tables: the one below says it shorter
        subprocess.run(command, cwd=ROOT, env=locust_env, check=False, stdout=log, stderr=log)
    print(f"locust's own report: {log_path}")
    print(f"load average at end {load_average()}")
    print_locust(prefix)


def print_locust(prefix):
    import csv

    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        print("locust wrote no statistics")
        return
    print(f"{'page':<48} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6}")
    with stats.open() as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Type"] else "all"
            print(
                f"{row['Type'] + ' ' + name:<48} {row['Request Count']:>8} "
                f"{row['Failure Count']:>8} {row['50%']:>7} {row['95%']:>7} "
                f"{float(row['Requests/s']):6.1f}"
            )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        lines = failures.read_text().splitlines()[1:]
        if lines:
            print("failures:")
            for line in lines[:20]:
                print(f"  {line}")
