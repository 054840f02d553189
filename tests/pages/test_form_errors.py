"""Errors that are seen (issue 15, item 5): a form that comes back with errors has one
summary at its top linking every error to its field, "Galat:" / "Error:" starts the
page's title, each field's error has the id its aria-describedby names, help text is not
an error, and a missing answer is said one way on every page."""

import re

import pytest
from django.urls import reverse

from compliance.models import ComplianceState
from tests.compliance.scenario import Cast, flag, request_suspension
from tests.factories import official, regency
from tests.pages.directives_fixtures import DUE, client_for
from tests.pages.inbox_fixtures import MERANGIN, assignment_url, issue, later

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("login")
COMPOSE = reverse("directives:compose")
REQUIRED = {"en": "This field is required.", "id": "Isian ini wajib diisi."}


def page_of(response):
    return response.content.decode()


def title(page):
    return re.search(r"<title>\s*(.*?)\s*</title>", page, re.S).group(1)


def summary(page):
    """(its text, [(link target, link text)]) of the page's error summary."""
    match = re.search(
        r'<div class="error-summary"[^>]*data-testid="error-summary".*?</div>', page, re.S
    )
    assert match, "no error summary"
    block = match.group(0)
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', block)
    return re.sub(r"<[^>]+>", " ", block), links


def ids(page):
    return re.findall(r'\sid="([^"]+)"', page)


def assert_described_by_existing_elements(page):
    """Every id an aria-describedby names is on the page, once."""
    present = ids(page)
    named = [i for value in re.findall(r'aria-describedby="([^"]+)"', page) for i in value.split()]
    assert named, "no aria-describedby on the page"
    missing = [i for i in named if present.count(i) != 1]
    assert not missing, f"aria-describedby names ids not on the page once: {missing}"


# --- sign-in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "prefix", "page_title"), [("id", "Galat:", "Masuk"), ("en", "Error:", "Sign in")]
)
def test_a_sign_in_without_its_fields_says_so_in_title_summary_and_fields(
    client, language, prefix, page_title
):
    client.cookies["django_language"] = language
    page = page_of(client.post(SIGN_IN, {"username": "", "password": ""}))

    assert title(page).startswith(f"{prefix} {page_title} ·")
    text, links = summary(page)
    assert [target for target, _ in links] == ["id_username", "id_password"]
    assert all(f'id="{target}"' in page for target, _ in links)  # each link reaches its field
    assert all(label.endswith(REQUIRED[language]) for _, label in links)
    assert f'<p class="field-error" id="id_username_error">{REQUIRED[language]}</p>' in page
    assert_described_by_existing_elements(page)


def test_a_wrong_password_is_in_the_summary_without_a_field(client, regions):
    official("ministry_officer", username="petugas.galat")
    client.cookies["django_language"] = "en"
    page = page_of(client.post(SIGN_IN, {"username": "petugas.galat", "password": "salah"}))
    text, links = summary(page)
    assert "Wrong username or password" in text
    assert links == []
    assert title(page).startswith("Error: ")


def test_a_page_without_errors_has_no_prefix_and_no_summary(client):
    page = page_of(client.get(SIGN_IN))
    assert title(page).startswith("Masuk ·")
    assert 'data-testid="error-summary"' not in page
    assert "aria-invalid" not in page


# --- the composer: help text stays help text -----------------------------------------------


def test_the_composer_keeps_its_help_text_apart_from_the_error(officer):
    client = client_for(officer)
    data = {
        "title": "Uji",
        "body": "Isi",
        "legal_basis": "",
        "due_date": DUE.isoformat(),
        "priority": "normal",
        "policy": "hak-akses-siak",
        "scope_kind": "province",
        "province": "15",
        "action": "draft",
    }
    page = page_of(client.post(COMPOSE, data))

    assert title(page).startswith("Error: New directive")
    _, links = summary(page)
    assert links == [("id_legal_basis", "Legal basis: This field is required.")]
    error = re.search(r'<p class="field-error" id="id_legal_basis_error">(.*?)</p>', page).group(1)
    assert error == "This field is required."
    help_text = re.search(r'<small class="help" id="id_legal_basis_helptext">(.*?)</small>', page)
    assert help_text and "Law 24/2013" in help_text.group(1)
    assert "error" not in re.search(r'<small[^>]*id="id_legal_basis_helptext"', page).group(0)
    assert_described_by_existing_elements(page)


