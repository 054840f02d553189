"""Issue 15 item 6 in the browser: the header's search finds Merangin and leads to its
console page; the directive list fits 1,280 px; printed, a directive's page and the
regency's file are the body alone, full width, without navigation or forms."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import official
from tests.pages.conftest import screenshot, sign_in
from tests.pages.directives_fixtures import issue
from workflow.default_policies import ensure_default_policies
from workflow.models import EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)


def test_search_sort_and_print(page):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    officer = official("ministry_officer", username="petugas.cari")
    # The live server reads the real clock (a browser test cannot freeze it): a deadline
    # a month from today, whatever day the suite runs.
    due = timezone.localdate() + dt.timedelta(days=30)
    for n in range(3):
        issue(officer, {"province": "15"}, title=f"Percepatan perekaman KTP-el tahap {n}", due=due)
    directive = issue(officer, {"regions": ["15.02"]}, title="Laporan perekaman Merangin", due=due)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)

    # search from the header
    page.get_by_test_id("header-search").locator("input[name=q]").fill("merangin")
    page.get_by_test_id("header-search").get_by_role("button").click()
    page.wait_for_url("**/cari/?q=merangin")
    page.get_by_test_id("regency-results").get_by_role("link").first.click()
    page.wait_for_url("**/console/regencies/15.02/")

    # the directive list fits 1,280 px, sorted and filtered
    page.goto("/directives/?q=perekaman&sort=-title")
    table = page.get_by_test_id("directives")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('[data-testid=directives]').scrollWidth,"
        " document.querySelector('main').clientWidth]"
    )
    assert widths[0] <= 1280 and widths[1] <= widths[2], widths
    expect(table.locator("tbody tr").first).to_contain_text("tahap 2")
    expect(table.locator("th[aria-sort=descending]")).to_have_count(1)
    screenshot(page, "directive-list-1280")

    # printed: the body alone, full width
    page.emulate_media(media="print")
    for url in (f"/directives/{directive.pk}/", "/console/regencies/15.02/"):
        page.goto(url)
        expect(page.locator("body > header")).to_be_hidden()
        expect(page.locator("body > footer")).to_be_hidden()
        assert page.locator("main form:visible").count() == 0, url
        assert page.locator("main button:visible").count() == 0, url
        main, body = page.evaluate(
            "() => [document.querySelector('main').getBoundingClientRect().width,"
            " document.body.clientWidth]"
        )
        assert main >= body - 1, (url, main, body)
        expect(page.locator("main h1")).to_be_visible()


def test_a_regent_prints_his_letters_without_navigation(page):
    regent = official("regent", "15.02", username="bupati.cari")
    sign_in(page, regent.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.emulate_media(media="print")
    page.goto("/inbox/letters/")
    expect(page.locator("body > header")).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
