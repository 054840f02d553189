"""A ministry officer issues a directive to Jambi in the browser and sees its eleven
recipients (issue 6, "Browser tests")."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import official
from tests.pages.conftest import screenshot, sign_in
from workflow.default_policies import ensure_default_policies
from workflow.models import Directive, EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)
WAIT = 15_000  # ms: the machine is shared, htmx answers may be slow


def test_a_ministry_officer_issues_a_directive_to_jambi_and_tracks_eleven_recipients(page):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    officer = official("ministry_officer", username="petugas.uji")
    due = timezone.localdate() + dt.timedelta(days=30)

    sign_in(page, officer.username, PASSWORD)
    page.wait_for_url(lambda url: "/masuk/" not in url)
    page.goto("/directives/new/")
    page.locator("#id_title").fill("Percepatan perekaman KTP-el di Provinsi Jambi")
    page.locator("#id_body").fill("Selesaikan perekaman KTP-el penduduk wajib KTP-el.")
    page.locator("#id_legal_basis").fill("UU 24/2013 Pasal 63; UU 23/2014 Pasal 67")
    page.locator("#id_due_date").fill(due.isoformat())
    page.locator("input[name=scope_kind][value=province]").check()
    page.locator("#id_province").select_option("15")

    expect(page.get_by_test_id("recipient-count")).to_have_text("11", timeout=WAIT)
    expect(page.get_by_test_id("deadlines")).to_contain_text("WIB", timeout=WAIT)
    expect(page.get_by_test_id("preview-subject")).to_contain_text(
        "Percepatan perekaman", timeout=WAIT
    )
    preview = page.frame_locator("iframe.email-preview")
    expect(preview.locator("body")).to_contain_text("Bupati Kerinci", timeout=WAIT)
    screenshot(page, "officer-directive-composer")

    page.get_by_test_id("issue").click()
    # Asked first, with the effect named (pages.confirm): nothing is issued yet.
    expect(page.get_by_test_id("confirmation-effect")).to_contain_text(
        "11 kepala daerah akan menerima direktif", timeout=WAIT
    )
    assert not Directive.objects.exists()
    page.get_by_test_id("confirm").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))

    expect(page.get_by_test_id("recipient")).to_have_count(11, timeout=WAIT)
    expect(page.get_by_test_id("total")).to_have_text("11", timeout=WAIT)
    expect(page.get_by_test_id("recipients-table")).to_contain_text("Bupati Merangin", timeout=WAIT)
    directive = Directive.objects.get(created_by=officer)
    assert directive.state == "issued"
    assert directive.assignments.count() == 11
    screenshot(page, "officer-directive-to-jambi")