# --- the console: its action forms ------------------------------------------------------


def test_a_flag_without_its_fields_keeps_its_form_open_with_the_summary_in_it(regions):
    client = client_for(official("ministry_officer"))
    response = client.post(
        reverse("console:act", args=["15.01", "flag"]), {"flag-legal_basis": "UU 24/2013"}
    )

    assert response.status_code == 400
    page = page_of(response)
    assert title(page).startswith("Error: ")
    form = re.search(r'<details class="action" id="action-flag" open>.*?</details>', page, re.S)
    assert form, "the flag form is not kept open"
    _, links = summary(form.group(0))
    assert links == [
        ("id_flag-kind", "Kind of violation: This field is required."),
        ("id_flag-description", "Description: This field is required."),
    ]
    # A group of choices: its fieldset is described by its error.
    assert re.search(
        r'<fieldset id="id_flag-kind-group" aria-describedby="id_flag-kind_error"', page
    )
    assert_described_by_existing_elements(page)
    assert regency("15.01").state == ComplianceState.COMPLIANT


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_missing_answer_is_said_one_way_on_every_page(regions, officer, language):
    """The console's own forms, the composer and the sign-in say it alike."""
    console = client_for(officer, language=language)
    flagged = page_of(console.post(reverse("console:act", args=["15.01", "flag"]), {}))
    composed = page_of(console.post(COMPOSE, {"action": "draft"}))
    anonymous = client_for(officer, language=language)
    anonymous.logout()  # a fresh cookie jar: the language again
    anonymous.cookies["django_language"] = language
    signed = page_of(anonymous.post(SIGN_IN, {}))
    for page in (flagged, composed, signed):
        errors = set(re.findall(r'<p class="field-error" id="[^"]+">(.*?)</p>', page))
        assert REQUIRED[language] in errors
    wordings = {
        e
        for page in (flagged, composed, signed)
        for e in re.findall(r'<p class="field-error" id="[^"]+">(.*?)</p>', page)
        if "required" in e.lower() or "wajib" in e.lower() or "fill in" in e.lower()
    }
    assert wordings == {REQUIRED[language]}


def test_a_rejection_without_a_reason_comes_back_on_its_card_in_the_queue(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(cast.director)
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "reject"]),
        {"reject_suspension-reason": ""},
    )
    page = page_of(response)
    assert response.status_code == 400
    assert title(page).startswith("Error: Approvals")
    card = re.search(r'data-testid="suspension-request-15.02".*?</article>', page, re.S).group(0)
    _, links = summary(card)
    field = f"id_s{pending.pk}_reject_reject_suspension-reason"
    assert links == [(field, "Reason: This field is required.")]
    assert_described_by_existing_elements(page)


def test_a_rejection_without_a_reason_from_the_regency_page_comes_back_there(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast)
    client = client_for(cast.director)
    regency_page = reverse("console:regency", args=[MERANGIN])
    response = client.post(
        reverse("console:decide_suspension", args=[pending.pk, "reject"]),
        {"reject_suspension-reason": "", "next": regency_page},
    )
    page = page_of(response)
    assert response.status_code == 400
    form = re.search(
        r'<details class="action" id="action-reject_suspension" open>.*?</details>', page, re.S
    )
    assert form, "the rejection form is not kept open on the regency's page"
    _, links = summary(form.group(0))
    assert links == [("id_reject_suspension-reason", "Reason: This field is required.")]
    assert title(page).startswith("Error: ")


# --- the inbox ---------------------------------------------------------------------------


def test_a_report_without_its_note_has_the_summary_and_the_described_field(officer):
    regent = official("regent", MERANGIN)
    assignment = issue(officer, due=later(10))[MERANGIN]
    client = client_for(regent)
    client.post(assignment_url(assignment, "acknowledge"))
    response = client.post(assignment_url(assignment, "submit"), {"note": ""})

    page = page_of(response)
    assert response.status_code == 400
    assert title(page).startswith("Error: ")
    section = re.search(r'<details id="submit-section" open>.*?</details>', page, re.S).group(0)
    _, links = summary(section)
    assert ("id_note", f"{_label(section, 'id_note')}: This field is required.") in links
    assert_described_by_existing_elements(page)


def _label(page, field_id):
    return re.search(rf'<label for="{field_id}">(.*?)</label>', page).group(1)
