"""The assignment's detail in the API names the evidence files of its report (issue 15
item 1: "the same in the API's detail responses"), as the report page shows them, and each
downloads through the jurisdiction-checked evidence endpoint."""

import pytest

from compliance import services as compliance
from tests.compliance.api_helpers import client_for, pdf
from tests.factories import official
from tests.workflow import api_helpers as h
from workflow import report_notes
from workflow import services as workflow
from workflow.models import Assignment

clock, officer = h.clock, h.officer
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(clock, officer):
    assignment = Assignment.objects.get(pk=h.assignment(h.issue(officer), h.MERANGIN))
    regent = official("regent", h.MERANGIN)
    document = compliance.upload_evidence(
        regency=assignment.regency, actor=regent, file=pdf("sk-kadis.pdf")
    )
    note = report_notes.with_evidence("Kepala Dinas sudah dilantik.", document)
    workflow.acknowledge_assignment(assignment=assignment, actor=regent)
    assignment = Assignment.objects.get(pk=assignment.pk)
    workflow.submit_assignment(assignment=assignment, actor=regent, note=note)
    return Assignment.objects.get(pk=assignment.pk), document


def test_the_detail_lists_the_reports_files_with_their_download(submitted, officer):
    assignment, document = submitted

    body = h.get(officer, h.url(assignment.pk))

    [named] = body["evidence"]
    assert (named["id"], named["name"]) == (document.pk, "sk-kadis.pdf")
    assert named["content_type"] == "application/pdf"
    assert named["url"].endswith(f"/api/v1/evidence/{document.pk}/")
    download = client_for(officer).get(named["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_report_without_files_names_none(clock, officer):
    pk = h.assignment(h.issue(officer), h.MERANGIN)

    assert h.get(officer, h.url(pk))["evidence"] == []


def test_a_document_of_another_regency_is_never_named(submitted, officer):
    assignment, _ = submitted
    other = compliance.upload_evidence(
        regency=Assignment.objects.get(pk=h.assignment(h.issue(officer), "15.09")).regency,
        actor=official("regent", "15.09"),
        file=pdf(),
    )
    assignment.note = report_notes.with_evidence(assignment.note, other)
    assignment.save(update_fields=["note"])

    assert other.pk not in [f["id"] for f in h.get(officer, h.url(assignment.pk))["evidence"]]
