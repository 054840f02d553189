"""Government working days: weekends, national holidays, joint leave, closure days."""

import datetime as dt
import zoneinfo

import pytest

from workflow.calendar import BusinessCalendar, due_instant
from workflow.models import ClosureDay

D = dt.date
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def test_weekends_are_not_working_days():
    cal = BusinessCalendar()
    assert cal.is_working_day(D(2026, 11, 27))  # Friday
    assert not cal.is_working_day(D(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(D(2026, 11, 29))  # Sunday


def test_national_holidays_and_joint_leave_are_not_working_days():
    cal = BusinessCalendar()
    assert not cal.is_working_day(D(2026, 8, 17))  # Hari Kemerdekaan (Monday)
    assert not cal.is_working_day(D(2026, 12, 25))  # Natal
    assert not cal.is_working_day(D(2026, 12, 24))  # cuti bersama Natal
    assert not cal.is_working_day(D(2026, 3, 23))  # cuti bersama Idulfitri


def test_shifting_skips_idul_fitri_and_its_joint_leave():
    # 18-24 March 2026: Nyepi, Idulfitri and their joint leave, then a weekend in between.
    assert BusinessCalendar().shift(D(2026, 3, 17), 1) == D(2026, 3, 25)
    assert BusinessCalendar().shift(D(2026, 3, 17), 2) == D(2026, 3, 26)


def test_shifting_backwards_counts_working_days_before():
    assert BusinessCalendar().shift(D(2026, 11, 20), -3) == D(2026, 11, 17)
    assert BusinessCalendar().shift(D(2026, 11, 23), -1) == D(2026, 11, 20)


def test_shifting_by_zero_stays_on_the_day():
    assert BusinessCalendar().shift(D(2026, 11, 28), 0) == D(2026, 11, 28)


@pytest.mark.django_db
def test_closure_days_added_by_the_ministry_are_not_working_days():
    assert BusinessCalendar.from_database().shift(D(2026, 11, 20), 1) == D(2026, 11, 23)
    ClosureDay.objects.create(date=D(2026, 11, 23), description="Cuti bersama (keputusan susulan)")
    cal = BusinessCalendar.from_database()
    assert not cal.is_working_day(D(2026, 11, 23))
    assert cal.shift(D(2026, 11, 20), 1) == D(2026, 11, 24)


def test_a_deadline_is_the_end_of_the_due_day_in_the_recipients_time_zone():
    due = D(2026, 11, 20)
    assert due_instant(due, WIB) == dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC)
    assert due_instant(due, WITA) == dt.datetime(2026, 11, 20, 16, 0, tzinfo=dt.UTC)
    assert due_instant(due, WIT) == dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
