"""The API's detail answers carry what a decision is made on (issue 15, item 1): the
regency's case file, a suspension request's, one remediation with its statements and
their documents; each document with where to fetch it. Fields are added, none renamed;
the same jurisdiction as the regency; the same number of queries whatever the file holds."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import services
from compliance.models import Remediation
from tests.compliance import api_helpers as h
from tests.compliance.scenario import (
    MERANGIN,
    TEBO,
    Cast,
    flag,
    pdf_bytes,
    png_bytes,
    request_suspension,
    statements_for,
    suspend,
)
from tests.factories import official

pytestmark = pytest.mark.django_db


def upload(cast, name, content):
    return services.upload_evidence(
        regency=cast.regency,
        actor=cast.regent,
        file=SimpleUploadedFile(name, content),
        description="SK pengembalian pejabat",
    )


def remediate(cast, documents):
    return services.submit_remediation(
        regency=cast.regency, actor=cast.regent, statements=statements_for(cast, documents)
    )


def get(user, url, status=200):
    response = h.client_for(user).get(url)
    assert response.status_code == status, response.content
    return response.json() if status == 200 else None


@pytest.fixture
def remediated():
    cast = Cast.of(MERANGIN)
    cast.violation = flag(cast)
    suspend(cast)
    remediate(cast, [upload(cast, "sk-lama.pdf", pdf_bytes())])
    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Belum sah")
    cast.documents = [upload(cast, "sk.pdf", pdf_bytes()), upload(cast, "foto.png", png_bytes())]
    cast.remediation = remediate(cast, cast.documents)
    return cast


def test_the_regency_detail_carries_its_case_file(remediated):
    body = get(remediated.director, f"/api/v1/regencies/{MERANGIN}/")

    # What was there stays as it was.
    assert body["open_case"]["open_violations"] == []
    assert body["state"] == "remediated"
    file = body["case_file"]
    assert file["regency"] == MERANGIN and file["closed_at"] is None
    [violation] = file["violations"]
    assert violation["id"] == remediated.violation.pk
    assert violation["flagged_by"] == remediated.officer.username
    assert violation["remediated_at"] is not None
    latest, earlier = file["remediations"]
    assert (latest["status"], earlier["status"]) == ("submitted", "rejected")
    assert earlier["decision_reason"] == "Belum sah"
    [statement] = latest["statements"]
    assert statement["violation"] == remediated.violation.pk
    assert statement["evidence"] == [d.pk for d in remediated.documents]
    names = {d["original_name"]: d for d in statement["documents"]}
    assert set(names) == {"sk.pdf", "foto.png"}
    assert names["foto.png"]["content_type"] == "image/png"
    assert names["sk.pdf"]["uploaded_by"] == remediated.regent.username
    assert names["sk.pdf"]["url"] == f"/api/v1/evidence/{remediated.documents[0].pk}/"
    [decision] = file["suspension_requests"]
    assert decision["status"] == "approved"
    assert decision["decided_by"] == remediated.director.username


def test_a_document_opens_at_its_url(remediated):
    body = get(remediated.director, f"/api/v1/regencies/{MERANGIN}/")
    url = body["case_file"]["remediations"][0]["statements"][0]["documents"][0]["url"]

    response = h.client_for(remediated.director).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) in (pdf_bytes(), png_bytes())


def test_a_regency_that_never_had_a_case_has_none_and_none_is_looked_for():
    with CaptureQueriesContext(connection) as captured:
        body = get(official("auditor"), f"/api/v1/regencies/{TEBO}/")

    assert body["case_file"] is None
    # Whether it had any is read with its situation: its cases are never read apart.
    assert not [q for q in captured if q["sql"].startswith('SELECT "compliance_compliancecase"')]


def test_a_cleared_regency_shows_its_last_case():
    cast = Cast.of(MERANGIN)
    flag(cast)
    remediate(cast, [upload(cast, "sk.pdf", pdf_bytes())])
    services.clear_regency(regency=cast.regency, actor=cast.officer, reason="Diterima")

    file = get(cast.officer, f"/api/v1/regencies/{MERANGIN}/")["case_file"]

    assert file["closed_at"] is not None
    assert len(file["violations"]) == 1


def test_a_suspension_request_detail_carries_the_file_the_director_decides_on():
    cast = Cast.of(MERANGIN)
    flag(cast)
    pending = request_suspension(cast, reason="Teguran diabaikan")

    body = get(cast.director, f"/api/v1/suspension-requests/{pending.pk}/")

    assert body["id"] == pending.pk and body["status"] == "pending"
    assert body["reason"] == "Teguran diabaikan"
    assert [v["description"] for v in body["case_file"]["violations"]] == [
        "Kepala Dinas Dukcapil dimutasi tanpa persetujuan Menteri"
    ]
    assert body["case_file"]["remediations"] == []


def test_a_remediation_detail_has_its_statements_documents_and_decision(remediated):
    rejected = Remediation.objects.get(status="rejected")

    body = get(remediated.officer, f"/api/v1/remediations/{rejected.pk}/")

    assert body["status"] == "rejected"
    assert body["decision_reason"] == "Belum sah"
    assert body["regency"] == MERANGIN
    assert [d["original_name"] for d in body["statements"][0]["documents"]] == ["sk-lama.pdf"]


def test_submitting_a_remediation_answers_with_its_documents_too(regions):
    cast = Cast.of(MERANGIN)
    violation = flag(cast)
    document = upload(cast, "sk.pdf", pdf_bytes())

    response = h.client_for(cast.regent).post(
        f"/api/v1/regencies/{MERANGIN}/remediation/",
        {"statements": [{"violation": violation.pk, "statement": "SK", "evidence": [document.pk]}]},
        format="json",
    )

    assert response.status_code == 201
    [statement] = response.json()["statements"]
    assert statement["evidence"] == [document.pk]
    assert statement["documents"][0]["sha256"] == document.sha256


@pytest.mark.parametrize(
    "kind, region, status",
    [
        ("auditor", None, 200),
        ("governor", "15", 200),
        ("governor", "16", 404),
        ("regent", TEBO, 404),
    ],
)
def test_the_details_keep_to_the_regencys_jurisdiction(remediated, kind, region, status):
    user = official(kind, region)
    pending = remediated.regency.suspension_requests.get()
    get(user, f"/api/v1/regencies/{MERANGIN}/", status)
    get(user, f"/api/v1/suspension-requests/{pending.pk}/", status)
    get(user, f"/api/v1/remediations/{remediated.remediation.pk}/", status)


def queries(user, url):
    with CaptureQueriesContext(connection) as captured:
        assert h.client_for(user).get(url).status_code == 200
    return len(captured)


def test_the_details_cost_the_same_queries_whatever_the_file_holds():
    cast = Cast.of(MERANGIN)
    flag(cast)
    suspend(cast)
    remediate(cast, [upload(cast, "a.pdf", pdf_bytes())])
    request = cast.regency.suspension_requests.get()
    urls = [f"/api/v1/regencies/{MERANGIN}/", f"/api/v1/suspension-requests/{request.pk}/"]
    few = [queries(cast.director, url) for url in urls]

    services.reject_remediation(regency=cast.regency, actor=cast.officer, reason="Kurang")
    flag(cast)
    remediate(cast, [upload(cast, f"b{n}.pdf", pdf_bytes()) for n in range(5)])

    assert [queries(cast.director, url) for url in urls] == few
