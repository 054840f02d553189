"""e-KTP realisation on the console: by province, by regency against the straight path to
100 % on 31 December, laggards marked (compliance.recording and compliance.laggards)."""

import re

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
    assert "2017-10-01: 55.0 %" in html  # the chart's text equivalent


def test_before_any_report_the_console_says_there_is_no_data_yet(client, regions):
    html = page(client, official("ministry_officer"), reverse("console:country"))
    assert 'data-testid="no-recording-data"' in html
