"""My regency: its compliance state, what is open, what must be provided to be reconnected,
the evidence upload and the remediation form calling compliance's services; and the letters
received, with their PDF."""

import datetime as dt
import html
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.models import ComplianceState, EvidenceDocument, Remediation, ViolationKind
from tests.compliance.scenario import (
    MERANGIN,
    TEBO,
    Cast,
    flag,
    pdf_bytes,
    statements_for,
    suspend,
    upload,
)
from tests.factories import official
from tests.pages.inbox_fixtures import english, issue
from tests.workflow.proposal_helpers import sign_each_when_due
from workflow.escalation import sweep

pytestmark = pytest.mark.django_db
S = ComplianceState
PAGE = reverse("inbox:regency", args=[MERANGIN])


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def regent_client(client, cast):
    client.force_login(cast.regent)
    return english(client)


def text(response):
    return html.unescape(response.content.decode())


def state_of(cast):
    cast.regency.refresh_from_db()
    return cast.regency.state


def remediation_form(violations, **answers):
    """The form's fields for each violation: its statement and its evidence document ids."""
    data = {}
    for v in violations:
        statement, documents = answers.get(str(v.pk), ("", []))
        data[f"statement_{v.pk}"] = statement
        data[f"evidence_{v.pk}"] = [d.pk for d in documents]
    return data


def remediate_with(cast, documents):
    services.submit_remediation(
        regency=cast.regency, actor=cast.regent, statements=statements_for(cast, documents)
    )


def test_my_regency_leads_to_the_regency_of_my_office(regent_client):
    response = regent_client.get(reverse("inbox:my_regency"))
    assert response.status_code == 302
    assert response.url == PAGE


def test_a_compliant_regency_has_nothing_to_provide(regent_client):
    page = regent_client.get(PAGE).content.decode()

    assert 'class="state state-compliant"' in page
    assert 'id="nothing-open"' in page
    assert 'id="remediation-form"' not in page


def test_a_flagged_regency_shows_its_violations_and_that_evidence_is_missing(regent_client, cast):
    violation = flag(cast)

    page = regent_client.get(PAGE).content.decode()

    assert 'class="state state-flagged"' in page
    assert f'data-violation="{violation.pk}"' in page
    assert violation.description in page
    assert 'class="missing" id="evidence-requirement"' in page
    assert 'id="remediation-form"' in page


def test_a_suspended_regency_is_told_what_it_must_provide_to_be_reconnected(regent_client, cast):
    flag(cast)
    suspend(cast)

    page = regent_client.get(PAGE).content.decode()

    assert 'class="state state-suspended"' in page
    assert 'id="suspension"' in page
    assert "What you must provide to be reconnected" in page


def test_evidence_uploaded_on_the_page_meets_the_requirement(regent_client, cast):
    flag(cast)
    upload_ = SimpleUploadedFile("sk-bupati.pdf", pdf_bytes())

    response = regent_client.post(
        reverse("inbox:upload_evidence", args=[MERANGIN]),
        {"file": upload_, "description": "SK pengembalian pejabat"},
        follow=True,
    )

    document = EvidenceDocument.objects.get(regency=cast.regency)
    assert document.original_name == "sk-bupati.pdf"
    page = response.content.decode()
    assert 'class="met" id="evidence-requirement"' in page
    assert reverse("evidence", args=[document.pk]) in page


def test_an_unacceptable_file_is_refused_with_the_reason(regent_client, cast):
    flag(cast)
    script = SimpleUploadedFile("sk-bupati.pdf", b"#!/bin/sh\nrm -rf /\n")

    response = regent_client.post(
        reverse("inbox:upload_evidence", args=[MERANGIN]), {"file": script}
    )

    assert response.status_code == 400
    assert "File type not accepted" in text(response)
    assert not EvidenceDocument.objects.exists()


def test_remediation_without_evidence_is_refused_and_says_which_is_missing(regent_client, cast):
    hr = flag(cast)
    org = flag(cast, kind=ViolationKind.ORGANISATIONAL)
    document = upload(cast)

    response = regent_client.post(
        reverse("inbox:remediation", args=[MERANGIN]),
        remediation_form(
            [hr, org],
            **{str(hr.pk): ("SK dicabut", [document]), str(org.pk): ("Perda diubah", [])},
        ),
    )

    assert response.status_code == 400
    page = text(response)
    assert "Every open violation needs a statement and at least one evidence document" in page
    assert f'id="id_evidence_{org.pk}_error"' in page
    assert f'id="id_evidence_{hr.pk}_error"' not in page
    assert state_of(cast) == S.FLAGGED
    assert not Remediation.objects.exists()


def test_remediation_without_a_statement_is_refused_on_that_violation(regent_client, cast):
    violation = flag(cast)
    document = upload(cast)

    response = regent_client.post(
        reverse("inbox:remediation", args=[MERANGIN]),
        remediation_form([violation], **{str(violation.pk): ("", [document])}),
    )

    assert response.status_code == 400
    assert f'id="id_statement_{violation.pk}_error"' in response.content.decode()
    assert state_of(cast) == S.FLAGGED


