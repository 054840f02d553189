"""Every error is an RFC 9457 problem: type, title, status, detail (and errors for input),
served as application/problem+json, Bahasa Indonesia first and English second."""

import pytest
from rest_framework.test import APIClient

from compliance.models import AccessOrder
from tests.api_tokens import token_header
from tests.compliance import api_helpers as h
from tests.factories import official

pytestmark = pytest.mark.django_db

MERANGIN, TEBO = "15.02", "15.09"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
MESSAGE_KEYS = {"code", "params"}  # a service's refusal: its message as code and parameters


def assert_problem(response, status, *, errors=False):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    keys = PROBLEM_KEYS | ({"errors"} if errors else set())
    assert set(body) in (keys, keys | MESSAGE_KEYS)
    assert body["status"] == status
    assert body["type"].startswith("urn:ektp-compliance:problem:")
    assert " / " in body["title"]  # Bahasa Indonesia / English
    assert body["instance"] == response.wsgi_request.path
    return body


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/regencies/"),
        ("get", f"/api/v1/regencies/{MERANGIN}/"),
        ("get", f"/api/v1/regencies/{MERANGIN}/history/"),
        ("get", "/api/v1/suspension-requests/"),
        ("get", "/api/v1/downtime/"),
        ("get", "/api/v1/evidence/1/"),
        ("post", f"/api/v1/regencies/{MERANGIN}/flag/"),
        ("post", f"/api/v1/regencies/{MERANGIN}/remediation/"),
        ("post", "/api/v1/suspension-requests/1/approve/"),
        ("get", "/api/v1/access-orders/"),
        ("get", "/api/v1/access-orders/1/"),
        ("post", "/api/v1/access-orders/1/execute/"),
    ],
)
def test_without_credentials_every_endpoint_answers_401(method, url):
    before = h.snapshot(MERANGIN)
    response = getattr(APIClient(), method)(url, {}, format="json")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["type"] == "urn:ektp-compliance:problem:not-authenticated"
    assert body["detail"].endswith("/ Authentication credentials were not provided.")
    assert h.snapshot(MERANGIN) == before


def test_a_real_token_authenticates_and_a_wrong_one_does_not():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_header(official("governor", "15")))
    assert client.get(f"/api/v1/regencies/{MERANGIN}/").status_code == 200

    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    body = assert_problem(client.get(f"/api/v1/regencies/{MERANGIN}/"), 401)
    assert "Invalid token" in body["detail"]


def test_outside_the_jurisdiction_looks_exactly_like_unknown():
    tebo_regent = h.client_for(official("regent", TEBO))
    outside = assert_problem(tebo_regent.get(f"/api/v1/regencies/{MERANGIN}/"), 404)
    unknown = assert_problem(tebo_regent.get("/api/v1/regencies/99.99/"), 404)
    assert outside["type"] == unknown["type"] == "urn:ektp-compliance:problem:not-found"
    assert outside["title"] == unknown["title"]
    assert outside["detail"] == unknown["detail"].replace("99.99", MERANGIN)


def test_the_regent_of_tebo_gets_404_for_merangins_remediation():
    violation = h.flag(MERANGIN)
    before = h.snapshot(MERANGIN)
    response = h.client_for(official("regent", TEBO)).post(
        f"/api/v1/regencies/{MERANGIN}/remediation/",
        {"statements": [{"violation": violation.pk, "statement": "X", "evidence": [1]}]},
        format="json",
    )
    assert_problem(response, 404)
    assert h.snapshot(MERANGIN) == before


def test_not_allowed_is_403():
    body = assert_problem(
        h.client_for(official("governor", "15")).post(
            f"/api/v1/regencies/{MERANGIN}/flag/",
            {"kind": "hr", "description": "X", "legal_basis": "Y"},
            format="json",
        ),
        403,
    )
    assert body["title"] == "Tidak diizinkan / Not allowed"
    assert "'flag'" in body["detail"]


def test_a_transition_from_the_wrong_state_is_409():
    response = h.client_for(official("ministry_director")).post(
        f"/api/v1/regencies/{MERANGIN}/reconnection/", {}, format="json"
    )
    body = assert_problem(response, 409)
    assert body["type"] == "urn:ektp-compliance:problem:conflict"
    # A restoration is ordered only for a regency cut off whose remediation was submitted.
    assert "Access can be restored only" in body["detail"]
    assert "'compliant'" in body["detail"]
    assert not AccessOrder.objects.exists()


