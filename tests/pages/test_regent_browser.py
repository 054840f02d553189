"""In the browser, on a phone-sized screen: a regent signs in, acknowledges a directive and
submits his regency's remediation with an evidence file."""

import pytest

from compliance import services as compliance
from compliance.models import ComplianceState, Regency
from tests.compliance.scenario import pdf_bytes
from tests.factories import official
from tests.pages.conftest import screenshot, sign_in
from tests.pages.inbox_fixtures import MERANGIN, issue, later
from workflow.default_policies import ensure_default_policies
from workflow.models import Assignment, EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # tests.factories.official's
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def flagged_merangin(regions):
    """Merangin flagged for an HR violation, and a directive issued to its regent."""
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    officer = official("ministry_officer")
    regent = official("regent", MERANGIN, username="bupati-merangin")
    merangin = Regency.objects.get(code=MERANGIN)
    violation = compliance.flag_regency(
        regency=merangin,
        actor=officer,
        kind="hr",
        description="Kepala Dinas Dukcapil dimutasi tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A; Permendagri 76/2015",
    )
    title = "Percepatan perekaman KTP-el Merangin"
    assignment = issue(officer, due=later(14), title=title)[MERANGIN]
    return regent, violation, assignment


def test_a_regent_acknowledges_a_directive_and_submits_remediation_with_evidence(
    page, flagged_merangin
):
    regent, violation, assignment = flagged_merangin
    page.set_viewport_size(PHONE)
    sign_in(page, regent.username, PASSWORD)

    # The work queue first (every office lands there), then the inbox: the directive, due
    # at the end of its day in Jambi's zone.
    page.wait_for_url("**/kerja/")
    page.goto("/inbox/")
    card = page.locator(f'[data-assignment="{assignment.pk}"]')
    assert "WIB" in card.get_by_test_id("due").inner_text()
    card.get_by_role("link", name=assignment.directive.title).click()

    page.locator("#acknowledge").click()
    page.wait_for_selector('#assignment-state[data-state="acknowledged"]')
    assert Assignment.objects.get(pk=assignment.pk).state == "acknowledged"

    # My regency: flagged, evidence missing; upload it, then answer the violation.
    page.goto("/inbox/regency/")
    assert page.locator("#compliance-state").get_attribute("data-state") == "flagged"
    assert page.locator("#evidence-requirement").get_attribute("class") == "missing"
    page.locator("#id_file").set_input_files(
        {
            "name": "sk-pengembalian-pejabat.pdf",
            "mimeType": "application/pdf",
            "buffer": pdf_bytes(),
        }
    )
    page.locator("#upload-evidence").click()
    page.wait_for_selector("#evidence-requirement.met")

    page.locator(f"#id_statement_{violation.pk}").fill(
        "Kepala Dinas Dukcapil dikembalikan sesuai persetujuan Menteri"
    )
    answer = page.locator(f'fieldset[data-violation="{violation.pk}"]')
    answer.get_by_label("sk-pengembalian-pejabat.pdf").check()
    page.locator("#submit-remediation").click()

    page.wait_for_selector('#compliance-state[data-state="remediated"]')
    assert Regency.objects.get(code=MERANGIN).state == ComplianceState.REMEDIATED
    screenshot(page, "regent-remediation-submitted")
