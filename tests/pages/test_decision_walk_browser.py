"""The walk of issue 15 ("done when"), in the browser, on a desktop screen and on a phone:
an officer flags Tebo and requests its suspension; a director sees the case file on the
approval card and approves with the confirmation; a network operator carries the cut out
and confirms it in the access orders queue; the regent, told in his inbox that SIAK access
is cut, remediates on his regency's one page with a file; the director opens that file
from the approval card and orders the reconnection, which the operator confirms in turn.
Each step asserts what is shown."""

from base64 import b32decode

import pytest
from playwright.sync_api import expect

from compliance.models import ComplianceState, EvidenceDocument
from tests.compliance.scenario import TEBO, png_bytes
from tests.factories import official, regency
from tests.pages.conftest import screenshot, sign_in, totp_code
from workflow.default_policies import ensure_default_policies
from workflow.models import EscalationPolicy, EscalationStep

pytestmark = pytest.mark.slow
PASSWORD = "rahasia-Uji-123"  # noqa: S105 (tests.factories)
SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
DESCRIPTION = "Dinas Dukcapil Tebo masih bertipe C, tidak sesuai beban kerjanya"
STATEMENT = "Perbup SOTK diubah: Dinas Dukcapil Tebo kini bertipe A"


@pytest.fixture
def people(regions):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    return {
        "officer": official("ministry_officer", username="petugas.uji"),
        "director": official("ministry_director", username="direktur.uji"),
        "regent": official("regent", TEBO, username="bupati.tebo.uji"),
        "operator": official("network_operator", username="operator.jaringan.uji"),
    }


