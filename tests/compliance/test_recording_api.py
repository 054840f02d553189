"""The recording API: upload (ministry offices, 202), job status with its errors in both
languages, and realisation series for a region in the caller's jurisdiction."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import District, RecordingReport
from compliance.recording_jobs import run_import
from tests.compliance.api_helpers import client_for
from tests.compliance.test_api_errors import assert_problem
from tests.factories import official

pytestmark = pytest.mark.django_db

HEADER = b"district_code,date,obliged,recorded,printed\n"
IMPORTS = "/api/v1/recording/imports/"


def post_file(client, content, name="rekam.csv"):
    return client.post(IMPORTS, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_ministry_officer_uploads_and_reads_the_refusal_line_by_line():
    officer = client_for(official("ministry_officer"))
    response = post_file(officer, HEADER + b"15.02.01,2017-10-01,1000,-1,0\n")
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["format"], job["percent_done"]) == ("queued", "csv", 0)
    run_import(job["id"], today=date(2017, 10, 31))
    body = officer.get(f"{IMPORTS}{job['id']}/").json()
    assert body["status"] == "failed" and body["error_count"] == 1
    assert body["errors"] == [
        {
            "line": 2,
            "field": "recorded",
            "code": "negative",
            "params": {"field": "recorded", "value": "-1"},
            "message": "recorded bernilai negatif: -1. / recorded is negative: -1.",
        }
    ]


def test_regional_offices_may_not_upload_nor_see_imports():
    officer = client_for(official("ministry_officer"))
    job = post_file(officer, HEADER).json()
    regent = client_for(official("regent", "15.02"))
    assert_problem(post_file(regent, HEADER), 403)
    assert_problem(regent.get(f"{IMPORTS}{job['id']}/"), 404)


def test_a_file_that_is_neither_csv_nor_xlsx_is_422():
    officer = client_for(official("ministry_officer"))
    body = assert_problem(post_file(officer, HEADER, name="rekam.pdf"), 422, errors=True)
    assert "file" in body["errors"]


@pytest.fixture
def merangin_reports():
    for code, day, recorded in [("15.02.01", 1, 500), ("15.02.01", 15, 600), ("15.02.02", 10, 900)]:
        RecordingReport.objects.create(
            district=District.objects.get(code=code),
            date=date(2017, 10, day),
            obliged=1000,
            recorded=recorded,
            printed=recorded // 2,
        )


def test_the_realisation_series_of_a_visible_region(merangin_reports):
    regent = client_for(official("regent", "15.02"))
    response = regent.get("/api/v1/regions/15.02/realisation/?from=2017-10-01&to=2017-10-31")
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "15.02", "name": "Kabupaten Merangin", "level": "regency"}
    assert [(p["date"], p["recorded"], p["realisation"]) for p in body["series"]] == [
        ("2017-10-01", 500, 50.0),  # 15.02.02 has not reported yet
        ("2017-10-10", 1400, 70.0),
        ("2017-10-15", 1500, 75.0),
    ]


def test_a_region_outside_the_jurisdiction_is_404_like_an_unknown_one(merangin_reports):
    regent = client_for(official("regent", "15.09"))
    assert_problem(regent.get("/api/v1/regions/15.02/realisation/"), 404)
    assert_problem(regent.get("/api/v1/regions/15/realisation/"), 404)  # not the province
    assert_problem(regent.get("/api/v1/regions/15.09.99/realisation/"), 404)
    governor = client_for(official("governor", "15"))
    assert governor.get("/api/v1/regions/15.02.01/realisation/").status_code == 200
    assert governor.get("/api/v1/regions/15/realisation/").status_code == 200


def test_a_bad_period_is_refused(merangin_reports):
    officer = client_for(official("ministry_officer"))
    assert_problem(officer.get("/api/v1/regions/15/realisation/?from=kemarin"), 400, errors=True)
    assert_problem(officer.get("/api/v1/regions/15/realisation/?from="), 400, errors=True)
    # two dates, as the schema says, but backwards: a rule beyond the schema
    assert_problem(
        officer.get("/api/v1/regions/15/realisation/?from=2017-10-31&to=2017-10-01"),
        422,
        errors=True,
    )


def test_residents_affected_is_the_regencys_obliged_population_at_its_latest_reports(
    merangin_reports,
):
    officer = client_for(official("ministry_officer"))
    assert officer.get("/api/v1/regencies/15.02/").json()["residents_affected"] == 2000
    assert officer.get("/api/v1/regencies/15.09/").json()["residents_affected"] is None
