"""The cache on Redis (CACHE_URL=redis://..., as in production): the project's backend
(ektp_compliance.cache) answers as Django's does, with one redis-py client for all its
operations instead of one built per call. And PostgreSQL's connections bind parameters
on the server and prepare frequent statements unless DATABASE_PREPARED_STATEMENTS=0."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from .helpers import run_python


@pytest.fixture
def redis_cache(redis_url):
    location = redis_url.rsplit("/", 1)[0] + "/11"
    settings = {"BACKEND": "ektp_compliance.cache.RedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": settings}):
        cache = caches["default"]
        cache.clear()
        yield cache
        cache.clear()


def test_a_redis_url_gives_the_project_backend_and_postgres_prepared_statements(tmp_path):
    settings = (
        "import django; django.setup(); from django.conf import settings as s;"
        "o = s.DATABASES['default']['OPTIONS'];"
        "print(s.CACHES['default']['BACKEND'], o.get('server_side_binding'),"
        " o.get('prepare_threshold'))"
    )
    environment = {"VAR_DIR": tmp_path, "CACHE_URL": "redis://127.0.0.1:6379/1"}
    database = "postgres://postgres@127.0.0.1:5432/test"
    result = run_python(settings, DATABASE_URL=database, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ektp_compliance.cache.RedisCache", "True", "5"]
    behind_a_pooler = {"DATABASE_PREPARED_STATEMENTS": "0", "DATABASE_URL": database}
    result = run_python(settings, **behind_a_pooler, **environment)
    assert result.stdout.split()[1:] == ["None", "None"], result.stderr


def test_postgres_plans_a_frequent_statement_once_per_connection(postgres):
    # Binding on the server alone does not prepare: Django leaves psycopg's
    # prepare_threshold at None unless the settings ask. From the sixth run on, the
    # statement is the connection's prepared one.
    from django.db import connection

    from compliance.models import Regency

    def read():
        return Regency.objects.filter(code="15.02").values_list("name", flat=True).get()

    for _ in range(6):
        assert read() == "Kabupaten Merangin"
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "compliance_regency"' in sql and "$1" in sql for sql in prepared)


def test_it_keeps_counts_and_values_as_djangos_backend(redis_cache):
    assert redis_cache.add("throttle", 1, 60) is True
    assert redis_cache.add("throttle", 5, 60) is False
    assert redis_cache.incr("throttle") == 2
    redis_cache.set("kept", {"body": "<p>Jambi</p>"}, 60)
    assert redis_cache.get("kept") == {"body": "<p>Jambi</p>"}
    redis_cache.delete("kept")
    assert redis_cache.get("kept") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client(write=False) is client.get_client(write=True)  # one server
