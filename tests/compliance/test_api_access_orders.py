"""The access orders through the API: the network operators' queue, the confirmation of a
cut or a restoration (with a person's session or the network system's API token), and
the orders as the regencies and the suspension requests show them."""

import datetime as dt
from io import StringIO
from urllib.parse import urlencode

import pytest
import time_machine
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.test import APIClient

from compliance import services
from compliance.models import (
    AccessOrder,
    ComplianceState,
    SuspensionPeriod,
    TransitionLog,
)
from compliance.offices import active_offices
from tests.compliance.api_helpers import client_for
from tests.compliance.scenario import MERANGIN, TEBO, Cast, flag, remediate, state_of
from tests.factories import official

S = ComplianceState
pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
DECIDED = dt.datetime(2017, 5, 10, 9, 0, tzinfo=WIB)  # the director approves the cut
DUE = DECIDED + dt.timedelta(hours=24)  # ACCESS_ORDER_DUE_HOURS' default
URL = "/api/v1/access-orders/"


@pytest.fixture
def clock(settings):
    settings.ACCESS_ORDER_DUE_HOURS = 24
    with time_machine.travel(DECIDED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def operator():
    return official("network_operator")


def approved(cast, at=DECIDED):
    """Flagged, requested by the officer, approved by a director: the cut order."""
    flag(cast)
    request = services.request_suspension(
        regency=cast.regency, actor=cast.officer, reason="Tidak menindaklanjuti teguran"
    )
    return services.approve_suspension(
        request=request, actor=cast.director, reason="Disetujui", at=at
    )


@pytest.fixture
def cast(clock):
    return Cast.of(MERANGIN)


@pytest.fixture
def cut(cast):
    return approved(cast)


def get(user, url):
    response = client_for(user).get(url)
    assert response.status_code == 200, response.content
    return response.json()


def execute(user, order, body=None, fmt="json"):
    return client_for(user).post(f"{URL}{order.pk}/execute/", body or {}, format=fmt)


def iso(moment):
    """An instant as the API writes it."""
    return serializers.DateTimeField().to_representation(moment)


# --- the queue ----------------------------------------------------------------------


def test_the_operators_see_the_cut_a_director_ordered(cut, cast, operator):
    body = get(operator, URL)

    assert body["count"] == 1
    [item] = body["results"]
    assert item == {
        "id": cut.pk,
        "regency": MERANGIN,
        "regency_name": "Kabupaten Merangin",
        "kind": "cut",
        "state": "issued",
        "reason": "Disetujui",
        "request": cut.request_id,
        "issued_by": cast.director.username,
        "issued_office": cut.issued_office.title,
        "issued_at": iso(DECIDED),
        "due_at": iso(DUE),
        "escalated_at": None,
        "executed_by": None,
        "executed_office": None,
        "executed_at": None,
        "reference": "",
        "cancelled_at": None,
        "cancel_reason": "",
        "overdue": False,
    }
    assert get(operator, f"{URL}{cut.pk}/") == item


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [(DUE - dt.timedelta(minutes=1), False), (DUE, True), (DUE + dt.timedelta(minutes=1), True)],
)
def test_an_order_still_waiting_at_its_due_instant_is_overdue(
    cut, operator, clock, moment, overdue
):
    clock.move_to(moment)

    assert get(operator, f"{URL}{cut.pk}/")["overdue"] is overdue
    assert get(operator, URL)["results"][0]["overdue"] is overdue


def test_an_executed_order_is_never_overdue(cut, operator, clock):
    services.execute_access_order(order=cut, actor=operator)
    clock.move_to(DUE + dt.timedelta(days=3))

    assert get(operator, f"{URL}{cut.pk}/")["overdue"] is False


