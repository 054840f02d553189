"""Realisation (recorded / obliged) sums the latest report of every district on or before
the date, in the database, for a district, regency, province and the country."""

from datetime import date
from decimal import Decimal

import pytest

from compliance.models import District, RecordingReport
from compliance.recording import (
    province_realisation,
    realisation,
    realisation_series,
    regency_realisation,
)

pytestmark = pytest.mark.django_db


def report(code, day, obliged, recorded, printed):
    RecordingReport.objects.create(
        district=District.objects.get(code=code),
        date=date.fromisoformat(day),
        obliged=obliged,
        recorded=recorded,
        printed=printed,
    )


@pytest.fixture
def reports():
    # Merangin (15.02): two districts; Sarolangun (15.03): one; Aceh (11): one.
    report("15.02.01", "2017-09-01", 1000, 500, 400)
    report("15.02.01", "2017-10-01", 1000, 600, 500)  # the latest for 15.02.01 in October
    report("15.02.01", "2017-11-01", 1000, 900, 800)  # after the date asked
    report("15.02.02", "2017-08-15", 3000, 1800, 1500)  # older, still its latest
    report("15.03.01", "2017-10-10", 2000, 1200, 1000)
    report("11.01.01", "2017-10-05", 4000, 4000, 3900)


AT = date(2017, 10, 15)


def test_a_district_counts_its_latest_report_on_or_before_the_date(reports):
    assert realisation(AT, "15.02.01") == {
        "obliged": 1000,
        "recorded": 600,
        "printed": 500,
        "realisation": Decimal("60.00"),
    }
    assert realisation(date(2017, 10, 1), "15.02.01")["recorded"] == 600
    assert realisation(date(2017, 9, 30), "15.02.01")["recorded"] == 500


def test_a_regency_province_and_the_country_sum_their_districts(reports):
    assert realisation(AT, "15.02")["recorded"] == 600 + 1800
    assert realisation(AT, "15.02")["realisation"] == Decimal("60.00")  # 2400 / 4000
    assert realisation(AT, "15") == {
        "obliged": 6000,
        "recorded": 3600,
        "printed": 3000,
        "realisation": Decimal("60.00"),
    }
    country = realisation(AT)
    assert (country["obliged"], country["recorded"]) == (10000, 7600)
    assert country["realisation"] == Decimal("76.00")


def test_without_reports_there_is_no_figure(reports):
    assert realisation(AT, "15.09") == {
        "obliged": None,
        "recorded": None,
        "printed": None,
        "realisation": None,
    }
    assert realisation(date(2017, 1, 1))["realisation"] is None


def test_every_regency_in_one_query(reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        regencies = {r.code: r for r in regency_realisation(AT)}
    assert len(regencies) == 514
    merangin = regencies["15.02"]
    assert (merangin.obliged, merangin.recorded, merangin.printed) == (4000, 2400, 2000)
    assert regencies["15.03"].recorded == 1200
    assert regencies["15.09"].obliged is None


def test_every_province_in_one_query(reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        provinces = {p.code: p for p in province_realisation(AT)}
    assert (provinces["15"].obliged, provinces["15"].recorded) == (6000, 3600)
    assert provinces["11"].recorded == 4000
    assert provinces["12"].recorded is None


def test_a_series_has_a_point_at_every_report_date_with_districts_carried_forward(reports):
    series = realisation_series("15.02", start=date(2017, 9, 1), end=date(2017, 10, 31))
    assert [(p["date"], p["obliged"], p["recorded"]) for p in series] == [
        (date(2017, 9, 1), 4000, 500 + 1800),
        (date(2017, 10, 1), 4000, 600 + 1800),
    ]
    assert series[1]["realisation"] == Decimal("60.00")


def test_a_series_of_the_country_counts_reports_before_its_start(reports):
    [point] = realisation_series(None, start=date(2017, 10, 10), end=date(2017, 10, 10))
    # 15.02.01 at 600 (1 Oct), 15.02.02 (Aug), 11.01.01 (5 Oct), 15.03.01 that day.
    assert (point["obliged"], point["recorded"]) == (10000, 600 + 1800 + 4000 + 1200)