def open_as(browser, live_server, screen, username, refused):
    """A browser context of its own per person (each keeps his session)."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=screen)
    context.set_default_timeout(15_000)
    page = context.new_page()

    def watch(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    if username == "direktur.uji":  # his office needs a second factor: enrol it
        sign_in(page, username, PASSWORD)
        page.wait_for_url("**/masuk/kode/daftar/**")
        secret = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
        page.get_by_label("Kode", exact=True).fill(totp_code(secret))
        page.get_by_role("button", name="Konfirmasi").click()
        page.locator("#continue").click()
    else:
        sign_in(page, username, PASSWORD)
    return page


def carry_out_in_the_queue(page, kind, state):
    """The operator finds the order for Tebo in his queue, confirms it was carried out
    (now), confirms again on the page naming the effect, and the queue is empty."""
    page.goto("/akses/")
    order = page.locator(f'[data-testid="access-order"][data-regency="{TEBO}"]')
    expect(order).to_have_attribute("data-kind", kind)
    order.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("confirmation-effect")).to_contain_text("Kabupaten Tebo")
    page.get_by_test_id("confirm").click()
    page.wait_for_url("**/akses/")
    expect(page.get_by_test_id("no-access-orders")).to_be_visible()
    assert regency(TEBO).state == state


def fits(page, selector):
    """What this walk adds (the case file, the remediation form) is no wider than the
    screen, nor is anything inside it (the header and the state diagram are item 7's)."""
    widest = page.evaluate(
        """(selector) => Math.max(0, ...[...document.querySelectorAll(selector)].flatMap(
            (e) => [e, ...e.querySelectorAll("*")]).map((e) => e.getBoundingClientRect().right))""",
        selector,
    )
    assert 0 < widest <= page.viewport_size["width"], (page.url, selector, widest)


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_from_the_flag_to_reconnection_with_the_file_open(
    browser, live_server, log_flushable, people, screen
):
    refused = []
    officer = open_as(browser, live_server, screen, "petugas.uji", refused)
    director = open_as(browser, live_server, screen, "direktur.uji", refused)
    regent = open_as(browser, live_server, screen, "bupati.tebo.uji", refused)
    operator = open_as(browser, live_server, screen, "operator.jaringan.uji", refused)

    # 1. The officer flags Tebo, then requests its suspension, from the regency's page.
    officer.goto(f"/console/regencies/{TEBO}/")
    officer.get_by_test_id("open-flag").click()
    officer.locator("#id_flag-kind_1").check()  # organisational
    officer.locator("#id_flag-description").fill(DESCRIPTION)
    officer.locator("#id_flag-legal_basis").fill("PP 18/2016; Permendagri 76/2015")
    officer.get_by_test_id("submit-flag").click()
    expect(officer.locator("#regency-state")).to_have_attribute("data-state", "flagged")
    officer.get_by_test_id("open-request_suspension").click()
    officer.locator("#id_request_suspension-reason").fill("Surat teguran Dirjen diabaikan")
    officer.get_by_test_id("submit-request_suspension").click()
    expect(officer.get_by_test_id("pending-suspension-request")).to_be_visible()
    fits(officer, "#case-file")

    # 2. The director sees the violation on the card, approves, and confirms the cut.
    director.goto("/console/approvals/")
    card = director.get_by_test_id(f"suspension-request-{TEBO}")
    violation = card.get_by_test_id("case-violation")
    expect(violation).to_contain_text(DESCRIPTION)
    expect(violation).to_contain_text("petugas.uji")
    expect(card.get_by_test_id("request-decision")).to_contain_text(
        "Surat teguran Dirjen diabaikan"
    )
    fits(director, "article.request")
    card.get_by_test_id(f"approve-suspension-{TEBO}").click()
    expect(director.get_by_test_id("confirmation-effect")).to_contain_text(
        f"Akses SIAK {TEBO} Kabupaten Tebo akan diputus"
    )
    director.get_by_test_id("confirm").click()
    director.wait_for_url("**/console/approvals/")
    expect(director.get_by_test_id("no-suspension-requests")).to_be_visible()
    # The cut is ordered: Tebo stays flagged until the network operators carry it out.
    assert regency(TEBO).state == ComplianceState.FLAGGED
    director.goto(f"/console/regencies/{TEBO}/")
    expect(director.get_by_test_id("issued-access-order")).to_have_attribute("data-kind", "cut")

    # 2b. A network operator cuts the access and confirms it in his queue.
    carry_out_in_the_queue(operator, "cut", ComplianceState.SUSPENDED)

    # 3. The regent's inbox says access is cut and leads to the one page.
    regent.goto("/inbox/")
    expect(regent.get_by_test_id("siak-cut")).to_contain_text("Kabupaten Tebo")
    regent.get_by_test_id("siak-cut").get_by_test_id("remediation-page").click()
    regent.wait_for_url(f"**/inbox/regency/{TEBO}/")
    expect(regent.get_by_test_id("siak-cut")).to_contain_text("WIB")  # since when, in his zone
    expect(regent.get_by_test_id("violation")).to_contain_text(DESCRIPTION)
    answer = regent.locator("fieldset.violation-answer")
    answer.locator("textarea").fill(STATEMENT)
    answer.locator('input[type="file"]').set_input_files(
        {"name": "papan-nama-tipe-a.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    fits(regent, "#suspension, #case, #requirements, #remediation")
    regent.locator("#submit-remediation").click()
    expect(regent.locator("#compliance-state")).to_have_attribute("data-state", "remediated")
    expect(regent.get_by_test_id("review-state")).to_have_attribute("data-review", "under_review")
    screenshot(regent, f"walk-regent-remediated-{screen['width']}")

    # 4. The director opens the file from the approval card, then reconnects.
    director.goto("/console/approvals/")
    card = director.get_by_test_id(f"reconnection-{TEBO}")
    expect(card.get_by_test_id("statement")).to_contain_text(STATEMENT)
    link = card.get_by_test_id("evidence-link")
    expect(link).to_have_text("papan-nama-tipe-a.png")
    document = EvidenceDocument.objects.get(regency__code=TEBO)
    with director.context.expect_page() as opened:
        link.click()
    file_page = opened.value
    file_page.wait_for_load_state()
    assert file_page.url.endswith(f"/bukti/{document.pk}/")
    shown = file_page.evaluate(
        "() => { const i = document.querySelector('img'); return i && i.naturalWidth; }"
    )
    assert shown == 1  # the 1×1 image, shown by the browser itself
    served = director.request.get(f"/bukti/{document.pk}/")
    assert served.headers["content-type"] == "image/png"
    assert served.headers["content-disposition"].startswith("inline;")
    file_page.close()
    screenshot(director, f"walk-director-reconnection-card-{screen['width']}")
    fits(director, "article.request")
    card.get_by_test_id(f"reconnect-{TEBO}").click()
    expect(director.get_by_test_id("confirmation-effect")).to_contain_text("Kabupaten Tebo")
    director.get_by_test_id("confirm").click()
    director.wait_for_url("**/console/approvals/")
    expect(director.get_by_test_id("no-reconnections")).to_be_visible()
    # The restoration is ordered: Tebo stays remediated until the operators carry it out.
    assert regency(TEBO).state == ComplianceState.REMEDIATED
    screenshot(director, f"walk-director-reconnected-{screen['width']}")
    carry_out_in_the_queue(operator, "restore", ComplianceState.RECONNECTED)

    regent.goto(f"/inbox/regency/{TEBO}/")
    expect(regent.get_by_test_id("siak-restored")).to_be_visible()
    expect(regent.get_by_test_id("review-state")).to_have_attribute("data-review", "accepted")
    for page in (officer, director, regent, operator):
        page.context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"
