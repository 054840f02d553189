"""Outbox delivery to an SMTP server in another process against raw no-op Celery tasks,
same broker, same worker processes, measured in turn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/bench_delivery.py [--notifications 3000] [--repeat 3]
        [--workers 2] [--batch 50] [--group G] [--unbatched] [--profile]

(a) notifications/s: N outbox rows, copies of a national directive's real notices (514
    regencies and cities, their assignments and offices; one in four in English, one in
    five a step reminder), handed to Celery (outbox.dispatch, NOTIFICATION_BATCH_SIZE per
    task), claimed, rendered and sent to an aiosmtpd server running in a separate
    process, until every row is `sent` in the database and the server counted N mails;
(b) the baseline: N no-op tasks (ektp_compliance.tasks.heartbeat) published to the same
    Redis and run by the same worker processes, until the queue is drained.
The two are interleaved, (a) (b) (a) (b) ... `--repeat` times each after one unmeasured
warm-up of each; every repetition prints both rates and their ratio, and the verdict is
the median ratio against the target of 0.5x (issue 18); the exit code is 1 below it.
(c) optional (--unbatched): (a) once with one task and one SMTP connection per mail.
--profile: cProfile of one batch delivered in this process (outbox.deliver), top 25.
--no-pipelining: the SMTP server does not offer PIPELINING (by default it does, as
Postfix, Exim and Exchange do): each command of a message's envelope waits for its reply.
--cpu: where each side's CPU went, in ms per mail or task: the workers, the SMTP server,
PostgreSQL, Redis, this process, and the machine's idle time (psutil, per measurement).
--group G: the workers' NOTIFICATION_OUTCOME_GROUP; without it, the project's default.

The workers run as in production (DEBUG=0). The load average is printed at the start
and at the end: the machine is shared, read the ratios rather than the rates.

Runs in its own database on the DATABASE_URL server (default `bench_delivery`, created,
migrated and given its directive when missing) and under its own Redis key prefix; the
rows it sends are deleted after each measurement, and the outbox table vacuumed before the
next (autovacuum may be off on the server: bench/README.md).
"""

import argparse
import multiprocessing
import os
import secrets
import socket
import statistics
import sys
import time
import uuid
from pathlib import Path

