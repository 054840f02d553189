"""Outbox delivery to a local SMTP server against raw no-op Celery tasks, same broker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/bench_delivery.py [--notifications 5000] [--workers 2]

(a) notifications/s: N outbox rows handed to Celery (outbox.dispatch, batches of
    NOTIFICATION_BATCH_SIZE per task), claimed, rendered (both parts, both layouts) and
    sent over one SMTP connection per batch to an aiosmtpd server in this process, until
    every row is `sent` in the database;
(b) the baseline: N no-op tasks (ektp_compliance.tasks.heartbeat) published to the same
    Redis and run by the same worker processes, until the queue is drained;
(c) optional (--unbatched): (a) with one task and one SMTP connection per mail.
The verdict is (a)/(b) against the target of 0.5x; the exit code is 1 below it.

Runs in its own database on the DATABASE_URL server (default `bench_delivery`, created
and migrated when missing) and under its own Redis key prefix; the rows it writes are
deleted at the end of each run.
"""

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

from common import bench_database_url, measure_noop, start_workers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_RATIO = 0.5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, default=50, help="notifications per task")
    parser.add_argument("--database", default="bench_delivery")
    parser.add_argument("--unbatched", action="store_true", help="also measure (c)")
    return parser.parse_args()


class Counter:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def main():
    args = parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    database_url = bench_database_url(args.database, "bench_delivery")
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    from aiosmtpd.controller import Controller

    from tests.workflow.delivery_rig import free_port

    smtp_port = free_port()
    mail = Counter()
    controller = Controller(mail, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "EMAIL_URL")},
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "BENCH_PREFIX": prefix,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "READ_DOT_ENV": "0",
        "DJANGO_SETTINGS_MODULE": "ektp_compliance.settings",
        "NOTIFICATION_BATCH_SIZE": str(args.batch),
    }
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)
    from ektp_compliance.celery import app

    app.conf.broker_write_url = redis_url
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "global_keyprefix": prefix}
    import redis

    r = redis.Redis.from_url(redis_url)
    log = open(ROOT / "var" / "bench_delivery_workers.log", "w")  # noqa: SIM115
    workers = start_workers(args.workers, "email,default", env, log)
    try:
        time.sleep(6)  # workers up and consuming
        n = args.notifications
        baseline = measure_noop(app, r, prefix, n)
        delivered = measure_delivery(settings, mail, n, args.batch)
        unbatched = measure_delivery(settings, mail, n, 1) if args.unbatched else None
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)
        controller.stop()
        for key in r.scan_iter(f"{prefix}*"):
            r.delete(key)
    print(
        f"PostgreSQL database {args.database}, Redis {redis_url}, {args.workers} worker processes"
        f" (concurrency 1 each), {n} per measurement"
    )
    print(
        f"(a) outbox delivery, {args.batch} per task, one SMTP connection each: {delivered:8.1f} notifications/s"
    )
    print(f"(b) raw no-op Celery tasks, same broker and workers:        {baseline:8.1f} tasks/s")
    if unbatched is not None:
        print(
            f"(c) one task and one SMTP connection per mail:            {unbatched:8.1f} notifications/s"
            f" ({unbatched / baseline:.2f}x the baseline)"
        )
    ratio = delivered / baseline
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"ratio (a)/(b): {ratio:.2f}x ({verdict} the target of >= {TARGET_RATIO}x)")
    return 0 if ratio >= TARGET_RATIO else 1


def measure_delivery(settings, mail, n, batch):
    from workflow.models import Notification
    from workflow.notifications import outbox

    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    run = uuid.uuid4().hex[:6]
    rows = Notification.objects.bulk_create(
        Notification(
            dedupe_key=f"bench:{run}:{i}",
            recipient_email=f"kantor{i}@pemda.example.go.id",
            template="directive_issued",
            context={
                "title": "Percepatan perekaman KTP-el",
                "office": f"Bupati Uji {i}",
                "due_at": "2027-01-30T00:00:00+07:00",
            },
        )
        for i in range(n)
    )
    settings.NOTIFICATION_BATCH_SIZE = batch
    before = mail.count
    start = time.perf_counter()
    outbox.dispatch([row.pk for row in rows])
    sent = Notification.objects.filter(dedupe_key__startswith=f"bench:{run}:", state="sent")
    while sent.count() < n:
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    assert mail.count - before == n, (mail.count - before, n)
    Notification.objects.filter(dedupe_key__startswith="bench:").delete()
    return n / elapsed


if __name__ == "__main__":
    sys.exit(main())
