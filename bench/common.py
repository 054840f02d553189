"""What every benchmark needs: its own PostgreSQL database (log rows cannot be deleted, so
benchmarks never share the project's) and Django set up on it."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def bench_database_url(database, script):
    """The DATABASE_URL of the dedicated database on DATABASE_URL's server, created when
    missing."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(
            f"{script} needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/DB (any "
            f"database on the server; the benchmark creates and uses its own, '{database}')."
        )
    import psycopg
    from psycopg import sql

    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            print(f"created database {database}")
    return urlunsplit(parts._replace(path=f"/{database}"))


def setup_django(database_url, **environment):
    """Django on the benchmark database, migrated, with the regions loaded; `environment`
    adds variables (e.g. PRIVATE_MEDIA_ROOT, CELERY_BROKER_URL)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["READ_DOT_ENV"] = "0"
    os.environ.update({k: str(v) for k, v in environment.items()})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ektp_compliance.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log in memory while timing
    call_command("migrate", verbosity=0, interactive=False)
    from compliance.models import Province
    from compliance.regions import load_regions

    if not Province.objects.exists():
        load_regions()


def planner_statistics():
    """VACUUM ANALYZE the benchmark's database, as autovacuum keeps a production one: a
    server with autovacuum off (as this project's test machines run PostgreSQL) leaves
    freshly written tables without statistics, and the planner then guesses one row for
    each (nested loops over 500 offices, say), which no production database would do.
    Returns whether the server runs autovacuum, for the report."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0] == "on"
        cursor.execute("VACUUM ANALYZE")
    return autovacuum


# A Celery worker under the benchmark's own Redis key prefix (BENCH_PREFIX).
_WORKER = (
    "import os, sys\n"
    "from ektp_compliance.celery import app\n"
    "app.conf.broker_transport_options = {'visibility_timeout': 3600,"
    " 'global_keyprefix': os.environ['BENCH_PREFIX']}\n"
    "app.worker_main(sys.argv[1:])\n"
)


def measure_noop(app, r, prefix, n):
    """No-op tasks per second: `n` heartbeats published, until the default queue drains."""
    import time

    from ektp_compliance.tasks import heartbeat

    start = time.perf_counter()
    with app.producer_or_acquire() as producer:
        for _ in range(n):
            heartbeat.apply_async(producer=producer)
    while r.llen(f"{prefix}default") or r.hlen(f"{prefix}unacked"):
        time.sleep(0.005)
    return n / (time.perf_counter() - start)


def start_workers(count, queues, env, log):
    """`count` worker processes (concurrency 1 each) on `queues`, under env's BENCH_PREFIX."""
    import subprocess
    import uuid

    return [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, "worker", "--loglevel=WARNING", "-Q", queues]
            + ["--concurrency=1", "--without-heartbeat", "--without-mingle", "--without-gossip"]
            + [f"--hostname=bench{i}-{uuid.uuid4().hex[:6]}@%h"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for i in range(count)
    ]
