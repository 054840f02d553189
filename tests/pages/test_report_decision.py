"""Verify or return a report with the file open (issue 15 item 1): the office that manages a
directive decides on a recipient's report on a page that shows the note, each evidence
file (opened in the browser where it can be, downloaded otherwise), who submitted what and
when, every earlier submission and the assignment's timeline; returning needs a reason.
Whoever's jurisdiction covers the recipient reads the page; only the managing office
decides; anyone else gets a 404."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.compliance.scenario import docx_bytes, pdf_bytes
from tests.factories import official
from tests.pages.directives_fixtures import client_for, issue
from workflow import services
from workflow.models import Assignment, AssignmentState

pytestmark = pytest.mark.django_db


@pytest.fixture
def regent():
    return official("regent", "15.02")


@pytest.fixture
def directive(officer):
    return issue(officer, {"province": "15"})


@pytest.fixture
def merangin(directive):
    return Assignment.objects.get(directive=directive, regency__code="15.02")


def report_url(assignment, name="report"):
    return reverse(f"directives:{name}", args=[assignment.directive_id, assignment.pk])


def submit(regent, assignment, note, file=None):
    """The regent reports through his inbox's form (with an evidence file, if any)."""
    data = {"note": note}
    if file is not None:
        data["evidence"] = SimpleUploadedFile(*file)
    response = client_for(regent).post(reverse("inbox:submit", args=[assignment.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def submitted(regent, merangin):
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    submit(
        regent, merangin, "Perekaman keliling di 24 kecamatan selesai.", ("bukti.pdf", pdf_bytes())
    )
    return merangin


def evidence_links(html):
    return re.findall(
        r'<a href="(/bukti/\d+/)" data-testid="evidence-link"[^>]*?( target="_blank"| download)',
        html,
    )


def test_the_issuer_reads_the_report_with_its_file_and_decides_on_it(officer, submitted):
    response = client_for(officer).get(report_url(submitted))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Perekaman keliling di 24 kecamatan selesai." in html
    assert "Bukti / Evidence:" not in html  # the file is a link, not a line of the note
    [(href, how)] = evidence_links(html)
    assert how == ' target="_blank"'  # a PDF opens in the browser
    assert "bukti.pdf" in html
    by = re.search(r'data-testid="submitted-by">([^<]*)<', html).group(1)
    assert "Bupati Merangin" in by
    assert 'data-testid="submitted-at"' in html
    assert 'data-testid="timeline-state_change"' in html  # acknowledged, then submitted
    assert 'data-testid="verify"' in html and 'data-testid="return"' in html
    opened = client_for(officer).get(href)
    assert opened.status_code == 200
    assert opened["Content-Disposition"].startswith("inline")
    assert opened["Content-Type"] == "application/pdf"


def test_an_office_document_is_downloaded(officer, regent, merangin):
    services.acknowledge_assignment(assignment=merangin, actor=regent)
    submit(regent, merangin, "Laporan dalam dokumen.", ("laporan.docx", docx_bytes()))
    html = client_for(officer).get(report_url(merangin)).content.decode()
    [(href, how)] = evidence_links(html)
    assert how == " download"
    assert client_for(officer).get(href)["Content-Disposition"].startswith("attachment")


def test_verifying_ends_the_assignment(officer, submitted):
    client = client_for(officer)
    response = client.post(report_url(submitted, "verify"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.VERIFIED
    html = client.get(report_url(submitted)).content.decode()
    assert 'data-testid="verify"' not in html  # decided: nothing more to decide
    assert "The report was verified" in html


def test_returning_needs_a_reason_shown_at_the_top(officer, submitted):
    response = client_for(officer).post(report_url(submitted, "return"), {"return-reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>Error:", html)
    summary = html.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_return-reason"' in summary
    assert 'id="id_return-reason_error"' in html
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED


def test_a_returned_report_shows_the_reason_and_later_both_submissions(officer, regent, submitted):
    client = client_for(officer)
    response = client.post(
        report_url(submitted, "return"), {"return-reason": "Lampirkan daftar hadir."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.RETURNED
    assert "Lampirkan daftar hadir." in client.get(report_url(submitted)).content.decode()
    submit(regent, submitted, "Daftar hadir terlampir.", ("hadir.pdf", pdf_bytes()))
    html = client.get(report_url(submitted)).content.decode()
    submissions = html.split('data-testid="submission"')[1:]
    assert len(submissions) == 2
    assert 'data-latest="true"' in submissions[0] and "Daftar hadir terlampir." in submissions[0]
    assert "hadir.pdf" in submissions[0] and "bukti.pdf" in submissions[1]
    assert 'data-testid="verify"' in html  # submitted again: to be decided again


def test_an_auditor_reads_the_report_but_does_not_decide(submitted):
    html = client_for(official("auditor")).get(report_url(submitted)).content.decode()
    assert "Perekaman keliling di 24 kecamatan selesai." in html
    assert 'data-testid="verify"' not in html
    response = client_for(official("auditor")).post(report_url(submitted, "verify"))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == AssignmentState.SUBMITTED


def test_outside_the_jurisdiction_the_report_and_its_file_are_not_found(officer, submitted):
    href = evidence_links(client_for(officer).get(report_url(submitted)).content.decode())[0][0]
    bali = client_for(official("governor", "51"))
    assert bali.get(report_url(submitted)).status_code == 404
    assert bali.post(report_url(submitted, "verify")).status_code == 404
    assert bali.get(href).status_code == 404


def test_each_recipient_links_to_its_report(officer, directive, submitted):
    html = client_for(officer).get(reverse("directives:detail", args=[directive.pk]))
    assert report_url(submitted) in html.content.decode()


def test_the_report_page_costs_the_same_after_more_submissions(
    officer, regent, submitted, django_assert_max_num_queries
):
    client = client_for(officer)
    for round_ in range(2):
        with django_assert_max_num_queries(16):
            assert client.get(report_url(submitted)).status_code == 200
        services.return_assignment(assignment=submitted, actor=officer, reason="Lagi.")
        submit(regent, submitted, f"Putaran {round_}.", ("bukti.pdf", pdf_bytes()))
