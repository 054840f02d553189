import logging
import os

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import translation

from compliance.models import Province
from compliance.regions import load_regions

IN_CI = bool(os.environ.get("CI"))

# aiosmtpd's server thread logs every connection at INFO, including after pytest has closed
# the captured streams at teardown ("I/O operation on closed file"); keep its warnings only.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Regions are reference data: every test database holds the whole country."""
    with django_db_blocker.unblock():
        load_regions()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Evidence and letters a test writes go to its own folder, never var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the test client activates its language in the thread and leaves
    it there; every test starts, as a worker or command does, in the default language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db):
    """For transactional tests, whose flush empties the tables between tests."""
    if not Province.objects.exists():
        load_regions()


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


def missing_service(what):
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available here (set DATABASE_URL / REDIS_URL; CI requires it)")


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.fixture(scope="session")
def redis_url():
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        missing_service(f"Redis at {url}")
    return url
