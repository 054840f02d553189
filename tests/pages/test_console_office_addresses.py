"""The console shows ministry users the governor, regent and mayor offices whose mail
reaches nobody yet (no address, or the generated placeholder): the country's count and
first rows, and on a province's page that province's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import Office, OfficeKind
from compliance.offices import is_placeholder_address
from pages.console.panels import OFFICE_ADDRESS_ROWS
from tests.factories import official

pytestmark = pytest.mark.django_db

HEADS = [OfficeKind.GOVERNOR, OfficeKind.REGENT, OfficeKind.MAYOR]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def section(client, url):
    """(count, [(kind, code)] listed, the section's HTML) of the offices without address."""
    page = client.get(url).content.decode()
    found = re.search(
        r'data-testid="offices-without-address" data-count="(\d+)">(.*?)</section>', page, re.S
    )
    assert found, "no section on offices without an address"
    rows = re.findall(r'<tr data-code="([\d.]+)" data-kind="(\w+)">', found.group(2))
    return int(found.group(1)), [(kind, code) for code, kind in rows], found.group(2)


def give_real_addresses(**where):
    heads = Office.objects.filter(kind__in=HEADS, **where)
    for office in heads:
        office.email = f"kantor{office.pk}@daerah.go.id"
    Office.objects.bulk_update(heads, ["email"])


def test_the_country_page_counts_every_placeholder_and_lists_the_first(officer_client):
    count, rows, html = section(officer_client, reverse("console:country"))

    assert count == 552  # 38 governors, 514 regents and mayors, as load_regions made them
    assert len(rows) == OFFICE_ADDRESS_ROWS
    assert rows[:2] == [("governor", "11"), ("regent", "11.01")]  # Aceh first, by code
    assert f"… dan {552 - OFFICE_ADDRESS_ROWS} lagi." in html
    assert "gubernur.aceh@pemda.example.go.id" in html


def test_offices_with_a_real_address_leave_the_list(officer_client):
    give_real_addresses(province__code="11")
    Office.objects.filter(title="Bupati Tebo").update(email="")  # no address at all counts

    count, rows, _ = section(officer_client, reverse("console:country"))

    assert count == 552 - 24  # Aceh (a governor, 18 regents, 5 mayors) out, Tebo still in
    assert rows[0] == ("governor", "12")


def test_a_placeholder_typed_in_capitals_is_still_a_placeholder(officer_client):
    # The panel and is_placeholder_address agree: the domain is stored in lower case.
    Office.objects.filter(title="Bupati Tebo").update(email="Bupati.Tebo@PEMDA.EXAMPLE.GO.ID")
    Office.objects.filter(title="Bupati Merangin").update(email="bupati@merangin.go.id")

    count, _, _ = section(officer_client, reverse("console:country"))

    assert count == 551
    assert is_placeholder_address(Office.objects.get(title="Bupati Tebo").email)


def test_the_province_page_lists_only_that_provinces_offices(officer_client):
    Office.objects.filter(title__in=["Gubernur Jambi", "Bupati Tebo"]).update(
        email="kantor@jambiprov.go.id"
    )

    count, rows, html = section(officer_client, reverse("console:province", args=["15"]))

    assert count == 10  # Jambi: 12 seats, two with their real address
    assert [code for _, code in rows] == [
        "15.01", "15.02", "15.03", "15.04", "15.05", "15.06", "15.07", "15.08", "15.71", "15.72"
    ]  # fmt: skip
    assert ("mayor", "15.71") in rows
    assert "lagi" not in html
    assert f'href="{reverse("console:regency", args=["15.02"])}"' in html


def test_says_so_when_every_office_has_a_real_address(officer_client):
    give_real_addresses(province__code="15")

    count, rows, html = section(officer_client, reverse("console:province", args=["15"]))

    assert (count, rows) == (0, [])
    assert "Setiap jabatan gubernur, bupati, dan wali kota sudah memiliki alamat surel" in html


def test_reads_in_english_for_an_english_reader(officer_client):
    officer_client.cookies["django_language"] = "en"

    _, _, html = section(officer_client, reverse("console:province", args=["15"]))

    assert "12 governor, regent and mayor offices have no e-mail address" in html
    assert "import_office_contacts" in html


@pytest.mark.parametrize(
    "url", [reverse("console:country"), reverse("console:province", args=["15"])]
)
def test_a_governor_does_not_get_the_section(client, url):
    client.force_login(official("governor", "15"))

    page = client.get(url).content.decode()

    assert 'data-testid="offices-without-address"' not in page


def test_the_section_costs_the_same_queries_however_many_offices_it_lists(officer_client):
    give_real_addresses()
    Office.objects.filter(title="Bupati Tebo").update(email="bupati.tebo@pemda.example.go.id")
    url = reverse("console:country")
    section(officer_client, url)  # the first reader stores the realisation figures
    with CaptureQueriesContext(connection) as few:
        assert section(officer_client, url)[0] == 1
    Office.objects.filter(kind__in=HEADS).update(email="")

    with CaptureQueriesContext(connection) as many:
        assert section(officer_client, url)[0] == 552

    assert len(many) == len(few)
