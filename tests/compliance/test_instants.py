"""Instants read from PostgreSQL by psycopg's C loader, with Django's values
(compliance.instants)."""

import datetime as dt
import zoneinfo

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance import instants
from compliance.models import Event

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
TEXTS = [
    "2026-12-07 11:19:06.123456+00",
    "2026-12-07 18:19:06+07",
    "1999-12-31 23:59:59.999999-09:30",
    "2024-02-29 00:00:00+00",
]


def django_loader(zone):
    """Django's own loader for `zone` (psycopg_any.register_tzloader's class)."""
    return type("DjangoTzLoader", (BaseTzLoader,), {"timezone": zone})


@pytest.fixture
def raw(postgres):
    """A psycopg connection of its own, in UTC as Django sets its connections."""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        options="-c TimeZone=UTC",
    ) as conn:
        yield conn


def loaded(loader_class, conn, texts):
    oid = psycopg.adapters.types["timestamptz"].oid
    loader = loader_class(oid, conn)
    return [loader.load(text.encode()) for text in texts]


@pytest.mark.parametrize("zone", [dt.UTC, JAKARTA, None], ids=["UTC", "Jakarta", "naive"])
def test_an_instant_loads_as_djangos_own_loader_loads_it(raw, zone):
    ours = loaded(instants.loader_for(zone), raw, TEXTS)
    theirs = loaded(django_loader(zone), raw, TEXTS)
    assert ours == theirs
    assert [v.tzinfo for v in ours] == [v.tzinfo for v in theirs]


def test_in_the_sessions_zone_the_value_is_the_c_loaders_own(raw):
    oid = psycopg.adapters.types["timestamptz"].oid
    loader = instants.loader_for(dt.UTC)(oid, raw)
    assert type(loader.load.__self__).__module__ == "psycopg_binary._psycopg"
    assert loader.load(b"2026-12-07 11:19:06+00") == dt.datetime(
        2026, 12, 7, 11, 19, 6, tzinfo=dt.UTC
    )


def test_in_another_zone_the_zone_is_set_on_each_value_as_django_does(raw):
    oid = psycopg.adapters.types["timestamptz"].oid
    loader = instants.loader_for(JAKARTA)(oid, raw)
    value = loader.load(b"2026-12-07 11:19:06+00")
    assert value == dt.datetime(2026, 12, 7, 11, 19, 6, tzinfo=JAKARTA)  # Django's reading


def test_djangos_connections_read_instants_with_it(postgres):
    Event.objects.create(type="probe", at=dt.datetime(2026, 12, 7, 4, 5, 6, tzinfo=dt.UTC))
    oid = psycopg.adapters.types["timestamptz"].oid
    with CaptureQueriesContext(connection):  # as a request: the cursors Django wraps
        read = Event.objects.values_list("at", flat=True).get(type="probe")
        with connection.cursor() as cursor:
            # Django's create_cursor() keeps it: its zone is the connection's
            assert cursor.cursor.adapters.get_loader(oid, psycopg.pq.Format.TEXT) is (
                instants.loader_for(connection.timezone)
            )
    assert read == dt.datetime(2026, 12, 7, 4, 5, 6, tzinfo=dt.UTC)
    assert read.tzinfo is dt.UTC
    assert timezone.localtime(read, JAKARTA).hour == 11
