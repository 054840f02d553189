"""Instants (timestamptz) read from PostgreSQL by psycopg's C loader (issue 18, lists).

Django 5.2 reads every timestamptz through its own loader, a subclass of psycopg's
pure-Python one: it parses the text in Python, then sets Django's zone on the value
(django.db.backends.postgresql.psycopg_any.BaseTzLoader). psycopg's C loader can't be
subclassed (Django ticket #36960, psycopg issue #1273), so every instant of every query
paid the Python parse: 3.4 µs a value against 0.2 µs, about 300 values (1 ms) for a page
of 100 assignments. The loader registered here is Django's, whose `load` is the C
loader's when the C loader already gives Django's value: the session's zone is Django's
(Django sets it on each connection: UTC unless DATABASES sets TIME_ZONE), so setting the
zone again changes nothing. Otherwise (another zone, or USE_TZ off, where Django drops
the zone) it sets Django's zone on the C loader's value, as Django does."""

from functools import cache

from django.db.backends.signals import connection_created

# An instant in ISO text, as PostgreSQL writes them under Django (DateStyle ISO).
PROBE = b"2000-01-01 00:00:00+00"


def connect():
    connection_created.connect(read_instants_in_c, dispatch_uid="compliance.instants")


def read_instants_in_c(sender, connection, **kwargs):
    """On each new PostgreSQL connection: Django's timestamptz loader, loading in C."""
    if connection.vendor == "postgresql":
        adapters = connection.connection.adapters
        adapters.register_loader("timestamptz", loader_for(connection.timezone))


@cache
def loader_for(zone):
    """Django's loader for `zone` (a class per zone, as Django's own), loading in C."""
    import psycopg
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader
    from psycopg.pq import Format

    oid = psycopg.adapters.types["timestamptz"].oid
    # The C class where psycopg has its C module (psycopg[binary]), else its Python one.
    fast = psycopg.adapters.get_loader(oid, Format.TEXT)

    class CTzLoader(BaseTzLoader):
        timezone = zone  # Django's create_cursor() compares it with its own

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            c_load = fast(oid, context).load
            if _same_zone(c_load, zone):
                self.load = c_load  # psycopg takes each column's `load` once per result
            else:
                self.load = lambda data: c_load(data).replace(tzinfo=zone)

    return CTzLoader


def _same_zone(load, zone):
    try:
        return zone is not None and load(PROBE).tzinfo is zone
    except Exception:  # noqa: BLE001 (another DateStyle: Django's way, zone set per value)
        return False
