"""Decide with the file open (issue 15, item 1): wherever a suspension, a remediation, a
reconnection or a clear is decided, the page shows the violations, the statements, each
evidence file (opened in the browser where it can be, downloaded otherwise), who submitted
what when, and the earlier decisions; the files open for whoever sees the regency's case
and for no one else."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services
from tests.compliance.scenario import (
    MERANGIN,
    TEBO,
    Cast,
    docx_bytes,
    flag,
    pdf_bytes,
    png_bytes,
    request_suspension,
    statements_for,
    suspend,
)
from tests.factories import carry_out, official
from tests.pages.directives_fixtures import client_for

pytestmark = pytest.mark.django_db

APPROVALS = reverse("console:approvals")


def upload(cast, name, content, description="SK pengembalian pejabat"):
    return services.upload_evidence(
        regency=cast.regency,
        actor=cast.regent,
        file=SimpleUploadedFile(name, content),
        description=description,
    )


def remediate(cast, documents, statement="Pejabat dikembalikan sesuai usulan"):
    entries = statements_for(cast, documents)
    for entry in entries:
        entry["statement"] = statement
    return services.submit_remediation(regency=cast.regency, actor=cast.regent, statements=entries)


def card(response, testid):
    page = response.content.decode()
    found = re.search(rf'data-testid="{re.escape(testid)}">(.*?)<form', page, re.S)
    assert found, f"no card {testid}"
    return found.group(1)


@pytest.fixture
def remediated(regions):
    """Merangin flagged, cut, remediated once (rejected), then again with a PDF, an image
    and an office document: waiting for a director to reconnect it."""
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    first = upload(cast, "sk-lama.pdf", pdf_bytes())
    remediate(cast, [first], statement="SK sedang disiapkan")
    services.reject_remediation(
        regency=cast.regency, actor=cast.officer, reason="SK belum ditandatangani"
    )
    cast.documents = [
        upload(cast, "sk-bupati.pdf", pdf_bytes()),
        upload(cast, "foto-kantor.png", png_bytes(), description="Papan nama kantor"),
        upload(cast, "berita-acara.docx", docx_bytes()),
    ]
    remediate(cast, cast.documents)
    return cast


# --- the approvals queue ------------------------------------------------------------------


def test_the_suspension_card_shows_the_violations_and_who_flagged_them(regions):
    cast = Cast.of(MERANGIN)
    flag(cast, description="Kepala Dinas dimutasi tanpa persetujuan Menteri")
    request_suspension(cast, reason="Teguran Dirjen diabaikan")

    response = client_for(cast.director).get(APPROVALS)

    shown = card(response, f"suspension-request-{MERANGIN}")
    assert 'data-testid="case-file"' in shown
    assert "Kepala Dinas dimutasi tanpa persetujuan Menteri" in shown
    assert "UU 24/2013 Pasal 83A" in shown  # its legal basis
    assert "Flagged by" in shown and cast.officer.username in shown
    assert "not answered yet" in shown
    assert 'data-testid="no-remediation"' in shown
    assert 'data-testid="request-decision" data-status="pending"' in shown


def test_the_reconnection_card_opens_every_statement_and_evidence_file(remediated):
    response = client_for(remediated.director).get(APPROVALS)

    shown = card(response, f"reconnection-{MERANGIN}")
    assert "Pejabat dikembalikan sesuai usulan" in shown
    assert "submitted by" in shown and remediated.regent.username in shown
    for document in remediated.documents:
        assert f'href="{reverse("evidence", args=[document.pk])}"' in shown
    pdf, png, docx = remediated.documents
    link = r'<a href="{}" data-testid="evidence-link" data-document="{}"([^>]*)>'
    opens = {
        d.original_name: re.search(link.format(reverse("evidence", args=[d.pk]), d.pk), shown)[1]
        for d in (pdf, png, docx)
    }
    assert 'target="_blank"' in opens["sk-bupati.pdf"]  # the browser shows it
    assert 'target="_blank"' in opens["foto-kantor.png"]
    assert "download" in opens["berita-acara.docx"]  # the browser cannot
    assert "Papan nama kantor" in shown  # the uploader's description


def test_the_reconnection_card_shows_the_earlier_rejection_and_its_reason(remediated):
    shown = card(client_for(remediated.director).get(APPROVALS), f"reconnection-{MERANGIN}")
    assert 'data-testid="remediation-file" data-status="submitted"' in shown
    assert 'data-testid="remediation-file" data-status="rejected"' in shown
    assert "SK belum ditandatangani" in shown
    assert "SK sedang disiapkan" in shown  # what was said the first time
    assert 'data-testid="request-decision" data-status="approved"' in shown  # the cut


@pytest.mark.parametrize("documents", [1, 6])
def test_the_queue_costs_the_same_queries_whatever_the_number_of_files(
    regions, documents, django_assert_max_num_queries
):
    casts = [Cast.of(code) for code in (MERANGIN, TEBO)]
    for cast in casts:
        flag(cast)
        suspend(cast)
        remediate(cast, [upload(cast, f"bukti-{n}.pdf", pdf_bytes()) for n in range(documents)])
    client = client_for(official("ministry_director"))
    with django_assert_max_num_queries(23):
        response = client.get(APPROVALS)
    assert response.content.decode().count('data-testid="evidence-link"') == 2 * documents


# --- the regency's page (reject the remediation, reconnect, clear) -------------------------


def test_the_officer_rejects_with_the_statements_and_files_on_the_regency_page(remediated):
    response = client_for(remediated.officer).get(reverse("console:regency", args=[MERANGIN]))

    page = response.content.decode()
    assert 'id="action-reject_remediation"' in page  # the decision he may take
    file = page.split('id="case-file"', 1)[1].split("</section>", 1)[0]
    assert "Pejabat dikembalikan sesuai usulan" in file
    for document in remediated.documents:
        assert reverse("evidence", args=[document.pk]) in file
    assert "SK belum ditandatangani" in file


def test_a_cleared_regency_keeps_its_last_case_file_on_its_page(remediated):
    carry_out(services.reconnect_regency(regency=remediated.regency, actor=remediated.director))
    services.clear_regency(regency=remediated.regency, actor=remediated.officer)

    page = client_for(remediated.officer).get(reverse("console:regency", args=[MERANGIN]))

    text = page.content.decode()
    assert "The last case file" in text
    assert 'data-testid="remediation-file" data-status="accepted"' in text


@pytest.mark.parametrize("documents", [1, 6])
def test_the_regency_page_costs_the_same_queries_whatever_the_number_of_files(
    regions, documents, django_assert_max_num_queries
):
    cast = Cast.of(MERANGIN)
    flag(cast)
    flag(cast)
    suspend(cast)
    remediate(cast, [upload(cast, f"bukti-{n}.pdf", pdf_bytes()) for n in range(documents)])
    client = client_for(cast.director)
    with django_assert_max_num_queries(24):  # the access order waiting, if any: one query
        response = client.get(reverse("console:regency", args=[MERANGIN]))
    assert response.content.decode().count('data-testid="evidence-link"') == 2 * documents


# --- the file itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type, disposition",
    [
        ("sk-bupati.pdf", pdf_bytes, "application/pdf", "inline"),
        ("foto-kantor.png", png_bytes, "image/png", "inline"),
        (
            "berita-acara.docx",
            docx_bytes,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
    ],
)
def test_a_file_opens_inline_when_the_browser_can_show_it(
    regions, name, content, content_type, disposition
):
    cast = Cast.of(MERANGIN)
    flag(cast)
    document = upload(cast, name, content())

    response = client_for(cast.director).get(reverse("evidence", args=[document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'{disposition}; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content()


def test_a_file_is_served_as_what_its_content_is_not_as_its_name(regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    document = upload(cast, "surat.html", pdf_bytes())  # a PDF sent under an HTML name

    response = client_for(cast.director).get(reverse("evidence", args=[document.pk]))

    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    "kind, region, status",
    [
        ("ministry_director", None, 200),
        ("ministry_officer", None, 200),
        ("auditor", None, 200),
        ("governor", "15", 200),
        ("regency_dukcapil_head", MERANGIN, 200),
        ("governor", "16", 404),
        ("regent", TEBO, 404),
    ],
)
def test_a_file_opens_for_whoever_sees_the_regencys_case_and_no_one_else(
    regions, kind, region, status
):
    cast = Cast.of(MERANGIN)
    flag(cast)
    document = upload(cast, "sk-bupati.pdf", pdf_bytes())
    client = client_for(official(kind, region))

    assert client.get(reverse("evidence", args=[document.pk])).status_code == status
    regency_page = client.get(f"/api/v1/regencies/{MERANGIN}/")
    assert regency_page.status_code == status  # the same rule as the regency itself


def test_signed_out_visitors_are_sent_to_sign_in(client, regions):
    cast = Cast.of(MERANGIN)
    flag(cast)
    document = upload(cast, "sk-bupati.pdf", pdf_bytes())

    response = client.get(reverse("evidence", args=[document.pk]))

    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


# --- a proposed sanction and an extension --------------------------------------------------


def test_the_signatory_reads_what_the_office_reported_and_who_did_what(regions, time_machine):
    """A regent answered, the ministry returned the report: the warning is proposed again,
    and its page shows the report and the history with who did each step and why."""
    import datetime as dt
    import zoneinfo

    from tests.factories import PSN
    from workflow import services as workflow
    from workflow.escalation import sweep
    from workflow.models import Assignment, SanctionProposal

    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    officer = official("ministry_officer")
    directive = workflow.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"regions": [MERANGIN]},
        **PSN,
    )
    workflow.issue_directive(
        directive=directive, actor=officer, at=dt.datetime(2026, 11, 2, 10, tzinfo=wib)
    )
    sweep(now=dt.datetime(2026, 11, 30, 8, tzinfo=wib))
    proposal = SanctionProposal.objects.get()
    regent = official("regent", MERANGIN)
    monday = dt.datetime(2026, 11, 30, 10, tzinfo=wib)
    a = Assignment.objects.get()
    workflow.acknowledge_assignment(assignment=a, actor=regent, at=monday)
    workflow.submit_assignment(
        assignment=a, actor=regent, note="Perekaman selesai 100 %", at=monday
    )
    workflow.return_assignment(
        assignment=a, actor=officer, reason="Bukti kurang", at=monday + dt.timedelta(days=1)
    )
    time_machine.move_to(monday + dt.timedelta(days=1, hours=1), tick=False)

    page = client_for(official("governor", "15")).get(f"/usulan-sanksi/{proposal.pk}/")

    text = page.content.decode()
    assert 'id="sign"' in text  # his decision
    assert "Perekaman selesai 100 %" in text.split('data-testid="report"', 1)[1]
    history = text.split('data-testid="history"', 1)[1].split("</ul>", 1)[0]
    assert regent.username in history and officer.username in history
    assert "Bukti kurang" in history


def test_the_extension_card_says_where_the_work_stands(regions):
    from datetime import timedelta

    from django.utils import timezone

    from workflow import services as workflow

    officer = official("ministry_officer")
    directive = workflow.create_directive(
        actor=officer,
        title="Perbaikan data",
        body="Perbaiki.",
        legal_basis="UU 24/2013",
        due_date=timezone.localdate() + timedelta(days=10),
        scope={"regions": [MERANGIN]},
    )
    workflow.issue_directive(directive=directive, actor=officer)
    assignment = directive.assignments.get()
    head = official("regent", MERANGIN)
    workflow.acknowledge_assignment(assignment=assignment, actor=head)
    request = workflow.request_extension(
        assignment=assignment,
        actor=head,
        new_due_date=assignment.due_date + timedelta(days=7),
        reason="Alat rusak",
    )

    response = client_for(official("ministry_director")).get(APPROVALS)

    page = response.content.decode()
    card = page.split(f'data-testid="extension-request-{request.pk}"', 1)[1].split("</article>")[0]
    work = card.split('data-testid="extension-work"', 1)[1].split("</p>", 1)[0]
    assert "Acknowledged" in work
