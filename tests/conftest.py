import datetime as dt
import logging
import os
import subprocess
import time
from pathlib import Path
from unittest.mock import patch

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import override_settings
from django.utils import translation

from compliance.models import Province
from compliance.regions import load_regions
from tests.factories import official

IN_CI = bool(os.environ.get("CI"))
CLOCK_DIR = Path(__file__).resolve().parent / "clock"

# aiosmtpd's server thread logs every connection at INFO, including after pytest has closed
# the captured streams at teardown ("I/O operation on closed file"); keep its warnings only.
logging.getLogger("mail.log").setLevel(logging.WARNING)


# --- the clock ------------------------------------------------------------------
def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD[THH:MM]",
        default=os.environ.get("TEST_TODAY") or None,
        help="run the whole suite as if the machine's clock said this date (and time, in "
        "UTC; else the machine's time of day); child processes follow. Also TEST_TODAY.",
    )
    parser.addoption(
        "--no-skips",
        action="store_true",
        default=bool(os.environ.get("TEST_NO_SKIPS")),
        help="fail every test that would skip (CI's run with every service). Also TEST_NO_SKIPS=1.",
    )


def _start_of_run(today, real):
    try:
        if len(today) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(today), real.time(), tzinfo=dt.UTC)
        start = dt.datetime.fromisoformat(today)
    except ValueError:
        raise pytest.UsageError(
            f"--today={today}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
        ) from None
    return start if start.tzinfo else start.replace(tzinfo=dt.UTC)


def _shift_children(offset_seconds):
    """Child processes (xdist workers, Celery workers, commands) start with the clock
    `offset_seconds` ahead of the machine's, through tests/clock/sitecustomize.py."""
    os.environ["TEST_CLOCK_OFFSET"] = str(offset_seconds)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(CLOCK_DIR), os.environ.get("PYTHONPATH")) if p
    )


def _hand_faketime_to_time_machine():
    """Under Debian's faketime the children get the same shift through time-machine
    instead: libfaketime moves CLOCK_MONOTONIC too, and a timed wait in a child (Python's
    Condition.wait(timeout), Celery's timer thread) then never wakes up."""
    if "faketime" not in os.environ.get("LD_PRELOAD", ""):
        return
    real_env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
    real = subprocess.run(["date", "+%s.%N"], env=real_env, capture_output=True, text=True)
    offset = time.time() - float(real.stdout)
    for name in ("LD_PRELOAD", "FAKETIME"):
        os.environ.pop(name, None)
    _shift_children(offset)


