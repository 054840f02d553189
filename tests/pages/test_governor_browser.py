"""In the browser: the governor of Jambi answers the Director General's directive to his
office (acknowledge, then a written report) and grants a regent's extension request on
the provincial directive he issued himself."""

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import official
from tests.pages.conftest import screenshot, sign_in
from tests.pages.inbox_fixtures import MERANGIN, later
from workflow import services
from workflow.default_policies import ensure_default_policies
from workflow.models import Assignment, EscalationPolicy, EscalationStep, ExtensionRequest

User = get_user_model()
pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # tests.factories.official's


def directive(actor, scope, title, due):
    d = services.create_directive(
        actor=actor,
        title=title,
        body="Sampaikan laporan dan tindak lanjut.",
        legal_basis="UU 24/2013 Pasal 63; PP 12/2017 Pasal 38",
        due_date=due,
        scope=scope,
    )
    _, assignments = services.issue_directive(directive=d, actor=actor)
    return list(assignments)[0]


@pytest.fixture
def jambi(regions):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    dirjen = official("director_general", username="dirjen.uji")
    governor = official("governor", "15", username="gubernur.uji")
    regent = official("regent", MERANGIN, username="bupati.uji")
    report = directive(dirjen, {"regions": ["15"]}, "Laporan capaian KTP-el Jambi", later(7))
    provincial = directive(
        governor, {"regions": [MERANGIN]}, "Rapat koordinasi perekaman Merangin", later(5)
    )
    extension = services.request_extension(
        assignment=provincial,
        actor=regent,
        new_due_date=later(12),
        reason="Perangkat perekaman di dua kecamatan sedang diperbaiki.",
    )
    return report, provincial, extension


def test_a_governor_answers_the_ministry_and_decides_his_regents_extension(page, jambi):
    report, provincial, extension = jambi
    phone = TOTPDevice.objects.create(user=User.objects.get(username="gubernur.uji"), name="hp")
    sign_in(page, "gubernur.uji", PASSWORD, authenticator=phone)

    page.locator("#nav-inbox").click()
    page.get_by_role("link", name="Laporan capaian KTP-el Jambi").click()
    page.locator("#acknowledge").click()
    page.wait_for_selector('#assignment-state[data-state="acknowledged"]')
    page.locator("#submit-section summary").click()
    page.locator("#id_note").fill("Capaian Provinsi Jambi 91,4 %; dua kabupaten di bawah 80 %.")
    page.locator("#submit").click()
    page.wait_for_selector('#assignment-state[data-state="submitted"]')
    assert Assignment.objects.get(pk=report.pk).state == "submitted"

    page.locator("#nav-approvals").click()
    card = page.get_by_test_id(f"extension-request-{extension.pk}")
    assert "Perangkat perekaman di dua kecamatan" in card.inner_text()
    card.get_by_test_id(f"approve-extension-{extension.pk}").click()
    page.wait_for_selector('[data-testid="no-extension-requests"]')

    assert ExtensionRequest.objects.get(pk=extension.pk).status == "approved"
    assert Assignment.objects.get(pk=provincial.pk).due_date == later(12)
    screenshot(page, "governor-decides-extension")
