"""The assignment page: the directive, its timeline, and the actions allowed now, each a
POST calling one workflow service; a refused action says why."""

import datetime as dt
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import EvidenceDocument
from tests.compliance.scenario import pdf_bytes
from tests.factories import official
from tests.pages.inbox_fixtures import MERANGIN, assignment_url, english, issue, later
from workflow import services
from workflow.models import ExtensionRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def regent():
    return official("regent", MERANGIN)


@pytest.fixture
def regent_client(client, regent):
    client.force_login(regent)
    return english(client)


@pytest.fixture
def assignment(officer):
    return issue(officer, due=later(14))[MERANGIN]


def state_of(assignment):
    assignment.refresh_from_db()
    return assignment.state


def text(response):
    return html.unescape(response.content.decode())


def shown(response, element_id):
    """The text of the element with this id (a paragraph or span), whitespace folded."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', response.content.decode(), re.S)
    return " ".join(match[1].split()) if match else None


def test_the_page_shows_the_directive_and_its_issuer(regent_client, assignment):
    response = regent_client.get(assignment_url(assignment))

    assert response.status_code == 200
    page = response.content.decode()
    assert assignment.directive.title in page
    assert "UU 24/2013 Pasal 63; Permendagri 76/2015" in page
    assert shown(response, "issuer") == assignment.directive.issuing_office.title
    assert 'data-testid="timeline-notification"' in page  # the issue notice


def test_a_new_assignment_offers_acknowledgement_only(regent_client, assignment):
    page = regent_client.get(assignment_url(assignment)).content.decode()

    assert 'id="acknowledge"' in page
    assert 'id="start"' not in page
    assert 'id="submit-form"' not in page
    assert 'id="extension-form"' in page


def test_acknowledging_records_who_did_it_in_the_timeline(regent_client, regent, assignment):
    response = regent_client.post(assignment_url(assignment, "acknowledge"), follow=True)

    assert state_of(assignment) == "acknowledged"
    assert response.redirect_chain[-1][0] == assignment_url(assignment)
    assert 'data-testid="timeline-state_change"' in response.content.decode()
    assert 'id="start"' in response.content.decode()
    assert assignment.events.get().actor == regent


def test_acknowledging_twice_is_refused_with_the_reason(regent_client, assignment):
    regent_client.post(assignment_url(assignment, "acknowledge"))
    response = regent_client.post(assignment_url(assignment, "acknowledge"), follow=True)

    assert "'acknowledge' is not allowed from state 'acknowledged'" in text(response)
    assert assignment.events.count() == 1


def test_the_reason_is_shown_in_the_readers_language(client, regent, assignment):
    client.force_login(regent)  # Bahasa Indonesia, the default
    client.post(assignment_url(assignment, "acknowledge"))
    page = text(client.post(assignment_url(assignment, "acknowledge"), follow=True))

    assert "'acknowledge' tidak dapat dilakukan dari status 'acknowledged'" in page
    assert "is not allowed from state" not in page


def test_reporting_progress_then_submitting_with_an_evidence_file(regent_client, assignment):
    regent_client.post(assignment_url(assignment, "acknowledge"))
    regent_client.post(assignment_url(assignment, "start"))
    assert state_of(assignment) == "in_progress"

    upload = SimpleUploadedFile("laporan.pdf", pdf_bytes(), content_type="application/pdf")
    response = regent_client.post(
        assignment_url(assignment, "submit"),
        {"note": "Perekaman selesai di 24 kecamatan", "evidence": upload},
        follow=True,
    )

    assert state_of(assignment) == "submitted"
    document = EvidenceDocument.objects.get(regency__code=MERANGIN)
    assert document.original_name == "laporan.pdf"
    assert assignment.note.startswith("Perekaman selesai di 24 kecamatan")
    assert f"laporan.pdf (#{document.pk})" in assignment.note
    assert 'data-state="submitted"' in response.content.decode()


def test_a_submission_without_a_note_is_refused_and_nothing_changes(regent_client, assignment):
    regent_client.post(assignment_url(assignment, "acknowledge"))

    response = regent_client.post(assignment_url(assignment, "submit"), {"note": ""})

    assert response.status_code == 400
    assert 'id="id_note_error"' in response.content.decode()
    assert state_of(assignment) == "acknowledged"


def test_an_unacceptable_evidence_file_refuses_the_whole_submission(regent_client, assignment):
    regent_client.post(assignment_url(assignment, "acknowledge"))
    script = SimpleUploadedFile("laporan.pdf", b"#!/bin/sh\necho not a pdf\n")

    response = regent_client.post(
        assignment_url(assignment, "submit"), {"note": "Selesai", "evidence": script}
    )

    assert response.status_code == 400
    assert "File type not accepted" in response.content.decode()
    assert state_of(assignment) == "acknowledged"
    assert not EvidenceDocument.objects.exists()


def test_submitting_before_acknowledging_is_refused_with_the_reason(regent_client, assignment):
    response = regent_client.post(
        assignment_url(assignment, "submit"), {"note": "Selesai"}, follow=True
    )

    assert "'submit' is not allowed from state 'issued'" in text(response)
    assert state_of(assignment) == "issued"


def test_an_extension_is_requested_with_a_later_date_and_a_reason(regent_client, assignment):
    response = regent_client.post(
        assignment_url(assignment, "extension"),
        {"new_due_date": later(30).isoformat(), "reason": "Alat perekaman rusak"},
        follow=True,
    )

    request = ExtensionRequest.objects.get(assignment=assignment)
    assert (request.new_due_date, request.status) == (later(30), "pending")
    page = response.content.decode()
    assert 'id="extension-pending"' in page
    assert 'data-testid="extension-request"' in page
    assert 'id="extension-form"' not in page


def test_an_extension_to_an_earlier_date_is_refused_with_the_reason(regent_client, assignment):
    response = regent_client.post(
        assignment_url(assignment, "extension"),
        {"new_due_date": later(3).isoformat(), "reason": "Alat perekaman rusak"},
    )

    assert response.status_code == 400
    assert "new_due must be later than the current due date" in response.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_another_regencys_assignment_cannot_be_touched(client, assignment):
    client.force_login(official("regent", "15.09"))

    for action in ("acknowledge", "start"):
        assert client.post(assignment_url(assignment, action)).status_code == 404
    response = client.post(assignment_url(assignment, "submit"), {"note": "x"})
    assert response.status_code == 404
    assert state_of(assignment) == "issued"


def test_the_page_costs_the_same_queries_however_long_its_timeline(
    regent_client, regent, officer, django_assert_max_num_queries
):
    short = issue(officer, due=later(14))[MERANGIN]
    long = issue(officer, due=later(14))[MERANGIN]
    services.acknowledge_assignment(assignment=long, actor=regent)
    services.start_assignment(assignment=long, actor=regent)
    services.submit_assignment(assignment=long, actor=regent, note="Selesai")
    for a in (short, long):
        with django_assert_max_num_queries(11):
            assert regent_client.get(assignment_url(a)).status_code == 200


def test_the_timeline_names_who_returned_the_report_once(
    regent_client, regent, officer, assignment
):
    services.acknowledge_assignment(assignment=assignment, actor=regent)
    services.submit_assignment(assignment=assignment, actor=regent, note="Selesai")
    services.return_assignment(assignment=assignment, actor=officer, reason="Lampiran kurang")
    page = text(regent_client.get(assignment_url(assignment)))
    returned = re.findall(r'data-testid="timeline-state_change">(.*?)</li>', page, re.S)[-1]
    assert (
        f"· {officer.username} · Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil"
        in " ".join(returned.split())
    )
    assert returned.count(officer.username) == 1
    assert "Lampiran kurang" in returned


def test_an_approved_extension_shows_in_the_timeline_in_the_readers_language(
    client, regent, officer, assignment
):
    new_due = assignment.due_date + dt.timedelta(days=10)
    request = services.request_extension(
        assignment=assignment, actor=regent, new_due_date=new_due, reason="Alat rusak"
    )
    services.approve_extension(request=request, actor=officer)
    client.force_login(regent)

    page = text(client.get(assignment_url(assignment)))  # Bahasa Indonesia, the default
    assert f"Batas waktu diperpanjang hingga {new_due.day} " in page
    english(client)
    page = text(client.get(assignment_url(assignment)))
    assert f"Deadline extended to {new_due.day} {new_due:%B} {new_due.year}" in page
