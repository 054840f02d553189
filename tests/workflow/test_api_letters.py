"""Written warnings through the API, for systems such as a governor's e-filing: the
letters within the caller's jurisdiction, those he received and those issued in his
office's name, each letter's PDF, and a list that costs the same whatever its size."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import PSN, official
from tests.pages.inbox_fixtures import MERANGIN, TEBO, issue
from tests.workflow import api_helpers as h
from tests.workflow.proposal_helpers import sign_each_when_due
from workflow import letters, services
from workflow.escalation import sweep
from workflow.models import Letter

# Shared fixtures (pytest finds fixtures among a module's names).

pytestmark = pytest.mark.django_db
JAMBI, RIAU = "15", "14"
ISSUED = h.wib(2026, 11, 2, 10, 0)  # a Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = h.wib(2026, 11, 30, 8, 0)  # warning I (Sat.) waits for Monday 08:00
LIST = "/api/v1/letters/"


@pytest.fixture
def governor():
    return official("governor", JAMBI)


def to_governors(officer, *, provinces=(JAMBI,)):
    """A directive to the governors of `provinces`; its assignments by province code."""
    directive = services.create_directive(
        actor=officer,
        title="Laporan capaian perekaman KTP-el provinsi",
        body="Sampaikan laporan capaian perekaman seluruh kabupaten/kota.",
        legal_basis="UU 24/2013 Pasal 63",
        due_date=DUE,
        scope={"regions": list(provinces)},
        **PSN,
    )
    _, assignments = services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    return {a.office.province.code: a for a in assignments}


@pytest.fixture
def warned(officer):
    """Written warning I to the regents of Merangin and Tebo (signed by the governor of
    Jambi) and to the governors of Jambi and Riau (signed by the Minister)."""
    regents = issue(officer, due=DUE, at=ISSUED, regions=[MERANGIN, TEBO])
    governors = to_governors(officer, provinces=[JAMBI, RIAU])
    sweep(now=WARNING_1)
    sign_each_when_due()
    return {**regents, **governors}


def letter_of(assignment):
    return Letter.objects.get(step_event__assignment=assignment)


def ids(user, query=""):
    return {item["id"] for item in h.get(user, f"{LIST}?{query}")["results"]}


# --- the list and its filters ------------------------------------------------------------


def test_a_governor_lists_the_letters_signed_in_his_name_and_those_he_received(governor, warned):
    signed = {letter_of(warned[MERANGIN]).pk, letter_of(warned[TEBO]).pk}
    from_minister = letter_of(warned[JAMBI]).pk

    assert ids(governor, "signed=true") == signed
    assert ids(governor, "received=true") == {from_minister}
    assert ids(governor) == signed | {from_minister}  # not Riau's: another province
    assert ids(governor, "year=2026") == signed | {from_minister}
    assert ids(governor, "year=2025") == set()


def test_a_listed_letter_carries_its_number_offices_directive_and_pdf(governor, warned):
    letter = letter_of(warned[MERANGIN])

    [item] = [i for i in h.get(governor, f"{LIST}?signed=true")["results"] if i["id"] == letter.pk]

    assert item["number"] == letter.number
    assert item["date"] == "2026-11-30"
    assert (item["year"], item["sequence"]) == (2026, letter.sequence)
    assert item["kind"] == "written_warning_1"
    assert item["kind_label"] == "Teguran tertulis I / Written warning I"
    assert item["signatory_office"]["kind"] == "governor"
    assert item["signatory_office"]["id"] == letter.signatory_office_id
    assert item["addressee_office"] == {
        "id": warned[MERANGIN].office_id,
        "kind": "regent",
        "title": warned[MERANGIN].office.title,
    }
    assert item["assignment"] == warned[MERANGIN].pk
    assert item["directive"] == {
        "id": warned[MERANGIN].directive_id,
        "title": warned[MERANGIN].directive.title,
    }
    assert item["pdf_url"].endswith(f"/api/v1/letters/{letter.pk}/pdf/")
    assert h.get(governor, f"{LIST}{letter.pk}/") == item


def test_a_regent_sees_only_his_own_letter(warned):
    regent = official("regent", MERANGIN)
    own = {letter_of(warned[MERANGIN]).pk}

    assert ids(regent) == own
    assert ids(regent, "received=true") == own
    assert ids(regent, "signed=true") == set()


def test_the_ministry_sees_every_letter(officer, warned):
    assert ids(officer) == {letter_of(a).pk for a in warned.values()}


# --- one letter and its PDF ----------------------------------------------------------------


def test_another_provinces_letter_is_not_found(governor, warned):
    theirs = letter_of(warned[RIAU]).pk
    for path in (f"{LIST}{theirs}/", f"{LIST}{theirs}/pdf/"):
        body = h.get(governor, path, expect=404)
        assert body["status"] == 404
        assert body["type"] == "urn:ektp-compliance:problem:not-found"
        assert "tidak ditemukan" in body["detail"]


def test_a_letter_downloads_as_a_pdf_attachment(governor, warned):
    letter = letter_of(warned[MERANGIN])

    response = h.client_for(governor).get(f"{LIST}{letter.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = f'attachment; filename="{letters.filename(letter)}"'
    assert response["Content-Disposition"] == disposition
    assert response.content.startswith(b"%PDF")


# --- refusals --------------------------------------------------------------------------------


def test_a_bad_filter_value_is_a_problem(governor):
    response = h.client_for(governor).get(f"{LIST}?year=abc")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "year" in response.json()["errors"]


def test_without_credentials_nothing_is_shown(warned):
    pk = letter_of(warned[MERANGIN]).pk
    anonymous = APIClient()
    for path in (LIST, f"{LIST}{pk}/", f"{LIST}{pk}/pdf/"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"].startswith("application/problem+json")


# --- cost ------------------------------------------------------------------------------------


def queries(user, query=""):
    client = h.client_for(user)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(f"{LIST}?{query}").json()
    return len(captured), body


def test_the_list_costs_the_same_queries_whatever_its_length(officer, governor):
    issue(officer, due=DUE, at=ISSUED, regions=["15.01"])
    sweep(now=WARNING_1)
    sign_each_when_due()
    one, body = queries(governor)
    assert body["count"] == 1
    issue(officer, due=DUE, at=ISSUED, regions=["15.03", "15.04", "15.05", "15.06"])
    sweep(now=WARNING_1)
    sign_each_when_due()

    many, body = queries(governor)

    assert body["count"] == 5
    assert many == one


def test_a_client_asking_for_a_pdf_gets_it_and_a_missing_one_a_problem(governor, warned):
    letter = letter_of(warned[MERANGIN])
    client = h.client_for(governor)

    response = client.get(f"{LIST}{letter.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")

    theirs = letter_of(warned[RIAU])
    refused = client.get(f"{LIST}{theirs.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 404
    assert refused["Content-Type"] == "application/problem+json"
    assert json.loads(refused.content)["status"] == 404