def test_a_regency_sees_its_own_orders_and_no_other(cut):
    merangin = official("regency_dukcapil_head", MERANGIN)
    tebo = official("regency_dukcapil_head", TEBO)

    assert [o["id"] for o in get(merangin, URL)["results"]] == [cut.pk]
    assert get(tebo, URL)["results"] == []
    response = client_for(tebo).get(f"{URL}{cut.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_queue_is_oldest_first_and_filters_by_state_kind_and_regency(cut, operator, clock):
    clock.move_to(DECIDED + dt.timedelta(hours=1))
    tebo = approved(Cast.of(TEBO), at=DECIDED + dt.timedelta(hours=1))
    services.execute_access_order(order=tebo, actor=operator)

    def ids(query=""):
        return [o["id"] for o in get(operator, f"{URL}{query}")["results"]]

    assert ids() == [cut.pk, tebo.pk]
    assert ids("?state=issued") == [cut.pk]
    assert ids("?state=executed") == [tebo.pk]
    assert ids("?state=cancelled") == []
    assert ids("?kind=cut") == [cut.pk, tebo.pk]
    assert ids("?kind=restore") == []
    assert ids(f"?regency={TEBO}") == [tebo.pk]
    assert ids(f"?regency={MERANGIN}&state=executed") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=done", "state"),
        ("?state=", "state"),
        ("?kind=suspend", "kind"),
        ("?kind=", "kind"),
        ("?regency=15", "regency"),
        ("?regency=15.02.01", "regency"),
        ("?regency=", "regency"),
    ],
)
def test_a_bad_filter_is_refused_naming_it(cut, operator, query, field):
    response = client_for(operator).get(f"{URL}{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == [field]


def test_the_queue_is_paginated_like_the_other_lists(cut, operator, settings):
    body = get(operator, f"{URL}?page=1")
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)

    assert client_for(operator).get(f"{URL}?page=2").status_code == 404
    assert client_for(operator).get(f"{URL}?page=last").status_code == 404


def _queue_queries(user):
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.json()


def test_the_queue_costs_the_same_number_of_queries_whatever_its_length(
    cut, operator, clock, django_assert_max_num_queries
):
    few, _ = _queue_queries(operator)

    services.execute_access_order(order=cut, actor=operator, reference="CHG-1")
    for code in ("15.01", "15.03", "15.04", TEBO):
        approved(Cast.of(code))
    many, body = _queue_queries(operator)

    assert body["count"] == 5
    assert many == few, (few, many)
    with django_assert_max_num_queries(4):  # the count and the page
        client_for(operator).get(URL)


# --- confirming the cut ----------------------------------------------------------------


def test_an_operator_confirms_the_cut_and_the_regency_is_suspended_from_then(
    cut, cast, operator, clock
):
    clock.move_to(DECIDED + dt.timedelta(hours=5))
    cut_at = DECIDED + dt.timedelta(hours=3)

    response = execute(
        operator, cut, {"executed_at": cut_at.isoformat(), "reference": "CHG-2017-0415"}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["executed_at"], body["reference"]) == (
        "executed",
        iso(cut_at),
        "CHG-2017-0415",
    )
    assert body["executed_by"] == operator.username
    assert body["executed_office"] == active_offices(operator)[0].title
    assert state_of(cast.regency) == S.SUSPENDED
    period = SuspensionPeriod.objects.get(regency=cast.regency)
    assert (period.started_at, period.ended_at) == (cut_at, None)
    log = TransitionLog.objects.filter(regency=cast.regency).latest("id")
    assert (log.transition, log.actor, log.at) == ("suspend", operator, cut_at)


