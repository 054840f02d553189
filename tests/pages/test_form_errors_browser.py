"""In the browser, on a phone-sized screen (issue 15, item 5): a remediation sent without
its statement comes back where the form is, with the focus on the error summary (not on
<body> at the top of the page), and the summary's link takes the focus to the field."""

import re

import pytest
from playwright.sync_api import expect

from compliance.models import ComplianceState, Regency
from tests.compliance.scenario import pdf_bytes
from tests.pages import test_regent_browser
from tests.pages.conftest import screenshot, sign_in
from tests.pages.inbox_fixtures import MERANGIN
from tests.pages.test_regent_browser import PASSWORD, PHONE

pytestmark = pytest.mark.slow
flagged_merangin = test_regent_browser.flagged_merangin  # the same regent, violation, directive


def test_a_remediation_without_its_statement_is_seen_where_the_form_is(page, flagged_merangin):
    regent, violation, _ = flagged_merangin
    page.set_viewport_size(PHONE)
    sign_in(page, regent.username, PASSWORD)
    page.wait_for_url("**/kerja/")  # every office lands on its work queue

    page.goto("/inbox/regency/")
    page.locator("#id_file").set_input_files(
        {"name": "sk-pejabat.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.locator("#upload-evidence").click()
    page.wait_for_selector("#evidence-requirement.met")
    answer = page.locator(f'fieldset[data-violation="{violation.pk}"]')
    answer.get_by_label("sk-pejabat.pdf").check()
    page.locator("#submit-remediation").click()  # no statement
    # The answer to that POST: wait for it (title() reads the page that is there now).
    expect(page).to_have_title(re.compile("^Galat: "))
    form = page.locator("#remediation-form")
    summary = form.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    screenshot(page, "regent-remediation-error")
    field = page.locator(f"#id_statement_{violation.pk}")
    link = summary.get_by_role("link").first
    said = link.inner_text().split(": ", 1)[1]  # "<label>: <error>", as by the field
    link.click()
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = f"id_statement_{violation.pk}_error"
    assert error_id in field.get_attribute("aria-describedby").split()
    expect(page.locator(f"#{error_id}")).to_have_text(said)
    assert Regency.objects.get(code=MERANGIN).state == ComplianceState.FLAGGED
