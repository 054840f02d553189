"""Government working days and deadline instants.

Non-working days for government: Saturdays, Sundays, national public holidays and joint
leave days (cuti bersama), from the `holidays` package (country ID, categories PUBLIC and
GOVERNMENT), plus closure days the ministry records in the admin (decrees published late).
"""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings

END_OF_DAY = dt.timedelta(hours=24)


def office_day_start():
    """When government offices open (settings.OFFICE_DAY_START, "HH:MM" local time): a
    ministry policy choice. Perpres 21/2023 on working days and hours sets five working
    days and 37.5 hours a week and leaves the opening hour to each office."""
    hours, minutes = (int(part) for part in settings.OFFICE_DAY_START.split(":"))
    return dt.timedelta(hours=hours, minutes=minutes)


@lru_cache(maxsize=64)
def _national_non_working_days(year):
    return frozenset(
        holidays.country_holidays("ID", years=year, categories=("public", "government")).keys()
    )


class BusinessCalendar:
    """Answers "is this a working day" for a span of years, with the closure days loaded
    once (so a sweep over thousands of assignments asks the database once)."""

    def __init__(self, closure_days=None):
        self.closure_days = frozenset(closure_days or ())

    @classmethod
    def from_database(cls):
        from .models import ClosureDay

        return cls(ClosureDay.objects.values_list("date", flat=True))

    def is_working_day(self, day):
        return (
            day.weekday() < 5
            and day not in _national_non_working_days(day.year)
            and day not in self.closure_days
        )

    def shift(self, day, n):
        """The n-th working day after `day` (before it for negative n); `day` itself for 0."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def open_at(self, instant, tz):
        """`instant` when it falls on a working day in zone `tz`; else the opening of the
        offices on the next working day there. A step or a letter never lands on a
        Saturday, a holiday or a joint leave day in the recipient's zone."""
        day = instant.astimezone(tz).date()
        if self.is_working_day(day):
            return instant
        return at_local(self.shift(day, 1), office_day_start(), tz)


def at_local(day, since_midnight, tz):
    """The instant `since_midnight` after the start of `day` in time zone `tz`."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz) + since_midnight


def due_instant(due_date, tz):
    """Deadlines are the end of the due day in the recipient's own time zone."""
    return at_local(due_date, END_OF_DAY, tz)


def local_anchor(instant, tz):
    """(local date, time since local midnight) of an instant."""
    local = instant.astimezone(tz)
    midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz)
    return local.date(), local - midnight
