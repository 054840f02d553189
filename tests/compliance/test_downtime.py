"""Network downtime: days without SIAK access, summed over suspension periods, per
regency, province and country; an open period counts up to now."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine

from compliance.selectors import downtime_by, downtime_days, regency_downtime
from tests.compliance.scenario import MERANGIN, TEBO, Cast, flag, reconnect, remediate, suspend
from tests.factories import regency

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ACEH_SELATAN = "11.01"
DAY = timedelta(days=1)


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=WIB), tick=False)


def suspend_between(cast, start, end=None):
    """Flag and cut the regency at `start`; remediate and reconnect it at `end`."""
    with at(*start):
        flag(cast)
        suspend(cast)
    if end:
        with at(*end):
            remediate(cast)
            reconnect(cast)


@pytest.fixture
def history():
    """Merangin cut twice (10 days, then 20 days after a re-offence), Aceh Selatan once
    (3 days), Tebo cut since 1 May 2017 and still cut."""
    with at(2017, 1, 2, 8, 0):  # the officials take office first
        casts = {code: Cast.of(code) for code in (MERANGIN, TEBO, ACEH_SELATAN)}
    suspend_between(casts[ACEH_SELATAN], (2017, 2, 1, 12, 0), (2017, 2, 4, 12, 0))
    suspend_between(casts[MERANGIN], (2017, 3, 2, 9, 0), (2017, 3, 12, 9, 0))
    suspend_between(casts[MERANGIN], (2017, 4, 1, 10, 0), (2017, 4, 21, 10, 0))
    suspend_between(casts[TEBO], (2017, 5, 1, 12, 0))
    return casts


def test_a_regencys_downtime_is_the_sum_of_its_periods(history):
    merangin = history[MERANGIN].regency

    with at(2017, 5, 8, 12, 0):
        periods = merangin.suspension_periods.order_by("started_at")
        assert [p.downtime() for p in periods] == [10 * DAY, 20 * DAY]
        assert regency_downtime(merangin) == 30 * DAY
        assert downtime_days(regency_downtime(merangin)) == 30


def test_an_open_period_counts_up_to_now(history):
    tebo = history[TEBO].regency

    with at(2017, 5, 8, 12, 0):
        assert regency_downtime(tebo) == 7 * DAY
    with at(2017, 5, 9, 0, 0):
        assert downtime_days(regency_downtime(tebo)) == 7.5
    assert regency_downtime(tebo, now=datetime(2017, 8, 1, 12, 0, tzinfo=WIB)) == 92 * DAY


def test_downtime_per_regency(history):
    with at(2017, 5, 8, 12, 0):
        assert downtime_by("regency__code") == {
            MERANGIN: 30 * DAY,
            TEBO: 7 * DAY,
            ACEH_SELATAN: 3 * DAY,
        }


def test_downtime_per_province(history):
    with at(2017, 5, 8, 12, 0):
        assert downtime_by("regency__province__code") == {"15": 37 * DAY, "11": 3 * DAY}


def test_downtime_for_the_country(history):
    with at(2017, 5, 8, 12, 0):
        assert downtime_by(None) == 40 * DAY
        assert downtime_days(downtime_by(None)) == 40


def test_a_regency_never_cut_has_no_downtime(history):
    kerinci = regency("15.01")

    assert regency_downtime(kerinci) == timedelta(0)
    assert "15.01" not in downtime_by("regency__code")


def test_nothing_cut_anywhere_is_zero_for_the_country():
    assert downtime_by(None) == timedelta(0)
    assert downtime_by("regency__province__code") == {}
