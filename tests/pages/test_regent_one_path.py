"""The regent's one path (issue 15, item 3): from the suspension notice to reconnection on
one page: what was found, what is cut and since when, what must be submitted, the
statement and its evidence file in one form, then where the review stands. The inbox says
plainly that SIAK access is cut, and a remediation directive leads to that page instead of
offering a report."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from compliance.models import ComplianceState, EvidenceDocument, Remediation, ViolationKind
from tests.compliance.scenario import MERANGIN, Cast, flag, pdf_bytes, png_bytes, suspend
from tests.factories import carry_out
from tests.pages.inbox_fixtures import english, issue, later
from workflow.models import Assignment

pytestmark = pytest.mark.django_db
S = ComplianceState
PAGE = reverse("inbox:regency", args=[MERANGIN])
REMEDIATE = reverse("inbox:remediation", args=[MERANGIN])


@pytest.fixture
def cast():
    return Cast.of(MERANGIN)


@pytest.fixture
def regent_client(client, cast):
    client.force_login(cast.regent)
    return english(client)


@pytest.fixture
def suspended(cast, django_capture_on_commit_callbacks):
    """Merangin flagged and cut, with the remediation directives that follow."""
    with django_capture_on_commit_callbacks(execute=True):
        violation = flag(cast, description="Kepala Dinas dimutasi tanpa persetujuan Menteri")
        period = suspend(cast)
    cast.violation, cast.period = violation, period
    return cast


def text(response):
    return html.unescape(response.content.decode())


def answer(violation, statement, file=None):
    data = {f"statement_{violation.pk}": statement}
    if file is not None:
        data[f"file_{violation.pk}"] = file
    return data


def test_the_page_says_what_is_cut_since_when_and_what_was_found(regent_client, suspended):
    page = text(regent_client.get(PAGE))

    # Cut at the clock of the page tests: 7 December 2026, 09:00 WIB.
    assert "SIAK access suspended since 7 December 2026, 09:0" in page
    assert 'data-testid="siak-cut"' in page
    assert "Kepala Dinas dimutasi tanpa persetujuan Menteri" in page
    assert "What you must provide to be reconnected" in page
    assert f'name="file_{suspended.violation.pk}"' in page  # the file beside the statement
    assert 'enctype="multipart/form-data" id="remediation-form"' in page
    assert 'data-review="nothing_submitted"' in page


def test_the_statement_and_its_file_go_in_together(regent_client, suspended):
    violation = suspended.violation
    response = regent_client.post(
        REMEDIATE,
        answer(
            violation,
            "Pejabat dikembalikan sesuai usulan",
            SimpleUploadedFile("sk-bupati.pdf", pdf_bytes()),
        ),
        follow=True,
    )

    assert suspended.regency.__class__.objects.get(pk=suspended.regency.pk).state == S.REMEDIATED
    statement = Remediation.objects.get().statements.get()
    assert statement.statement == "Pejabat dikembalikan sesuai usulan"
    [document] = statement.evidence.all()
    assert (document.original_name, document.uploaded_by) == ("sk-bupati.pdf", suspended.regent)
    page = text(response)
    assert 'data-review="under_review"' in page
    assert "When it is accepted, a ministry director restores SIAK access." in page
    assert reverse("evidence", args=[document.pk]) in page  # in the case file


def test_a_file_that_is_no_document_is_refused_on_its_field_and_nothing_is_kept(
    regent_client, suspended
):
    violation = suspended.violation
    response = regent_client.post(
        REMEDIATE,
        answer(
            violation, "Pejabat dikembalikan", SimpleUploadedFile("sk.pdf", b"#!/bin/sh\nrm -rf /")
        ),
    )

    assert response.status_code == 400
    page = text(response)
    assert f'id="id_file_{violation.pk}_error"' in page
    assert "File type not accepted" in page
    assert not Remediation.objects.exists()
    assert not EvidenceDocument.objects.exists()


def test_without_a_file_or_a_document_the_violation_says_what_is_missing(regent_client, suspended):
    violation = suspended.violation
    response = regent_client.post(REMEDIATE, answer(violation, "Pejabat dikembalikan"))

    assert response.status_code == 400
    assert f'id="id_evidence_{violation.pk}_error"' in text(response)
    assert not Remediation.objects.exists()


def test_each_violation_takes_its_own_file(regent_client, cast):
    hr = flag(cast)
    org = flag(cast, kind=ViolationKind.ORGANISATIONAL)
    data = {
        **answer(hr, "SK dicabut", SimpleUploadedFile("sk.pdf", pdf_bytes())),
        **answer(org, "Perda diubah", SimpleUploadedFile("papan-nama.png", png_bytes())),
    }

    regent_client.post(REMEDIATE, data)

    statements = {s.violation_id: s for s in Remediation.objects.get().statements.all()}
    assert [d.original_name for d in statements[hr.pk].evidence.all()] == ["sk.pdf"]
    assert [d.original_name for d in statements[org.pk].evidence.all()] == ["papan-nama.png"]


def test_a_rejected_remediation_comes_back_with_its_reason(regent_client, suspended):
    regent_client.post(
        REMEDIATE,
        answer(suspended.violation, "SK", SimpleUploadedFile("sk.pdf", pdf_bytes())),
    )
    services.reject_remediation(
        regency=suspended.regency, actor=suspended.officer, reason="SK belum ditandatangani"
    )

    page = text(regent_client.get(PAGE))

    assert 'data-review="returned"' in page
    assert "The ministry rejected your remediation of 7 December 2026: SK belum ditandatangani" in (
        page
    )
    assert 'id="remediation-form"' in page  # answer again, on the same page


def test_after_reconnection_the_page_says_when_access_came_back_and_the_case_ends(
    regent_client, suspended
):
    regent_client.post(
        REMEDIATE,
        answer(suspended.violation, "SK", SimpleUploadedFile("sk.pdf", pdf_bytes())),
    )
    order = services.reconnect_regency(regency=suspended.regency, actor=suspended.director)
    waiting = text(regent_client.get(PAGE))
    assert 'data-testid="siak-cut"' in waiting  # accepted; cut until the operators restore it
    assert 'data-review="accepted"' in waiting
    assert "once the network operators have carried out the ministry's order" in waiting
    carry_out(order)

    page = text(regent_client.get(PAGE))

    assert 'data-testid="siak-restored"' in page
    assert "SIAK access restored on 7 December 2026" in page
    assert "The case closes on 6 January 2027 if no new violation is found." in page
    assert 'data-review="accepted"' in page
    assert 'data-testid="siak-cut"' not in page


# --- the inbox ----------------------------------------------------------------------------


def test_after_a_suspension_the_inbox_says_access_is_cut_and_where_to_answer(
    regent_client, suspended
):
    page = text(regent_client.get(reverse("inbox:assignments")))

    assert "SIAK access of Kabupaten Merangin is cut since 7 December 2026" in page
    remediation = Assignment.objects.filter(directive__origin_key__startswith="remediation:")
    assert remediation.count() == 2  # the flag's and the suspension's
    for a in remediation:
        card = page.split(f'data-assignment="{a.pk}"', 1)[1].split("</article>", 1)[0]
        assert f'href="{PAGE}" role="button" class="outline" data-testid="remediation-page"' in (
            card
        )


def test_an_ordinary_directive_keeps_its_report_form(regent_client, cast):
    assignment = issue(cast.officer, due=later(14))[MERANGIN]

    inbox = text(regent_client.get(reverse("inbox:assignments")))
    card = inbox.split(f'data-assignment="{assignment.pk}"', 1)[1].split("</article>", 1)[0]
    assert "remediation-page" not in card
    assert 'data-testid="siak-cut"' not in inbox


def test_a_remediation_assignment_leads_to_the_regency_page_not_to_a_report(
    regent_client, suspended
):
    a = Assignment.objects.filter(directive__origin_key__startswith="remediation:").first()
    services_ack = reverse("inbox:acknowledge", args=[a.pk])
    regent_client.post(services_ack)

    page = text(regent_client.get(reverse("inbox:assignment", args=[a.pk])))

    assert 'id="submit-form"' not in page
    assert f'href="{PAGE}" role="button" data-testid="remediation-page"' in page