from common import (
    bench_database_url,
    measure_noop,
    planner_statistics,
    setup_django,
    start_workers,
)

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 0.5
TITLE = "Percepatan perekaman KTP-el (bench_delivery)"
DUE = "2027-01-29"
STALL_SECONDS = 300  # a measurement that takes longer has failed (workers down...)
LOG = ROOT / "var" / "bench_delivery_workers.log"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=3000, help="per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="measurements of each side")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, default=50, help="notifications per task")
    parser.add_argument("--database", default="bench_delivery")
    parser.add_argument(
        "--group",
        type=int,
        help="NOTIFICATION_OUTCOME_GROUP of the workers (default: the project's): sent rows"
        " recorded between two durable commits",
    )
    parser.add_argument("--unbatched", action="store_true", help="also measure (c)")
    parser.add_argument("--profile", action="store_true", help="cProfile one batch")
    parser.add_argument("--cpu", action="store_true", help="CPU per mail, by process")
    parser.add_argument(
        "--no-pipelining",
        dest="pipelining",
        action="store_false",
        help="the SMTP server does not advertise PIPELINING (RFC 2920)",
    )
    return parser.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_server(port, counter, ready, pipelining=True):
    """The mail server's process: accepts everything, counts the messages; advertises
    PIPELINING (RFC 2920) as the MTAs a ministry runs do by default (Postfix, Exim,
    Exchange), unless told not to."""
    import logging
    import threading

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    class Counting:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            if not pipelining:
                return responses
            return [*responses[:-1], "250-PIPELINING", responses[-1]]

        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    Controller(Counting(), hostname="127.0.0.1", port=port).start()
    ready.set()
    threading.Event().wait()  # until terminated


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    args = parse_args()
    load_start = loadavg()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    database_url = bench_database_url(args.database, "bench_delivery")
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"

    mp = multiprocessing.get_context("spawn")
    smtp_port, mails, ready = free_port(), mp.Value("q", 0), mp.Event()
    server = mp.Process(
        target=smtp_server, args=(smtp_port, mails, ready, args.pipelining), daemon=True
    )
    server.start()
    if not ready.wait(30):
        sys.exit("the SMTP server process did not start")

    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "EMAIL_URL")},
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "BENCH_PREFIX": prefix,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "READ_DOT_ENV": "0",
        "NOTIFICATION_BATCH_SIZE": str(args.batch),
        # as in production: no query log, the cached template loader, a public SITE_URL
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": "https://ektp.kemendagri.example.go.id",
    }
    if args.group is not None:  # otherwise the project's default, as deployed
        env["NOTIFICATION_OUTCOME_GROUP"] = str(args.group)
    setup_django(database_url, **env)
    from django.conf import settings

    from ektp_compliance.celery import app

    app.conf.broker_write_url = redis_url
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "global_keyprefix": prefix}
    import redis

    r = redis.Redis.from_url(redis_url)
    models = notice_models()  # before the workers: its own notices must not be delivered
    autovacuum = planner_statistics()
    for key in r.scan_iter(f"{prefix}*"):
        r.delete(key)

    def deliver(n, batch):
        return measure_delivery(settings, mails, models, n, batch)

    def noop(n):
        return measure_noop(app, r, prefix, n)

    (ROOT / "var").mkdir(exist_ok=True)
    log = open(LOG, "w")  # noqa: SIM115
    workers = start_workers(args.workers, "email,default", env, log)
    n = args.notifications
    runs = []
    unbatched = None
    try:
        time.sleep(6)  # workers up and consuming
        deliver(min(n, 500), args.batch)  # warm-up, not measured: imports, templates
        measure_noop(app, r, prefix, min(n, 500))
        cpu = CPU(workers, server) if args.cpu else None
        for i in range(args.repeat):
            a, a_cpu = counted(cpu, n, deliver, n, args.batch)
            b, b_cpu = counted(cpu, n, noop, n)
            runs.append((a, b))
            print(
                f"  repetition {i + 1}: (a) {a:7.1f} notifications/s  (b) {b:7.1f} tasks/s"
                f"  (a)/(b) {a / b:.2f}x",
                flush=True,
            )
            if cpu is not None:
                print(f"    CPU ms per mail (a): {a_cpu}\n    CPU ms per task (b): {b_cpu}")
        if args.unbatched:
            unbatched = deliver(n, 1)
        if args.profile:
            profile_one_batch(settings, models, args.batch)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        server.terminate()
        server.join(10)
        for key in r.scan_iter(f"{prefix}*"):
            r.delete(key)
    load_end = loadavg()

    import django

    print(
        f"PostgreSQL database {args.database}, Redis {redis_url}, {args.workers} worker processes"
        f" (concurrency 1 each, DEBUG=0), {n} per measurement, {args.batch} per task,"
        f" a durable commit every {settings.NOTIFICATION_OUTCOME_GROUP} sent rows,"
        f" SMTP server in another process"
        f" ({'with' if args.pipelining else 'without'} PIPELINING); Django {django.get_version()}"
    )
    print(f"load average at start: {load_start}; at end: {load_end}")
    print(
        f"server autovacuum: {'on' if autovacuum else 'off'}; the outbox table vacuumed"
        " before each measurement (vacuum_outbox)"
    )
    if not runs:  # --repeat 0: the profile only
        return 0
    ratios = [a / b for a, b in runs]
    median = statistics.median(ratios)
    print(f"(a) outbox delivery, notifications/s: {', '.join(f'{a:.1f}' for a, _ in runs)}")
    print(f"(b) no-op Celery tasks, tasks/s:       {', '.join(f'{b:.1f}' for _, b in runs)}")
    print(f"(a)/(b) per repetition:                {', '.join(f'{x:.2f}x' for x in ratios)}")
    if unbatched is not None:
        base = statistics.median(b for _, b in runs)
        print(
            f"(c) one task and one SMTP connection per mail: {unbatched:.1f} notifications/s"
            f" ({unbatched / base:.2f}x the median baseline)"
        )
    verdict = "meets" if median >= TARGET_RATIO else "BELOW"
    print(f"median ratio (a)/(b): {median:.2f}x ({verdict} the target of >= {TARGET_RATIO}x)")
    return 0 if median >= TARGET_RATIO else 1