def test_a_domain_input_error_names_its_fields():
    body = assert_problem(
        h.client_for(official("ministry_officer")).post(
            f"/api/v1/regencies/{MERANGIN}/flag/",
            {"kind": "hr", "description": "X"},
            format="json",
        ),
        400,
        errors=True,
    )
    assert body["type"] == "urn:ektp-compliance:problem:invalid-input"
    assert body["errors"] == {"legal_basis": ["required"]}


def test_a_malformed_request_names_its_fields():
    body = assert_problem(
        h.client_for(official("ministry_officer")).post(
            f"/api/v1/regencies/{MERANGIN}/flag/",
            {"kind": "corruption", "description": "X", "legal_basis": "Y"},
            format="json",
        ),
        400,
        errors=True,
    )
    assert body["type"] == "urn:ektp-compliance:problem:invalid-input"
    assert list(body["errors"]) == ["kind"]
    assert h.regency(MERANGIN).state == "compliant"


def test_malformed_json_is_a_problem_too():
    response = h.client_for(official("ministry_officer")).post(
        f"/api/v1/regencies/{MERANGIN}/flag/", "{not json", content_type="application/json"
    )
    assert_problem(response, 400)


def test_a_wrong_method_is_405():
    response = h.client_for(official("ministry_officer")).get(f"/api/v1/regencies/{MERANGIN}/flag/")
    body = assert_problem(response, 405)
    assert body["title"] == "Metode tidak diizinkan / Method not allowed"


def test_the_browsable_api_is_not_labelled_problem_json():
    response = h.client_for(official("regent", TEBO)).get(
        f"/api/v1/regencies/{MERANGIN}/", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- what reaches the API but names nothing, or cannot be read (issue 16) -----------------
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_path_is_a_problem_not_a_page(method):
    client = h.client_for(official("ministry_officer"))
    body = assert_problem(getattr(client, method)("/api/v1/no-such-thing/"), 404)
    assert body["detail"] == "Alamat API tidak dikenal / Unknown API path"


def test_an_unknown_api_path_is_a_problem_for_a_stranger_too(client):
    assert_problem(client.get("/api/v2/regencies/"), 404)


def test_a_body_nested_too_deeply_is_bad_input_not_a_server_error():
    client = h.client_for(official("ministry_officer"))
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        f"/api/v1/regencies/{MERANGIN}/flag/", deep, content_type="application/json"
    )
    body = assert_problem(response, 400)
    assert "nested too deeply" in body["detail"]


def test_a_body_over_the_size_limit_is_a_problem(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = h.client_for(official("ministry_officer"))
    response = client.post(
        f"/api/v1/regencies/{MERANGIN}/flag/",
        {"kind": "hr", "description": "x" * 5000, "legal_basis": "UU 24/2013"},
        format="json",
    )
    assert_problem(response, 413)


def test_too_many_files_is_a_problem(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client = h.client_for(official("regent", MERANGIN))
    files = {f"file{i}": h.pdf(f"bukti-{i}.pdf") for i in range(5)}
    response = client.post(
        f"/api/v1/regencies/{MERANGIN}/evidence/", {**files, "description": "SK"}
    )
    assert_problem(response, 400)


# --- messages as codes and parameters (docs/api.md) --------------------------------------


def test_a_refusal_carries_its_message_code_and_parameters_beside_the_same_detail():
    response = h.client_for(official("ministry_director")).post(
        f"/api/v1/regencies/{MERANGIN}/reconnection/", {}, format="json"
    )
    body = assert_problem(response, 409)
    assert body["code"] == "reconnect_needs_remediated"
    assert body["params"] == {"state": "compliant"}
    assert body["detail"] == (
        "Pemulihan hanya untuk kabupaten/kota yang aksesnya diputus dan perbaikannya "
        "diajukan, bukan 'compliant' / Access can be restored only for a regency cut off "
        "whose remediation was submitted, not 'compliant'"
    )


def test_a_not_found_names_what_was_looked_up_in_its_parameters():
    body = assert_problem(
        h.client_for(official("regent", TEBO)).get("/api/v1/regencies/99.99/"), 404
    )
    assert (body["code"], body["params"]) == ("regency_not_found", {"code": "99.99"})
    assert body["detail"] == "Kabupaten/kota 99.99 tidak ditemukan / Regency 99.99 not found"


def test_drfs_own_errors_have_no_message_code():
    body = assert_problem(
        h.client_for(official("ministry_officer")).post(
            f"/api/v1/regencies/{MERANGIN}/flag/",
            {"kind": "corruption", "description": "X", "legal_basis": "Y"},
            format="json",
        ),
        400,
        errors=True,
    )
    assert "code" not in body and "params" not in body
