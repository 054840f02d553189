"""A regency lags when its recording realisation is more than LAGGARD_TOLERANCE_POINTS
below the straight path from its level on 1 January to 100 % on 31 December, or below
LAGGARD_FLOOR_PERCENT. In 2026, 2 July is exactly half-way (182 of 364 days)."""

import datetime as dt
from decimal import Decimal

import pytest

from compliance.laggards import expected_on_path, find_laggards
from compliance.models import District, RecordingReport, Regency

pytestmark = pytest.mark.django_db
NEW_YEAR, MIDYEAR = dt.date(2026, 1, 1), dt.date(2026, 7, 2)


def report(regency_code, day, recorded, obliged=1000):
    district = District.objects.filter(regency__code=regency_code).order_by("code").first()
    RecordingReport.objects.create(
        district=district, date=day, obliged=obliged, recorded=recorded, printed=0
    )


def lagging(day=MIDYEAR):
    return {lg.regency.code: lg for lg in find_laggards(day)}


def test_the_path_runs_from_the_start_of_the_year_to_100_on_31_december():
    assert expected_on_path(Decimal(80), NEW_YEAR) == 80
    assert expected_on_path(Decimal(80), MIDYEAR) == 90
    assert expected_on_path(Decimal(80), dt.date(2026, 12, 31)) == 100
    assert expected_on_path(None, MIDYEAR) == 50  # no data on 1 January: from 0 %


def test_exactly_the_tolerance_below_the_path_is_not_lagging():
    report("15.01", NEW_YEAR, 800)  # 80 % on 1 January: 90 % expected on 2 July
    report("15.01", MIDYEAR, 850)  # 85 %: exactly 5 points below
    assert "15.01" not in lagging()


def test_just_more_than_the_tolerance_below_the_path_is_lagging():
    report("15.01", NEW_YEAR, 8000, obliged=10000)
    report("15.01", MIDYEAR, 8499, obliged=10000)  # 84.99 %: 5.01 points below
    laggard = lagging()["15.01"]
    assert laggard.reason == "path"
    assert laggard.realisation == Decimal("84.99")
    assert laggard.expected == 90
    assert laggard.start == 80
    assert (laggard.obliged, laggard.recorded) == (10000, 8499)


def test_exactly_the_floor_is_not_lagging_just_below_is():
    # No report on 1 January: the path starts from 0 % (50 % expected on 2 July), so
    # only the floor can catch these two.
    report("15.02", MIDYEAR, 800)  # 80 %: at the floor
    report("15.03", MIDYEAR, 7999, obliged=10000)  # 79.99 %
    found = lagging()
    assert "15.02" not in found
    assert found["15.03"].reason == "floor"
    assert found["15.03"].start is None
    assert found["15.03"].expected == 50


def test_below_the_floor_wins_over_the_path():
    report("15.09", NEW_YEAR, 550)
    report("15.09", MIDYEAR, 600)  # Tebo at 60 %: 17.5 points below the path, under 80 %
    assert lagging()["15.09"].reason == "floor"


def test_without_a_report_by_the_date_a_regency_is_not_judged():
    report("15.04", dt.date(2026, 8, 1), 100)  # only after the date
    assert "15.04" not in lagging()


def test_the_tolerance_and_the_floor_are_settings(settings):
    report("15.01", NEW_YEAR, 800)
    report("15.01", MIDYEAR, 820)  # 8 points below the path, above 80 %
    assert lagging()["15.01"].reason == "path"
    settings.LAGGARD_TOLERANCE_POINTS = 10
    assert "15.01" not in lagging()
    settings.LAGGARD_FLOOR_PERCENT = 85
    assert lagging()["15.01"].reason == "floor"


def test_the_queries_do_not_grow_with_the_number_of_regencies(django_assert_num_queries):
    for code in Regency.objects.filter(province__code="15").values_list("code", flat=True):
        report(code, NEW_YEAR, 500)
        report(code, MIDYEAR, 600)
    with django_assert_num_queries(2):
        laggards = find_laggards(MIDYEAR)
        names = [lg.regency.province.name for lg in laggards]
    assert len(names) == 11
