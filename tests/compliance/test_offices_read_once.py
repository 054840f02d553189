"""A user's offices are read once per user object and day (a request's user lives one
request), and read again when an office or holding changes or the day does."""

from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from compliance.models import OfficeHolding
from compliance.offices import active_offices, appoint_official

pytestmark = pytest.mark.django_db

WIB = timezone(timedelta(hours=7))


def appoint(username, kind, region=None):
    return appoint_official(
        username=username, kind=kind, region_code=region, email=f"{username}@example.go.id"
    )


def test_the_offices_are_read_once(django_assert_num_queries):
    user, office, _ = appoint("direktur", "ministry_director")
    with django_assert_num_queries(1):
        assert active_offices(user) == [office]
        assert active_offices(user) == [office]


def test_an_appointment_in_the_same_process_is_seen_at_once(django_assert_num_queries):
    user, first, _ = appoint("pejabat", "ministry_director")
    assert active_offices(user) == [first]
    _, second, _ = appoint("pejabat", "auditor")
    assert set(active_offices(user)) == {first, second}
    OfficeHolding.objects.get(office=second).delete()
    assert active_offices(user) == [first]


def test_another_day_reads_them_again(django_assert_num_queries):
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=WIB), tick=False):
        user, office, holding = appoint("kadis", "regency_dukcapil_head", "15.02")
        OfficeHolding.objects.filter(pk=holding.pk).update(ends_on=holding.starts_on)
        assert active_offices(user) == [office]
    next_day = time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=WIB), tick=False)
    with next_day, django_assert_num_queries(1):
        assert active_offices(user) == []  # the holding ended yesterday


def test_another_instant_is_always_read(django_assert_num_queries):
    user, office, _ = appoint("petugas", "ministry_officer")
    active_offices(user)
    with django_assert_num_queries(1):
        assert active_offices(user, at=datetime(2000, 1, 1, tzinfo=WIB)) == []