def test_a_complete_remediation_is_submitted(regent_client, cast):
    violation = flag(cast)
    document = upload(cast)

    response = regent_client.post(
        reverse("inbox:remediation", args=[MERANGIN]),
        remediation_form([violation], **{str(violation.pk): ("SK dicabut", [document])}),
        follow=True,
    )

    assert state_of(cast) == S.REMEDIATED
    statement = Remediation.objects.get().statements.get()
    assert (statement.violation, statement.statement) == (violation, "SK dicabut")
    assert list(statement.evidence.all()) == [document]
    page = response.content.decode()
    assert 'class="state state-remediated"' in page
    assert 'data-status="submitted"' in page


def test_remediating_twice_is_refused_with_the_reason(regent_client, cast):
    violation = flag(cast)
    answers = remediation_form([violation], **{str(violation.pk): ("SK", [upload(cast)])})
    url = reverse("inbox:remediation", args=[MERANGIN])
    regent_client.post(url, answers)

    response = regent_client.post(url, answers, follow=True)

    assert "Remediation can be submitted only when flagged or suspended" in text(response)
    assert Remediation.objects.count() == 1


def test_another_regency_is_not_found(regent_client, cast):
    tebo = Cast.of(TEBO)
    flag(tebo)
    theirs = upload(tebo)

    assert regent_client.get(reverse("inbox:regency", args=[TEBO])).status_code == 404
    url = reverse("inbox:upload_evidence", args=[TEBO])
    assert (
        regent_client.post(url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}).status_code
        == 404
    )
    assert regent_client.get(reverse("inbox:evidence", args=[theirs.pk])).status_code == 404
    assert EvidenceDocument.objects.filter(regency=tebo.regency).count() == 1


def test_my_own_evidence_downloads(regent_client, cast):
    flag(cast)
    document = upload(cast)

    response = regent_client.get(reverse("inbox:evidence", args=[document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.parametrize("violations", [1, 6])
def test_the_page_costs_the_same_queries_whatever_the_case_holds(
    regent_client, cast, violations, django_assert_max_num_queries
):
    for _ in range(violations):
        flag(cast)
        upload(cast)
    with django_assert_max_num_queries(17):  # the access order waiting, if any: one query
        response = regent_client.get(PAGE)
    assert response.content.decode().count('data-testid="violation"') == violations


@pytest.mark.parametrize("rounds", [1, 4])
def test_the_review_costs_the_same_queries_whatever_was_submitted_before(
    regent_client, cast, rounds, django_assert_max_num_queries
):
    """Rejected remediations, each with its statements and documents, then one under
    review: the case file is read in the same number of queries."""
    flag(cast)
    flag(cast, kind=ViolationKind.ORGANISATIONAL)
    for n in range(rounds):
        documents = [upload(cast) for _ in range(rounds)]
        remediate_with(cast, documents)
        if n < rounds - 1:
            services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Kurang")
    with django_assert_max_num_queries(19):
        response = regent_client.get(PAGE)
    page = response.content.decode()
    assert page.count('data-testid="remediation-file"') == rounds
    assert page.count('data-testid="evidence-link"') == 2 * rounds * rounds


# --- letters ------------------------------------------------------------------------

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # a Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # warning I (Sat.) waits for Monday 08:00


@pytest.fixture
def warned(cast):
    """Written warning I to Merangin's and Tebo's regents, signed by the governor."""
    assignments = issue(cast.officer, due=DUE, at=ISSUED, regions=[MERANGIN, TEBO])
    sweep(now=WARNING_1)
    sign_each_when_due()
    return assignments


def test_the_letters_received_are_listed_with_their_pdf(regent_client, warned):
    letter = warned[MERANGIN].step_events.get(letter__isnull=False).letter

    page = regent_client.get(reverse("inbox:letters")).content.decode()

    assert page.count('data-testid="letter"') == 1
    assert letter.number in page
    assert reverse("inbox:letter_pdf", args=[letter.pk]) in page


def test_a_letter_downloads_as_a_pdf(regent_client, warned):
    letter = warned[MERANGIN].step_events.get(letter__isnull=False).letter

    response = regent_client.get(reverse("inbox:letter_pdf", args=[letter.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Teguran-Tertulis-I-" in response["Content-Disposition"]


def test_another_regencys_letter_is_not_found(regent_client, warned):
    theirs = warned[TEBO].step_events.get(letter__isnull=False).letter
    assert regent_client.get(reverse("inbox:letter_pdf", args=[theirs.pk])).status_code == 404


def test_the_letter_is_in_the_assignments_timeline(regent_client, warned):
    assignment = warned[MERANGIN]
    letter = assignment.step_events.get(letter__isnull=False).letter

    page = regent_client.get(reverse("inbox:assignment", args=[assignment.pk])).content.decode()

    assert f'<span data-testid="letter-number">{letter.number}</span>' in page
    assert 'id="overdue"' in page


@pytest.mark.parametrize("regencies", [[MERANGIN], [MERANGIN, TEBO, "15.01"]])
def test_the_letters_page_costs_the_same_queries_whatever_its_length(
    client, cast, regencies, django_assert_max_num_queries
):
    for _ in range(len(regencies)):
        issue(cast.officer, due=DUE, at=ISSUED, regions=regencies)
    sweep(now=WARNING_1)
    sign_each_when_due()
    client.force_login(official("regency_dukcapil_head", MERANGIN))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inbox:letters"))
    assert response.content.decode().count('data-testid="letter"') == len(regencies)
