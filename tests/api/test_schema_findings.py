"""What schemathesis found where the API and its schema disagreed (issue 16, item 5), one
test each: the API now answers as its schema says, and the schema says it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from tests.compliance import api_helpers as h
from tests.factories import official
from workflow.models import Assignment

MERANGIN = "15.02"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, name):
    return schema["components"]["schemas"][name]


def operation(schema, path, method="post"):
    return schema["paths"][f"/api/v1/{path}"][method]


def request_schema(schema, path, media_type="application/json"):
    ref = operation(schema, path)["requestBody"]["content"][media_type]["schema"]["$ref"]
    return component(schema, ref.rsplit("/", 1)[1])


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()


def flag(user, body, fmt="json"):
    return h.client_for(user).post(f"/api/v1/regencies/{MERANGIN}/flag/", body, format=fmt)


# --- optional fields that were required ---------------------------------------------------


@pytest.mark.django_db
def test_a_flag_without_its_description_and_legal_basis_is_400_and_the_schema_requires_them(
    schema,
):
    body = assert_problem(flag(official("ministry_officer"), {"kind": "hr"}), 400)
    assert body["errors"] == {"description": ["required"], "legal_basis": ["required"]}
    flag_input = request_schema(schema, "regencies/{code}/flag/")
    assert {"kind", "description", "legal_basis"} <= set(flag_input["required"])


@pytest.mark.django_db
def test_whitespace_is_not_a_description_and_the_schema_says_so(schema):
    response = flag(
        official("ministry_officer"), {"kind": "hr", "description": "  ", "legal_basis": "UU"}
    )
    assert assert_problem(response, 400)["errors"] == {"description": ["required"]}
    pattern = request_schema(schema, "regencies/{code}/flag/")["properties"]["description"]
    assert pattern["minLength"] == 1 and "\\s" in pattern["pattern"]


@pytest.mark.django_db
def test_a_number_is_not_text(schema):
    response = flag(
        official("ministry_officer"), {"kind": "hr", "description": "X", "legal_basis": 83}
    )
    assert "legal_basis" in assert_problem(response, 400)["errors"]


@pytest.mark.django_db
def test_a_reason_is_required_to_reject_but_not_to_approve_and_the_schema_tells_them_apart(
    schema,
):
    h.flag(MERANGIN)
    request = h.request_suspension(MERANGIN)
    director = h.client_for(official("ministry_director"))
    response = director.post(f"/api/v1/suspension-requests/{request.pk}/reject/", {}, format="json")
    assert assert_problem(response, 400)["errors"] == {"reason": ["required"]}
    reject = request_schema(schema, "suspension-requests/{id}/reject/")
    approve = request_schema(schema, "suspension-requests/{id}/approve/")
    assert reject["required"] == ["reason"]
    assert "required" not in approve


@pytest.mark.django_db
def test_a_remediation_without_statements_is_400_and_the_schema_needs_one(schema):
    h.flag(MERANGIN)
    regent = h.client_for(official("regent", MERANGIN))
    url = f"/api/v1/regencies/{MERANGIN}/remediation/"
    response = regent.post(url, {"statements": []}, format="json")
    assert assert_problem(response, 400)["errors"] == {"statements": ["required"]}
    statements = request_schema(schema, "regencies/{code}/remediation/")["properties"]["statements"]
    assert statements["minItems"] == 1


@pytest.mark.django_db
def test_an_id_too_large_for_any_row_is_400_not_a_server_error():
    h.flag(MERANGIN)
    regent = h.client_for(official("regent", MERANGIN))
    statement = {"violation": 1, "statement": "X", "evidence": [2**70]}
    response = regent.post(
        f"/api/v1/regencies/{MERANGIN}/remediation/", {"statements": [statement]}, format="json"
    )
    assert assert_problem(response, 400)["errors"]["statements"]


def test_a_directive_scope_is_exactly_one_of_four_shapes_in_the_schema(schema):
    scope = request_schema(schema, "directives/")["properties"]["scope"]
    assert [set(shape["required"]) for shape in scope["oneOf"]] == [
        {"all_regencies"},
        {"all_provinces"},
        {"province"},
        {"regions"},
    ]
    assert all(shape["additionalProperties"] is False for shape in scope["oneOf"])


# --- files ----------------------------------------------------------------------------------


def test_uploads_are_files_required_and_multipart_only(schema):
    for path in ("regencies/{code}/evidence/", "recording/imports/"):
        content = operation(schema, path)["requestBody"]["content"]
        assert list(content) == ["multipart/form-data"]
        ref = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
        upload = component(schema, ref)
        assert upload["properties"]["file"]["format"] == "binary"  # not a uri
        assert "file" in upload["required"]


@pytest.mark.django_db
def test_evidence_downloads_as_its_own_type_which_the_schema_lists(schema):
    regent = official("regent", MERANGIN)
    created = h.client_for(regent).post(
        f"/api/v1/regencies/{MERANGIN}/evidence/", {"file": h.pdf(), "description": "SK"}
    )
    response = h.client_for(regent).get(f"/api/v1/evidence/{created.json()['id']}/")
    assert response["Content-Type"] == "application/pdf"
    assert (
        "application/pdf"
        in operation(schema, "evidence/{id}/", "get")["responses"]["200"]["content"]
    )


@pytest.mark.django_db
def test_a_file_that_is_no_accepted_document_is_422_and_documented(schema):
    fake = SimpleUploadedFile("sk.pdf", b"#!/bin/sh\n", content_type="application/pdf")
    response = h.client_for(official("regent", MERANGIN)).post(
        f"/api/v1/regencies/{MERANGIN}/evidence/", {"file": fake}
    )
    body = assert_problem(response, 422)
    assert (body["type"], body["errors"]) == (
        "urn:ektp-compliance:problem:invalid-input",
        {"file": ["unsupported_type"]},
    )
    assert PROBLEM in operation(schema, "regencies/{code}/evidence/")["responses"]["422"]["content"]


@pytest.mark.django_db
def test_a_body_over_the_limit_is_413_and_documented(schema, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = flag(
        official("ministry_officer"), {"kind": "hr", "description": "x" * 5000, "legal_basis": "UU"}
    )
    assert_problem(response, 413)
    assert "413" in operation(schema, "regencies/{code}/flag/")["responses"]


@pytest.mark.django_db
def test_a_body_of_a_type_the_operation_does_not_take_is_415_and_documented(schema):
    response = h.client_for(official("ministry_officer")).post(
        "/api/v1/directives/", "title=x", content_type="application/x-www-form-urlencoded"
    )
    assert_problem(response, 415)
    assert "415" in operation(schema, "directives/")["responses"]
    assert list(operation(schema, "directives/")["requestBody"]["content"]) == ["application/json"]


# --- filters and pages ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regencies/?state=",
        "/api/v1/suspension-requests/?status=",
        "/api/v1/downtime/?level=",
        "/api/v1/directives/?state=",
        "/api/v1/assignments/?overdue=",
        "/api/v1/extension-requests/?status=",
        "/api/v1/letters/?year=",
        "/api/v1/devices/?kind=",
        "/api/v1/regions/15/realisation/?to=",
    ],
)
def test_an_empty_filter_is_400_not_the_whole_list(url):
    body = assert_problem(h.client_for(official("ministry_officer")).get(url), 400)
    assert list(body["errors"]) == [url.rsplit("?", 1)[1].rstrip("=")]


@pytest.mark.django_db
def test_a_boolean_filter_left_out_filters_nothing():
    from tests.pages.inbox_fixtures import issue, later

    officer = official("ministry_officer")
    official("regent", MERANGIN)
    issue(officer, due=later(30))
    client = h.client_for(officer)
    assert client.get("/api/v1/assignments/").json()["count"] == Assignment.objects.count() == 1
    assert client.get("/api/v1/assignments/?overdue=false").json()["count"] == 1
    assert client.get("/api/v1/assignments/?overdue=true").json()["count"] == 0
    assert_problem(client.get("/api/v1/assignments/?overdue=null"), 400)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["0", "", "last", "99"])
def test_a_page_that_is_not_one_is_404_and_the_schema_says_from_one(schema, page):
    response = h.client_for(official("ministry_officer")).get(f"/api/v1/regencies/?page={page}")
    assert_problem(response, 404)
    listing = operation(schema, "regencies/", "get")
    [parameter] = [p for p in listing["parameters"] if p["name"] == "page"]
    assert parameter["schema"]["minimum"] == 1
    assert PROBLEM in listing["responses"]["404"]["content"]


def test_every_operation_documents_401_and_429_as_problem_details(schema):
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/auth/"):
            continue
        for method, described in methods.items():
            if method == "parameters":
                continue
            signed_in = described.get("security", [{}]) != [{}]  # else public: never 401
            for status in ("401", "429") if signed_in else ("429",):
                assert PROBLEM in described["responses"][status]["content"], (method, path)
