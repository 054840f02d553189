"""What the compliance use cases cost in statements (issue 18, "full use cases"): an
event and its region rows written in one statement on PostgreSQL; after the row lock, the
open case, the order waiting and the open suspension period read in one."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance import events, services
from compliance.models import Event, EventRegion
from tests.compliance import scenario

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
POSTGRES = connection.vendor == "postgresql"


def sql_of(captured):
    return [q["sql"] for q in captured.captured_queries]


def codes(event):
    return sorted(EventRegion.objects.filter(event=event).values_list("code", flat=True))


def test_events_and_their_region_rows_are_written_in_one_statement_on_postgresql():
    items = [
        ("test.one", AT, ["15", "15.02"], {"a": 1}),
        ("test.two", AT, ["15", "15.09", "15"], {"b": ["x"]}),  # a code twice: one row
    ]
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        written = events.record_many(items)
    writes = [s for s in sql_of(captured) if "compliance_event" in s]
    assert len(writes) == (1 if POSTGRES else 2)
    one, two = Event.objects.filter(type__startswith="test.").order_by("id")
    assert [e.pk for e in written] == [one.pk, two.pk]
    assert (one.type, one.at, one.regions, one.data) == ("test.one", AT, ["15", "15.02"], {"a": 1})
    assert (two.regions, two.data, two.position) == (["15", "15.09", "15"], {"b": ["x"]}, None)
    assert (codes(one), codes(two)) == (["15", "15.02"], ["15", "15.09"])


def test_no_events_write_nothing():
    with CaptureQueriesContext(connection) as captured:
        assert events.record_many([]) == []
    assert sql_of(captured) == []


def test_reconnect_reads_the_case_the_order_and_the_period_once_after_the_lock():
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    period = scenario.suspend(cast)
    remediation = scenario.remediate(cast)
    with CaptureQueriesContext(connection) as captured:
        order = services.reconnect_regency(regency=cast.regency, actor=cast.director)
    assert (order.case_id, order.period_id) == (remediation.case_id, period.pk)
    reads = [  # the lock's own statement reads whether a period is open
        s
        for s in sql_of(captured)
        if s.lstrip().startswith("SELECT") and "has_open_suspension" not in s
    ]
    for table in ("compliancecase", "accessorder", "suspensionperiod"):
        assert sum(f"compliance_{table}" in s for s in reads) == 1, table
    # savepoint, who may act, lock, the reads, the remediation accepted, the order, its
    # event (and its region rows: apart on SQLite), the operators' notice (workflow: the
    # offices, then get_or_create: 4), release
    assert len(captured) == (13 if POSTGRES else 14)
