"""The console's country, province and regency pages send as many queries with three
times the regencies with reports, the reports, the cases and the assignments: the
figures come from the read model (compliance.summary), the rest from grouped reads."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.compliance import growth
from tests.factories import official

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, regions, time_machine):
    time_machine.move_to(growth.NOW, tick=True)
    officer = official("ministry_officer")
    client.force_login(officer)
    client.officer = officer
    return client


def read(client, url):
    """(queries, html) of the page, once its figures are stored: the first reader after
    new reports stores them (an import does it as it ends)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def rows(html, testid):
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, re.S)
    return re.findall(r'<tr data-code="([\d.]+)"', table.group(1)) if table else []


@pytest.mark.parametrize(
    "url",
    [reverse("console:country"), reverse("console:province", args=["15"])],
    ids=["country", "province"],
)
def test_the_country_and_province_pages(officer_client, url):
    growth.few(officer_client.officer)
    few, html = read(officer_client, url)
    assert "15.01" in html

    growth.many(officer_client.officer)
    many, html = read(officer_client, url)
    assert many == few, (few, many)
    if url == reverse("console:country"):
        assert len(rows(html, "suspended")) == 9
        assert "15.01" in rows(html, "laggards")


def test_the_country_page_of_a_governor(client, regions, time_machine):
    """A governor's country page also lists his province's regencies by realisation."""
    time_machine.move_to(growth.NOW, tick=True)
    officer = official("ministry_officer")
    client.force_login(official("governor", "15"))
    growth.few(officer)
    few, _ = read(client, reverse("console:country"))
    growth.many(officer)
    many, html = read(client, reverse("console:country"))
    assert many == few, (few, many)
    assert len(rows(html, "realisation-by-regency")) == 11


def test_the_regency_page(officer_client):
    url = reverse("console:regency", args=["15.02"])
    growth.few(officer_client.officer)
    few, _ = read(officer_client, url)

    growth.many(officer_client.officer)  # more days of reports, two more directives
    many, html = read(officer_client, url)
    assert many == few, (few, many)
    assert "path-heading" in html  # the realisation series, from more reports
