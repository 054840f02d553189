"""Webhook deliveries to a local receiver against raw no-op Celery tasks, same broker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/bench_webhooks.py [--events 2000] [--subscriptions 4] [--workers 2]

(a) deliveries/s: E feed events, S subscriptions following all of them, each event posted
    to each subscription (S x E signed POSTs, in order per subscription) by the webhook
    tasks (webhooks.tasks.deliver, on the `webhooks` queue) to a receiver in another
    process (`manage.py webhook_receiver`, which verifies every signature), until every
    subscription's cursor is at the last event;
(b) the baseline: S x E no-op tasks (ektp_compliance.tasks.heartbeat) published to the
    same Redis and run by the same worker processes, until the queue is drained.
The two are measured in turn, (b) first, then (a), then (b) again; the verdict is
(a)/(mean of b) against the target of 0.3x (issue 19); the exit code is 1 below it.

Runs in its own database on the DATABASE_URL server (default `bench_webhooks`, created
and migrated when missing) and under its own Redis key prefix.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from common import bench_database_url, measure_noop, setup_django, start_workers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_RATIO = 0.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--subscriptions", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--database", default="bench_webhooks")
    return parser.parse_args()


def main():
    args = parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    database_url = bench_database_url(args.database, "bench_webhooks")
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    from tests.workflow.delivery_rig import free_port

    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"},
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": redis_url,
        "BENCH_PREFIX": prefix,
        "READ_DOT_ENV": "0",
        "DJANGO_SETTINGS_MODULE": "ektp_compliance.settings",
        "WEBHOOK_ALLOW_PRIVATE": "1",
        "WEBHOOK_BATCH": "500",
    }
    setup_django(database_url, **{k: env[k] for k in ("WEBHOOK_ALLOW_PRIVATE", "WEBHOOK_BATCH")})
    from ektp_compliance.celery import app

    app.conf.broker_write_url = redis_url
    app.conf.broker_transport_options = {"visibility_timeout": 3600, "global_keyprefix": prefix}
    import redis

    r = redis.Redis.from_url(redis_url)
    subs = subscribe(args.subscriptions, f"http://127.0.0.1:{port}/")
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "bench_webhooks_workers.log", "w")  # noqa: SIM115
    receiver = subprocess.Popen(
        [sys.executable, "manage.py", "webhook_receiver", "--port", str(port)]
        + ["--secret", subs[0].secret],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    workers = start_workers(args.workers, "webhooks,default", env, log)
    n = args.events * args.subscriptions
    try:
        time.sleep(6)  # workers and receiver up
        before = measure_noop(app, r, prefix, n)
        delivered = measure_deliveries(r, prefix, subs, args.events)
        after = measure_noop(app, r, prefix, n)
    finally:
        for p in [*workers, receiver]:
            p.terminate()
        for p in [*workers, receiver]:
            p.wait(timeout=30)
        for key in r.scan_iter(f"{prefix}*"):
            r.delete(key)
    baseline = (before + after) / 2
    print(
        f"PostgreSQL database {args.database}, Redis {redis_url}, {args.workers} worker processes"
        f" (concurrency 1 each); {args.events} events x {args.subscriptions} subscriptions"
    )
    print(f"(a) webhook deliveries (signed POST, in order):   {delivered:8.1f} deliveries/s")
    print(f"(b) raw no-op Celery tasks, before / after (a):   {before:8.1f} / {after:.1f} tasks/s")
    ratio = delivered / baseline
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"ratio (a)/(b): {ratio:.2f}x ({verdict} the target of >= {TARGET_RATIO}x)")
    return 0 if ratio >= TARGET_RATIO else 1


def subscribe(count, url):
    """`count` subscriptions of one ministry officer to every event, from now on."""
    from compliance.offices import appoint_official
    from webhooks import services
    from webhooks.models import Subscription

    Subscription.objects.all().delete()
    user, _, _ = appoint_official(
        username=f"bench-{uuid.uuid4().hex[:6]}",
        kind="ministry_officer",
        region_code=None,
        email="bench@kemendagri.example.go.id",
    )
    subs = [services.subscribe(owner=user, url=url) for _ in range(count)]
    # One secret for all: the receiver verifies every message with it.
    Subscription.objects.filter(pk__in=[s.pk for s in subs]).update(secret=subs[0].secret)
    return list(Subscription.objects.filter(pk__in=[s.pk for s in subs]))


def measure_deliveries(r, prefix, subs, count):
    import datetime as dt

    from django.utils import timezone

    from compliance import events
    from webhooks.models import Subscription
    from webhooks.tasks import deliver

    at = timezone.now() - dt.timedelta(seconds=1)
    events.record_many([("bench.event", at, ["15", "15.02"], {"i": i}) for i in range(count)])
    events.sequence()
    from compliance.models import Event

    last = Event.objects.order_by("-position").values_list("position", flat=True)[0]
    pending = Subscription.objects.filter(pk__in=[s.pk for s in subs], cursor__lt=last)
    start = time.perf_counter()
    while pending.exists():
        # One task per subscription still behind, as the beat's dispatch queues them.
        if not r.llen(f"{prefix}webhooks") and not r.hlen(f"{prefix}unacked"):
            for pk in pending.values_list("pk", flat=True):
                deliver.delay(pk)
        time.sleep(0.01)
    return len(subs) * count / (time.perf_counter() - start)


if __name__ == "__main__":
    sys.exit(main())
