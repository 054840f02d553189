"""In the browser (issue 15, items 4 and 5): approving a suspension and the bulk
acceleration button ask first, naming the effect, and the confirmation is sent once
however often it is pressed; a form that comes back with errors shows its summary, takes
the focus to it where the form is, and links each error to its field."""

import re

import pytest
from playwright.sync_api import expect

from compliance.models import AccessOrder, ComplianceState, TransitionLog
from tests.compliance.scenario import Cast, flag, request_suspension
from tests.factories import official, regency
from tests.pages.conftest import screenshot, sign_in
from workflow.default_policies import ensure_default_policies
from workflow.models import Directive, EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)


def test_approving_a_suspension_is_confirmed_and_sent_once(page):
    cast = Cast.of("15.02")
    flag(cast)
    pending = request_suspension(cast, reason="Surat teguran tidak ditindaklanjuti")
    director = cast.director
    director.set_password(PASSWORD)
    director.save()
    # (the second factor of directors is covered by test_director_browser.py)
    sign_in_without_second_factor(page, director)

    page.goto("/console/approvals/")
    page.get_by_test_id("approve-suspension-15.02").click()
    expect(page).to_have_title(
        "Konfirmasi: putus akses 15.02 Kabupaten Merangin · Kepatuhan KTP-el"
    )
    expect(page.get_by_test_id("confirmation-effect")).to_contain_text(
        "Akses SIAK 15.02 Kabupaten Merangin akan diputus"
    )
    expect(page.get_by_test_id("confirmation")).to_contain_text(
        "Surat teguran tidak ditindaklanjuti"
    )
    assert regency("15.02").state == ComplianceState.FLAGGED
    screenshot(page, "confirm-suspension")

    # The confirmation is held on its way: the button is disabled, pressing again (or
    # submitting the form any other way) sends nothing more.
    held = []
    page.route(f"**/approvals/suspensions/{pending.pk}/approve/", lambda route: held.append(route))
    pressed_twice = page.evaluate(
        """() => new Promise((done) => {
            const button = document.querySelector("[data-testid=confirm]");
            button.click();
            setTimeout(() => {
                const disabled = button.disabled;
                button.form.requestSubmit();  // Enter, or a second tap: ignored
                done(disabled);
            }, 50);
        })"""
    )
    assert pressed_twice is True  # the button was disabled once the form was sent
    page.wait_for_timeout(300)
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_url("**/console/approvals/")
    expect(page.get_by_test_id("no-suspension-requests")).to_be_visible()
    # Decided once: one order to cut goes to the network operators, who carry it out.
    [order] = AccessOrder.objects.filter(regency__code="15.02")
    assert (order.kind, order.state, order.request) == ("cut", "issued", pending)
    assert regency("15.02").state == ComplianceState.FLAGGED
    assert not TransitionLog.objects.filter(transition="suspend").exists()


def sign_in_without_second_factor(page, user):
    """A director's office needs the second factor: enrol it as the page asks."""
    from base64 import b32decode

    from tests.pages.conftest import totp_code

    sign_in(page, user.username, PASSWORD)
    page.wait_for_url("**/masuk/kode/daftar/**")
    secret = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    page.get_by_label("Kode", exact=True).fill(totp_code(secret))
    page.get_by_role("button", name="Konfirmasi").click()
    page.locator("#continue").click()


def test_the_bulk_acceleration_button_names_its_effect_and_issues_once(page, jambi_reports):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    officer = official("ministry_officer", username="petugas.percepatan")
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)

    page.goto("/console/?at=2017-10-01")
    page.get_by_test_id("issue-acceleration").get_by_role("button").click()
    expect(page.get_by_test_id("confirmation-effect")).to_have_text(
        "1 kepala daerah akan menerima direktif percepatan beserta surelnya, dengan "
        "tembusan kepada gubernur."
    )
    expect(page.get_by_test_id("confirmation-details")).to_contain_text("15.02 Kabupaten Merangin")
    assert not Directive.objects.filter(origin_key__startswith="acceleration:").exists()
    screenshot(page, "confirm-acceleration")

    page.get_by_test_id("confirm").dblclick()  # a double click: one request
    page.wait_for_url("**/console/?at=2017-10-01")
    assert Directive.objects.filter(origin_key__startswith="acceleration:").count() == 1

    page.go_back()  # the confirmation again, from the browser's history: acts no more
    page.get_by_test_id("confirm").click()
    page.wait_for_url("**/console/?at=2017-10-01")
    expect(page.locator(".messages")).to_contain_text("tidak dilakukan untuk kedua kalinya")
    assert Directive.objects.filter(origin_key__startswith="acceleration:").count() == 1


def test_a_form_with_errors_shows_its_summary_and_takes_the_focus_there(page):
    officer = official("ministry_officer", username="petugas.galat")
    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto("/console/regencies/15.01/")
    page.get_by_test_id("open-flag").click()
    page.get_by_test_id("submit-flag").click()
    # The answer to that POST: wait for it (title() reads the page that is there now).
    expect(page).to_have_title(re.compile("^Galat: "))
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()  # where the form is, not the top of the page
    expect(summary).to_contain_text("Keterangan: Isian ini wajib diisi.")
    screenshot(page, "error-summary-focus")

    summary.get_by_role("link", name="Keterangan: Isian ini wajib diisi.").click()
    expect(page.locator("#id_flag-description")).to_be_focused()
    described = page.locator("#id_flag-description").get_attribute("aria-describedby").split()
    assert "id_flag-description_error" in described  # the field's error is read with it
    for element_id in described:
        expect(page.locator(f"#{element_id}")).to_have_count(1)
    expect(page.locator("#id_flag-description_error")).to_have_text("Isian ini wajib diisi.")