def pytest_configure(config):
    """With --today, move this process's clock (time-machine, ticking) and tell child
    processes by how much, through tests/clock/sitecustomize.py."""
    today = config.getoption("today")
    if not today:
        _hand_faketime_to_time_machine()
        return
    # The machine's clock, even when this run is itself a child of a run with --today.
    hatch = time_machine.escape_hatch
    real = dt.datetime.fromtimestamp(
        hatch.time.time() if hatch.is_travelling() else time.time(), dt.UTC
    )
    start = _start_of_run(today, real)
    config._today_traveller = time_machine.travel(start, tick=True)
    config._today_traveller.start()
    _shift_children((start - real).total_seconds())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """With --no-skips a skipped test fails: a run that must have every service (CI's
    PostgreSQL + Redis run) cannot pass by leaving tests out."""
    report = yield
    if report.skipped and item.config.getoption("no_skips"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under --no-skips: {str(reason).removeprefix('Skipped: ')}"
    return report


def pytest_report_header(config):
    today = config.getoption("today")
    return f"clock: --today={today}" if today else "clock: the machine's"


def pytest_unconfigure(config):
    traveller = getattr(config, "_today_traveller", None)
    if traveller:
        traveller.stop()


# --- database and settings --------------------------------------------------------
@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Officials are made by the hundred; the production hasher costs ~0.3 s each.
    (Hashing itself is Django's; tests check who may sign in, not PBKDF2.)"""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _force_login_with_both_factors():
    """A test's force_login leaves the user where the sign-in pages would: past his second
    factor when his office needs one (accounts.second_factor), with a device made for him.
    The tests of the second factor itself sign in through the pages (tests/accounts)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        if session.get(SESSION_KEY, {}).get("required"):
            device, _ = TOTPDevice.objects.get_or_create(user=user, name="uji")
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    with patch.object(Client, "force_login", force_login):
        yield


@pytest.fixture(scope="session", autouse=True)
def _signing_keys(tmp_path_factory):
    """Letters are signed with demo keys made on first use, in a folder of the run (never
    var/signing); tests of a missing key say so (tests/workflow/test_signing.py)."""
    folder = tmp_path_factory.mktemp("signing-keys")
    with override_settings(SIGNING_KEYS_DIR=folder, SIGNING_DEMO_KEYS=True):
        yield folder


@pytest.fixture(autouse=True)
def _follow_up_inline(settings):
    """No worker runs beside most tests: the committing thread sequences the feed and lets
    workflow follow the transition log, so a test sees a transition's effects at once.
    tests/workflow/test_follow_up_worker.py checks the default, through a real worker."""
    settings.AFTER_COMMIT_WORK = "inline"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The API's throttle counters live in the cache: each test starts with none, so no
    test spends the budget of the one before (user ids repeat across rolled-back tests)."""
    from django.core.cache import cache

    from workflow.kept import forget_here

    cache.clear()
    forget_here()  # what a process keeps in front of the cache goes with it


@pytest.fixture(scope="session", autouse=True)
def _broker_folders(tmp_path_factory):
    """On the filesystem broker (the embedded default) the tasks the tests send land in a
    folder of this run, not in var/broker, where `make run`'s worker would find them."""
    from kombu import pools

    from ektp_compliance.celery import app

    if not str(app.conf.broker_url).startswith("filesystem://"):
        yield
        return
    saved = app.conf.broker_transport_options
    root = tmp_path_factory.mktemp("broker")
    folders = {"data_folder_in": "queue", "data_folder_out": "queue"}
    folders |= {"processed_folder": "processed", "control_folder": "control"}
    for sub in set(folders.values()):
        (root / sub).mkdir()
    app.conf.broker_transport_options = {
        **saved,
        **{key: str(root / sub) for key, sub in folders.items()},
    }
    pools.reset()
    app._pool = None
    yield
    app.conf.broker_transport_options = saved


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Regions are reference data: every test database holds the whole country."""
    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Evidence and letters a test writes go to its own folder, never var/private (the
    private storage reads PRIVATE_MEDIA_ROOT at each use). Ask for it to get the folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client activates its language in the thread and leaves
    it there; every test starts, as a worker or command does, in the default language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db):
    """For transactional tests, whose flush empties the tables between tests: the regions
    and the shipped escalation policies (a migration creates them; the flush removes them)."""
    from workflow.default_policies import ensure_default_policies
    from workflow.models import EscalationPolicy, EscalationStep

    if not Province.objects.exists():
        load_regions()
    ensure_default_policies(EscalationPolicy, EscalationStep)


@pytest.fixture
def log_flushable(transactional_db):
    """Let the flush that ends a transactional test empty the append-only log.

    pytest-django empties the tables with one TRUNCATE, which the log's trigger refuses
    (as it should in production). Just for that statement, and in its transaction, the
    truncate trigger is switched off and on again."""
    yield
    disable = (
        "ALTER TABLE compliance_transitionlog DISABLE TRIGGER compliance_transitionlog_no_truncate"
    )
    enable = disable.replace("DISABLE", "ENABLE")

    def truncate_with_trigger_off(execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith("TRUNCATE"):
            return execute(sql, params, many, context)
        connection.execute_wrappers.remove(truncate_with_trigger_off)
        context["cursor"].execute(disable)
        result = execute(sql, params, many, context)
        context["cursor"].execute(enable)
        return result

    if connection.vendor == "postgresql":
        connection.execute_wrappers.append(truncate_with_trigger_off)


def missing_service(what, how):
    """Skip here, fail in CI: CI must run every test."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available here ({how}; CI requires it)")


@pytest.fixture
def officer(db):
    """A ministry officer (Dukcapil pusat), in office since long before any test's clock."""
    return official("ministry_officer")


@pytest.fixture
def postgres(db):
    """For what only PostgreSQL has (row locks across connections, a server a worker
    process shares, triggers on TRUNCATE, set-based SQL). A run on SQLite (the embedded
    default) skips these by choice; CI's PostgreSQL run, with --no-skips, runs them all."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; this run is on SQLite (set DATABASE_URL=postgres://...)")


@pytest.fixture(scope="session")
def redis_url():
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        missing_service(f"Redis at {url}", "start redis-server or set REDIS_URL")
    return url