def test_without_a_time_the_cut_took_effect_now(cut, cast, operator, clock):
    now = DECIDED + dt.timedelta(minutes=40)
    clock.move_to(now)

    response = execute(operator, cut)

    assert response.status_code == 200, response.content
    assert response.json()["executed_at"] == iso(now)
    assert SuspensionPeriod.objects.get(regency=cast.regency).started_at == now


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_a_form_body_is_taken_too(cut, operator, clock, fmt):
    clock.move_to(DECIDED + dt.timedelta(hours=1))
    client = client_for(operator)
    body = {"executed_at": (DECIDED + dt.timedelta(minutes=30)).isoformat(), "reference": "T-1"}
    if fmt == "form":
        response = client.post(
            f"{URL}{cut.pk}/execute/",
            urlencode(body),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.post(f"{URL}{cut.pk}/execute/", body, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["reference"] == "T-1"


def test_a_director_cannot_confirm_an_execution(cut, cast):
    response = execute(cast.other_director, cut)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    cut.refresh_from_db()
    assert cut.state == "issued"
    assert state_of(cast.regency) == S.FLAGGED


@pytest.mark.parametrize(
    ("executed_at", "code"),
    [
        (DECIDED + dt.timedelta(minutes=1), "in_future"),
        (DECIDED - dt.timedelta(minutes=1), "before_issue"),
    ],
)
def test_a_time_in_the_future_or_before_the_order_is_refused(
    cut, cast, operator, executed_at, code
):
    response = execute(operator, cut, {"executed_at": executed_at.isoformat()})

    assert response.status_code == 422
    assert response.json()["errors"] == {"executed_at": [code]}
    assert AccessOrder.objects.get(pk=cut.pk).state == "issued"
    assert state_of(cast.regency) == S.FLAGGED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"executed_at": "kemarin"}, "executed_at"),
        ({"reference": "x" * 101}, "reference"),
        ({"reference": 12}, "reference"),
    ],
)
def test_a_malformed_body_is_refused_naming_the_field(cut, operator, body, field):
    response = execute(operator, cut, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_confirming_again_answers_the_order_unchanged(cut, cast, operator, clock):
    clock.move_to(DECIDED + dt.timedelta(hours=2))
    first = execute(operator, cut, {"reference": "CHG-1"}).json()
    clock.move_to(DECIDED + dt.timedelta(hours=3))

    again = execute(official("network_operator"), cut, {"reference": "CHG-2"})

    assert again.status_code == 200
    assert again.json() == first
    assert TransitionLog.objects.filter(regency=cast.regency, transition="suspend").count() == 1
    assert SuspensionPeriod.objects.filter(regency=cast.regency).count() == 1


def test_a_cancelled_order_cannot_be_confirmed(cut, cast, operator, clock):
    # The regency remedied before the cut was carried out and the officer cleared the
    # case: the cut is moot.
    remediate(cast)
    services.clear_regency(regency=cast.regency, actor=cast.officer, reason="Patuh")
    cut.refresh_from_db()
    assert cut.state == "cancelled"

    response = execute(operator, cut)

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert get(operator, f"{URL}{cut.pk}/")["state"] == "cancelled"
    assert state_of(cast.regency) == S.COMPLIANT


def test_the_network_system_confirms_with_the_token_add_official_prints(cut, cast, clock):
    out = StringIO()
    call_command(
        "add_official",
        "jaringan",
        "--office",
        "network_operator",
        "--email",
        "noc@kemendagri.go.id",
        "--token",
        stdout=out,
    )
    token = out.getvalue().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    queue = client.get(f"{URL}?state=issued")
    response = client.post(f"{URL}{cut.pk}/execute/", {"reference": "NOC-77"}, format="json")

    assert queue.status_code == 200
    assert [o["id"] for o in queue.json()["results"]] == [cut.pk]
    assert response.status_code == 200, response.content
    assert (response.json()["executed_by"], response.json()["reference"]) == ("jaringan", "NOC-77")
    assert state_of(cast.regency) == S.SUSPENDED


# --- the restoration ------------------------------------------------------------------


def test_a_reconnection_orders_the_restoration_which_the_operators_confirm(
    cut, cast, operator, clock
):
    services.execute_access_order(order=cut, actor=operator)
    clock.move_to(DECIDED + dt.timedelta(days=10))
    remediate(cast)

    ordered = client_for(cast.director).post(
        f"/api/v1/regencies/{MERANGIN}/reconnection/", {"reason": "Perbaikan diterima"}
    )

    assert ordered.status_code == 200, ordered.content
    restore = ordered.json()
    assert (restore["kind"], restore["state"], restore["reason"]) == (
        "restore",
        "issued",
        "Perbaikan diterima",
    )
    assert restore["request"] is None
    assert state_of(cast.regency) == S.REMEDIATED  # still cut off until it is carried out

    clock.move_to(DECIDED + dt.timedelta(days=10, hours=2))
    response = client_for(operator).post(f"{URL}{restore['id']}/execute/", {}, format="json")

    assert response.status_code == 200, response.content
    assert state_of(cast.regency) == S.RECONNECTED
    period = SuspensionPeriod.objects.get(regency=cast.regency)
    assert period.ended_at == DECIDED + dt.timedelta(days=10, hours=2)
    assert [o["kind"] for o in get(operator, f"{URL}?state=executed")["results"]] == [
        "cut",
        "restore",
    ]


# --- the orders as requests and regencies show them --------------------------------------


def test_a_suspension_request_names_the_order_its_approval_issued(cut, cast):
    tebo = Cast.of(TEBO)
    flag(tebo)
    pending = services.request_suspension(regency=tebo.regency, actor=tebo.officer, reason="x")

    detail = get(cast.officer, f"/api/v1/suspension-requests/{cut.request_id}/")
    listed = {r["id"]: r for r in get(cast.officer, "/api/v1/suspension-requests/")["results"]}

    assert detail["access_order"] == cut.pk
    assert detail["status"] == "approved"
    assert detail["period"] is None  # opened when the cut is carried out
    assert [r["access_order"] for r in detail["case_file"]["suspension_requests"]] == [cut.pk]
    assert listed[cut.request_id]["access_order"] == cut.pk
    assert listed[pending.pk]["access_order"] is None


def test_approving_through_the_api_answers_the_request_with_its_order(cast, clock):
    flag(cast)
    request = services.request_suspension(regency=cast.regency, actor=cast.officer, reason="x")

    response = client_for(cast.director).post(
        f"/api/v1/suspension-requests/{request.pk}/approve/", {}, format="json"
    )

    assert response.status_code == 200, response.content
    order = AccessOrder.objects.get(request=request)
    assert response.json()["access_order"] == order.pk
    assert state_of(cast.regency) == S.FLAGGED


def test_a_regency_shows_the_order_waiting_for_the_operators(cut, cast, operator):
    expected = {
        "id": cut.pk,
        "kind": "cut",
        "state": "issued",
        "issued_at": iso(DECIDED),
        "due_at": iso(DUE),
    }
    listed = {r["code"]: r for r in get(cast.officer, "/api/v1/regencies/?province=15")["results"]}

    assert get(cast.officer, f"/api/v1/regencies/{MERANGIN}/")["issued_order"] == expected
    assert listed[MERANGIN]["issued_order"] == expected
    assert listed[TEBO]["issued_order"] is None
    assert (
        "execute_access_order"
        in get(operator, f"/api/v1/regencies/{MERANGIN}/")["available_transitions"]
    )

    services.execute_access_order(order=cut, actor=operator)

    assert get(cast.officer, f"/api/v1/regencies/{MERANGIN}/")["issued_order"] is None


def test_the_lists_cost_no_query_per_order_or_request(cut, cast, operator, clock):
    def queries(url):
        client = client_for(cast.officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/api/v1/regencies/?province=15", "/api/v1/suspension-requests/"]
    # One pending request already: its relations are the one query all of them cost.
    flag(Cast.of("15.71"))
    services.request_suspension(regency=Cast.of("15.71").regency, actor=cast.officer, reason="x")
    few = [queries(url) for url in urls]

    for code in ("15.01", "15.03", "15.04", TEBO):
        services.execute_access_order(order=approved(Cast.of(code)), actor=operator)
    flag(Cast.of("15.05"))
    services.request_suspension(regency=Cast.of("15.05").regency, actor=cast.officer, reason="x")

    assert [queries(url) for url in urls] == few


# --- the schema --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_access_orders_are_in_the_schema(schema):
    paths = schema["paths"]
    assert set(paths[URL]) == {"get"}
    assert set(paths[URL + "{id}/"]) == {"get"}
    execute_op = paths[URL + "{id}/execute/"]["post"]
    assert set(execute_op["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "422",
        "429",
    }
    assert "application/problem+json" in execute_op["responses"]["422"]["content"]
    parameters = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert parameters == {"state", "kind", "regency", "page", "cursor", "limit", "count"}
    components = schema["components"]["schemas"]
    assert {"executed_at", "reference"} == set(components["ExecuteInput"]["properties"])
    assert components["AccessOrderStateEnum"]["enum"] == ["issued", "executed", "cancelled"]
    assert components["AccessOrderKindEnum"]["enum"] == ["cut", "restore"]
    assert "issued_order" in components["Regency"]["properties"]
    assert "access_order" in components["SuspensionRequest"]["properties"]
    reconnection = paths["/api/v1/regencies/{code}/reconnection/"]["post"]["responses"]["200"]
    assert reconnection["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AccessOrder"
    }