class CPU:
    """CPU seconds used so far by each party to a measurement (psutil): the worker
    processes and their pool children, the SMTP server process, every PostgreSQL and Redis
    server process, this process; and the machine's idle seconds (of all its cores)."""

    def __init__(self, workers, server):
        import psutil

        self.psutil = psutil
        self.workers = [psutil.Process(w.pid) for w in workers]
        self.server = psutil.Process(server.pid)

    def _named(self, *names):
        return [p for p in self.psutil.process_iter(["name"]) if p.info["name"] in names]

    def _used(self, processes):
        total = 0.0
        for p in processes:
            try:
                times = p.cpu_times()
            except self.psutil.Error:  # gone meanwhile (a PostgreSQL backend...)
                continue
            total += times.user + times.system
        return total

    def snapshot(self):
        workers = [c for w in self.workers for c in (w, *w.children(recursive=True))]
        return {
            "workers": self._used(workers),
            "SMTP server": self._used([self.server]),
            "PostgreSQL": self._used(self._named("postgres", "postmaster")),
            "Redis": self._used(self._named("redis-server")),
            "bench": self._used([self.psutil.Process()]),
            "idle": self.psutil.cpu_times().idle,
        }


def counted(cpu, n, measure, *args):
    """measure(*args), and with `cpu` each party's CPU ms per item over its run."""
    before = cpu.snapshot() if cpu else None
    result = measure(*args)
    if cpu is None:
        return result, None
    after = cpu.snapshot()
    return result, ", ".join(
        f"{party} {(after[party] - before[party]) * 1000 / n:.2f}" for party in before
    )


def notice_models():
    """The outbox rows of a directive issued to every regency and city (issued once per
    database), each as the fields a copy needs."""
    from compliance.offices import appoint_official
    from workflow import services
    from workflow.models import Directive, Notification, NotificationState

    directive = Directive.objects.filter(title=TITLE).first()
    if directive is None:
        officer, _, _ = appoint_official(
            username="bench-delivery-officer",
            kind="ministry_officer",
            email="bench-delivery-officer@bench.example",
        )
        directive = services.create_directive(
            actor=officer,
            title=TITLE,
            body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
            legal_basis="UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
            due_date=DUE,
            scope={"all_regencies": True},
        )
        services.issue_directive(directive=directive, actor=officer)
    rows = Notification.objects.filter(assignment__directive=directive, template="directive_issued")
    rows.exclude(state=NotificationState.SENT).update(state=NotificationState.SENT)
    return list(
        rows.order_by("id").values(
            "assignment_id", "recipient_office_id", "recipient_email", "context"
        )
    )


def copies(models, n, run):
    from workflow.models import Notification

    return [
        Notification(
            dedupe_key=f"bench:{run}:{i}",
            template="step_reminder" if i % 5 == 4 else "directive_issued",
            language="en" if i % 4 == 3 else "id",
            **models[i % len(models)],
        )
        for i in range(n)
    ]


def measure_delivery(settings, mails, models, n, batch):
    from workflow.models import Notification
    from workflow.notifications import outbox

    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    vacuum_outbox()
    run = uuid.uuid4().hex[:6]
    rows = Notification.objects.bulk_create(copies(models, n, run))
    settings.NOTIFICATION_BATCH_SIZE = batch
    before = mails.value
    sent = Notification.objects.filter(dedupe_key__startswith=f"bench:{run}:", state="sent")
    start = time.perf_counter()
    outbox.dispatch([row.pk for row in rows])
    deadline = start + STALL_SECONDS
    while mails.value - before < n or sent.count() < n:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"stalled: see {LOG}")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    time.sleep(0.2)
    assert mails.value - before == n, (mails.value - before, n)  # none sent twice
    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    return n / elapsed


def vacuum_outbox():
    """The outbox table vacuumed before each measurement, as autovacuum keeps it in
    production: every measurement writes, updates and deletes thousands of rows, and on
    a server with autovacuum off their dead versions pile up (559,214 of them, 184 MB for
    514 live rows, after a few runs), slowing each claim several times over."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_notification")


def profile_one_batch(settings, models, batch):
    """One batch delivered in this process under cProfile (after an unmeasured one): where
    a batch's time goes."""
    import cProfile
    import pstats

    from workflow.models import Notification
    from workflow.notifications import outbox

    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    warm = Notification.objects.bulk_create(copies(models, batch, "warm"))
    vacuum_outbox()
    outbox.deliver([row.pk for row in warm], token="warm-up")  # noqa: S106 (imports, templates)
    rows = Notification.objects.bulk_create(copies(models, batch, "profile"))
    ids = [row.pk for row in rows]
    profiler = cProfile.Profile()
    profiler.enable()
    result = outbox.deliver(ids, token="profile")  # noqa: S106
    profiler.disable()
    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    print(f"cProfile of one batch of {batch} delivered in this process: {result}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    if os.environ.get("BENCH_CALLERS"):  # e.g. BENCH_CALLERS=_parse: who calls it
        stats.print_callers(os.environ["BENCH_CALLERS"])


if __name__ == "__main__":
    sys.exit(main())
