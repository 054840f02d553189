"""Phones (issue 15 item 7) and the recipients table on a desktop (item 6), in Chromium:
at 390×844 the header's menu is folded behind a real button (aria-expanded, aria-controls)
that opens and closes it, and no main page is wider than the screen; at 1,280 px a
directive's recipients table fits without scrolling sideways; an officer verifies a
report on its page, at 390×844 too."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import official
from tests.pages.conftest import screenshot, sign_in
from workflow import services
from workflow.default_policies import ensure_default_policies
from workflow.models import Assignment, EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def jambi_directive(regions):
    """A directive to Jambi's eleven regional heads, Merangin's report submitted (dates
    relative to the real clock: the live server reads it)."""
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    officer = official("ministry_officer", username="petugas.ponsel")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el di Provinsi Jambi",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        scope={"province": "15"},
    )
    services.issue_directive(directive=directive, actor=officer)
    regent = official("regent", "15.02", username="bupati.ponsel")
    merangin = Assignment.objects.get(directive=directive, regency__code="15.02")
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    services.submit_assignment(assignment=merangin, actor=regent, note="Perekaman selesai.")
    return officer, regent, directive, merangin


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_menu_folds_behind_a_button_and_no_page_is_wider_than_a_phone(page, jambi_directive):
    officer, regent, directive, merangin = jambi_directive
    page.set_viewport_size(PHONE)
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    button = page.get_by_test_id("menu-button")
    menu = page.locator("#main-menu")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-controls", "main-menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(page.locator("#nav-directives")).to_be_visible()
    assert document_width(page) <= PHONE["width"]
    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    report = f"/directives/{directive.pk}/recipients/{merangin.pk}/"
    wide = {}
    for address in (
        "/console/",
        "/console/provinces/15/",
        "/console/regencies/15.02/",
        "/directives/",
        f"/directives/{directive.pk}/",
        report,
        "/directives/new/",
        "/akun/",
    ):
        assert page.goto(address).ok, address
        if document_width(page) > PHONE["width"]:
            wide[address] = document_width(page)
            screenshot(page, "phone-too-wide-" + address.strip("/").replace("/", "-"))
    assert not wide, wide

    # On the report's page, the officer verifies what Merangin reported.
    page.goto(report)
    expect(page.get_by_test_id("report-note")).to_contain_text("Perekaman selesai.")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("assignment-state")).to_have_attribute("data-state", "verified")
    screenshot(page, "phone-report-verified")


def test_without_a_narrow_screen_the_menu_has_no_button(page, jambi_directive):
    officer = jambi_directive[0]
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    expect(page.get_by_test_id("menu-button")).to_be_hidden()
    expect(page.locator("#nav-directives")).to_be_visible()


def test_the_recipients_table_fits_1280_px(page, jambi_directive):
    officer, regent, directive, merangin = jambi_directive
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.goto(f"/directives/{directive.pk}/?sort=-activity")
    expect(page.get_by_test_id("recipient")).to_have_count(11)
    expect(page.get_by_test_id("recipient").first).to_have_attribute("data-region", "15.02")
    box = page.locator("#recipients .table-scroll")
    fits = box.evaluate("b => b.scrollWidth <= b.clientWidth")
    assert fits, box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert document_width(page) <= 1280
    # Sorting again by the same header goes the other way, through htmx.
    page.locator("th a[data-sort='region']").click()
    expect(page.locator("th[aria-sort='ascending'] a[data-sort='region']")).to_be_visible()
    page.locator("th a[data-sort='region']").click()
    expect(page.locator("th[aria-sort='descending'] a[data-sort='region']")).to_be_visible()
    expect(page).to_have_url(re.compile(r"sort=-region"))
    codes = page.get_by_test_id("recipient").evaluate_all("rows => rows.map(r => r.dataset.region)")
    assert codes == sorted(codes, reverse=True)
