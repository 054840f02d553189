"""e-KTP realisation on the console: by province, by regency against the straight path to
100 % on 31 December, laggards marked (compliance.recording and compliance.laggards)."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import official

pytestmark = pytest.mark.django_db


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_country_shows_realisation_by_province_and_the_laggards(client, jambi_reports):
    html = page(client, official("ministry_officer"), reverse("console:country") + "?at=2017-10-01")
    provinces = re.search(r'data-testid="realisation-by-province">(.*?)</table>', html, re.S)
    assert re.findall(r'<tr data-code="(\d\d)"', provinces.group(1)) == ["15"]
    laggards = re.search(r'data-testid="laggards">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<tr data-code="([\d.]+)"', laggards) == ["15.02"]
    assert "no-recording-data" not in html


def test_a_governor_sees_his_regencies_against_the_path_with_the_laggard_marked(
    client, jambi_reports
):
    html = page(client, official("governor", "15"), reverse("console:country") + "?at=2017-10-01")
    table = re.search(r'data-testid="realisation-by-regency">(.*?)</table>', html, re.S).group(1)
    lagging = re.findall(r'<tr data-code="([\d.]+)" class="lagging-row">', table)
    assert lagging == ["15.02"]
    merangin = re.search(r'data-code="15.02" class="lagging-row">(.*?)</tr>', table, re.S).group(1)
    assert "87.5" in merangin.replace(",", ".")  # where the path stands on 1 October
    assert "Merangin !" in html  # the chart marks it too


def test_the_province_page_shows_each_regencys_realisation(client, jambi_reports):
    html = page(
        client,
        official("ministry_director"),
        reverse("console:province", args=["15"]) + "?at=2017-10-01",
    )
    row = re.search(r'<tr data-code="15.02">(.*?)</tr>', html, re.S).group(1)
    assert "55.0" in row.replace(",", ".") and "lagging" in row
    assert 'class="chart realisation"' in html


def test_the_regency_page_draws_its_year_against_the_path(client, jambi_reports):
    html = page(
        client,
        official("ministry_officer"),
        reverse("console:regency", args=["15.02"]) + "?at=2017-10-01",
    )
    assert 'class="chart path"' in html
    assert "2017-10-01: 55,0 %" in html  # the chart's text equivalent, as the table writes it
    assert '<td class="num">55,0 %</td>' in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_regency_page_names_the_year_of_the_figures_it_draws(
    client, jambi_reports, time_machine, language
):
    """The latest report is from 2017 while today is 2026: the heading and the chart say
    2017, not "this year"."""
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    client.cookies.load({"django_language": language})
    html = page(client, official("ministry_officer"), reverse("console:regency", args=["15.02"]))
    heading = re.search(r'<h2 id="path-heading">(.*?)</h2>', html).group(1)
    chart_title = re.search(r'<svg class="chart path".*?<title[^>]*>(.*?)</title>', html, re.S)
    assert "2017" in heading and "2017" in chart_title.group(1)
    assert "2026" not in heading + chart_title.group(1)
    assert "this year" not in html and "tahun ini" not in html
    if language == "en":
        assert heading == "e-KTP realisation in 2017"
        assert chart_title.group(1).startswith("e-KTP realisation in 2017 against")


def test_before_any_report_the_console_says_there_is_no_data_yet(client, regions):
    html = page(client, official("ministry_officer"), reverse("console:country"))
    assert 'data-testid="no-recording-data"' in html


def test_on_the_demo_figures_the_alarm_shows_the_two_laggards_not_everyone(client, time_machine):
    """Issue 14: in October 2017 the other Jambi regencies (about 89 %, behind a path at
    about 95 %) are near complete; only Merangin and Sarolangun (about 60 %) are marked."""
    from compliance.demo import load_recording_reports

    time_machine.move_to(datetime(2018, 1, 2, 2, tzinfo=UTC), tick=False)
    load_recording_reports()
    url = reverse("console:country") + "?at=2017-10-17"
    html = page(client, official("governor", "15"), url)
    table = re.search(r'data-testid="realisation-by-regency">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<tr data-code="([\d.]+)" class="lagging-row">', table) == [
        "15.02",
        "15.03",
    ]
    assert len(re.findall(r'<tr data-code="([\d.]+)"', table)) == 11
    laggards = re.search(r'data-testid="laggards">(.*?)</table>', html, re.S).group(1)
    assert sorted(re.findall(r'<tr data-code="([\d.]+)"', laggards)) == ["15.02", "15.03"]
    names = ["Kerinci", "Merangin", "Sarolangun", "Batanghari", "Muaro Jambi", "Bungo", "Tebo"]
    names += ["Tanjung Jabung Barat", "Tanjung Jabung Timur", "Kota Jambi", "Kota Sungai Penuh"]
    assert [name for name in names if f"{name} !" in html] == ["Merangin", "Sarolangun"]
