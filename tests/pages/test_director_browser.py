"""A director approves, in the browser, a suspension an officer requested: his first
sign-in sets up his authenticator app (the second factor his office needs). The approval
orders the cut; the regency is suspended once the network operators carry it out."""

from base64 import b32decode

import pytest
from playwright.sync_api import expect

from compliance.models import AccessOrder, ComplianceState
from tests.compliance.scenario import Cast, flag, request_suspension
from tests.factories import carry_out, official, regency
from tests.pages.conftest import screenshot, sign_in, totp_code

pytestmark = pytest.mark.slow

PASSWORD = "rahasia-Uji-123"  # tests.factories.official's
WAIT = 15_000  # ms: the machine is shared, an answer may be slow


def test_a_director_approves_a_suspension_requested_by_an_officer(page):
    cast = Cast.of("15.02")
    flag(cast)
    request_suspension(cast, reason="Surat peringatan Dirjen tidak ditindaklanjuti")
    official("ministry_director", username="direktur.uji")

    sign_in(page, "direktur.uji", PASSWORD)
    page.wait_for_url("**/masuk/kode/daftar/**")
    assert page.locator("figure.qr svg").is_visible()  # the QR code his phone scans
    secret = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Kode", exact=True).fill(totp_code(secret))
    page.get_by_role("button", name="Konfirmasi").click()
    # The codes come back in the answer to that POST: wait for it (count() would not).
    expect(page.locator("#recovery-codes li")).to_have_count(10, timeout=WAIT)
    page.locator("#continue").click()

    page.goto("/console/approvals/")
    card = page.get_by_test_id("suspension-request-15.02")
    assert "Surat peringatan Dirjen tidak ditindaklanjuti" in card.inner_text()
    assert cast.officer.username in card.inner_text()
    card.get_by_test_id("approve-suspension-15.02").click()
    # Asked first, naming the effect (pages.confirm); cancelling changes nothing.
    effect = page.get_by_test_id("confirmation-effect")
    assert "Akses SIAK 15.02 Kabupaten Merangin akan diputus" in effect.inner_text()
    assert regency("15.02").state == ComplianceState.FLAGGED
    page.get_by_test_id("cancel").click()
    page.wait_for_url("**/console/approvals/")
    assert regency("15.02").state == ComplianceState.FLAGGED
    page.get_by_test_id("approve-suspension-15.02").click()
    page.get_by_test_id("confirm").click()
    page.wait_for_url("**/console/approvals/")
    expect(page.get_by_test_id("no-suspension-requests")).to_be_visible()

    # The cut is ordered: the regency stays flagged, its page says the order waits.
    page.goto("/console/regencies/15.02/")
    assert page.locator("#regency-state").get_attribute("data-state") == "flagged"
    waiting = page.get_by_test_id("issued-access-order")
    assert waiting.get_attribute("data-kind") == "cut"
    assert "operator jaringan" in waiting.inner_text()
    assert regency("15.02").state == ComplianceState.FLAGGED

    carry_out(AccessOrder.objects.get(regency__code="15.02"))  # the network operators
    page.reload()
    assert page.locator("#regency-state").get_attribute("data-state") == "suspended"
    assert page.get_by_test_id("issued-access-order").count() == 0
    assert page.locator('.state-diagram [aria-current="true"]').get_attribute("data-state") == (
        "suspended"
    )
    assert regency("15.02").state == ComplianceState.SUSPENDED
    screenshot(page, "director-approves-suspension")
