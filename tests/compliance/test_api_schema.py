"""The OpenAPI schema generates and validates without a single warning."""

import pytest
import yaml
from django.core.management import call_command

from tests.compliance.api_helpers import client_for
from tests.factories import official

ENDPOINTS = {
    "/api/v1/regencies/": {"get"},
    "/api/v1/regencies/{code}/": {"get"},
    "/api/v1/regencies/{code}/history/": {"get"},
    "/api/v1/regencies/{code}/flag/": {"post"},
    "/api/v1/regencies/{code}/suspension-requests/": {"post"},
    "/api/v1/regencies/{code}/evidence/": {"post"},
    "/api/v1/regencies/{code}/remediation/": {"post"},
    "/api/v1/regencies/{code}/reject-remediation/": {"post"},
    "/api/v1/regencies/{code}/reconnection/": {"post"},
    "/api/v1/regencies/{code}/clear/": {"post"},
    "/api/v1/suspension-requests/": {"get"},
    "/api/v1/suspension-requests/{id}/": {"get"},
    "/api/v1/remediations/{id}/": {"get"},
    "/api/v1/suspension-requests/{id}/approve/": {"post"},
    "/api/v1/suspension-requests/{id}/reject/": {"post"},
    "/api/v1/evidence/{id}/": {"get"},
    # access orders (issue 19)
    "/api/v1/access-orders/": {"get"},
    "/api/v1/access-orders/{id}/": {"get"},
    "/api/v1/access-orders/{id}/execute/": {"post"},
    "/api/v1/downtime/": {"get"},
    # workflow (issue 4)
    "/api/v1/directives/": {"get", "post"},
    "/api/v1/directives/{id}/": {"get"},
    "/api/v1/directives/{id}/issue/": {"post"},
    "/api/v1/directives/{id}/withdraw/": {"post"},
    "/api/v1/assignments/": {"get"},
    "/api/v1/assignments/{id}/": {"get"},
    "/api/v1/assignments/{id}/acknowledge/": {"post"},
    "/api/v1/assignments/{id}/start/": {"post"},
    "/api/v1/assignments/{id}/submit/": {"post"},
    "/api/v1/assignments/{id}/verify/": {"post"},
    "/api/v1/assignments/{id}/return/": {"post"},
    "/api/v1/assignments/{id}/extension-requests/": {"post"},
    "/api/v1/assignments/{id}/timeline/": {"get"},
    "/api/v1/extension-requests/": {"get"},
    "/api/v1/extension-requests/{id}/approve/": {"post"},
    "/api/v1/extension-requests/{id}/reject/": {"post"},
    "/api/v1/letters/": {"get"},
    "/api/v1/letters/{id}/": {"get"},
    "/api/v1/letters/{id}/pdf/": {"get"},
    "/api/v1/letters/verify/": {"get", "post"},
    "/api/v1/sanction-proposals/": {"get"},
    "/api/v1/sanction-proposals/{id}/": {"get"},
    "/api/v1/sanction-proposals/{id}/sign/": {"post"},
    "/api/v1/sanction-proposals/{id}/decline/": {"post"},
    "/api/v1/auth/tokens/": {"get", "post"},
    "/api/v1/auth/tokens/{name}/": {"delete"},
    "/api/v1/auth/tokens/{name}/rotate/": {"post"},
    # equipment (issue 7)
    "/api/v1/devices/": {"get", "post"},
    "/api/v1/devices/{id}/": {"get"},
    "/api/v1/devices/{id}/status/": {"post"},
    "/api/v1/regencies/{code}/equipment/": {"get"},
    # recording reports (issue 7)
    "/api/v1/recording/imports/": {"post"},
    "/api/v1/recording/imports/{id}/": {"get"},
    "/api/v1/regions/{code}/realisation/": {"get"},
    # the event feed (issue 19)
    "/api/v1/events/": {"get"},
    "/api/v1/webhook-subscriptions/": {"get", "post"},
    "/api/v1/webhook-subscriptions/{id}/": {"delete"},
    "/api/v1/webhook-subscriptions/{id}/rotate-secret/": {"post"},
    "/api/v1/webhook-subscriptions/{id}/replay/": {"post"},
    "/api/v1/webhook-subscriptions/{id}/deliveries/": {"get"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    # --fail-on-warn turns any warning into SchemaGenerationError (a failed test).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")


def test_every_endpoint_of_the_contract_is_described(schema):
    described = {
        path: set(methods) - {"parameters"}
        for path, methods in schema["paths"].items()
        if path.startswith("/api/v1/") and "schema" not in path
    }
    assert described == ENDPOINTS


def test_the_regency_shape_is_the_contract(schema):
    regency = schema["components"]["schemas"]["Regency"]
    assert set(regency["properties"]) == {
        "code",
        "name",
        "kind",
        "province",
        "state",
        "open_case",
        "open_suspension",
        "pending_suspension_request",
        "issued_order",
        "downtime_days",
        "residents_affected",
        "available_transitions",
    }
    assert regency["properties"]["residents_affected"]["nullable"] is True
    assert "wajib KTP-el" in regency["properties"]["residents_affected"]["description"]
    states = schema["components"]["schemas"]["ComplianceStateEnum"]["enum"]
    assert states == ["compliant", "flagged", "suspended", "remediated", "reconnected"]


def test_errors_are_described_as_problem_details(schema):
    post = schema["paths"]["/api/v1/regencies/{code}/reconnection/"]["post"]
    for status in ("401", "403", "404", "409"):
        assert "application/problem+json" in post["responses"][status]["content"]


@pytest.mark.django_db
def test_the_schema_and_the_docs_are_served():
    client = client_for(official("auditor"))
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
