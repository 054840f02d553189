"""Reading regencies: jurisdiction, filters, the detail's shape, what the caller may do
now, downtime, the suspension queue, and a list that costs the same whatever its size."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import can_proceed

from compliance import services
from tests.compliance import api_helpers as h
from tests.factories import official

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MERANGIN, TEBO, BUNGO, SAROLANGUN = "15.02", "15.09", "15.08", "15.03"
PALEMBANG = "16.71"  # Sumatera Selatan: another province


def get(user, url):
    response = h.client_for(user).get(url)
    assert response.status_code == 200, response.content
    return response.json()


def codes(user, query=""):
    return [r["code"] for r in get(user, f"/api/v1/regencies/?{query}")["results"]]


# --- jurisdiction and filters ---------------------------------------------------


def test_national_offices_see_the_whole_country_page_by_page():
    auditor = official("auditor")
    h.suspend(PALEMBANG)
    body = get(auditor, "/api/v1/regencies/")
    assert body["count"] == 514
    assert len(body["results"]) == 100
    assert body["next"] is not None
    pages = [body["results"]]
    while body["next"]:  # each page its own compiled read, in code order, with situations
        body = get(auditor, body["next"])
        pages.append(body["results"])
    listed = [r["code"] for page in pages for r in page]
    assert [len(page) for page in pages] == [100, 100, 100, 100, 100, 14]
    assert listed == sorted(listed) and len(set(listed)) == 514
    palembang = next(r for page in pages for r in page if r["code"] == PALEMBANG)
    assert palembang["state"] == "suspended" and palembang["open_suspension"] is not None


def test_a_page_past_the_last_one_is_not_found():
    client = h.client_for(official("governor", "15"))  # 11 regencies: one page
    assert client.get("/api/v1/regencies/?page=1").status_code == 200
    for page in ("2", "0", "satu"):
        response = client.get(f"/api/v1/regencies/?page={page}")
        assert response.status_code == 404, page
        assert response["Content-Type"] == "application/problem+json"


def test_a_governor_sees_the_eleven_regencies_of_the_province():
    assert codes(official("governor", "15")) == [
        "15.01",
        "15.02",
        "15.03",
        "15.04",
        "15.05",
        "15.06",
        "15.07",
        "15.08",
        "15.09",
        "15.71",
        "15.72",
    ]


def test_a_regent_sees_only_the_own_regency():
    assert codes(official("regent", TEBO)) == [TEBO]


def test_a_user_without_an_office_sees_nothing():
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("tanpa-jabatan")
    assert codes(nobody) == []


def test_filter_by_province_and_state():
    h.suspend(MERANGIN)
    h.suspend(PALEMBANG)
    h.flag(TEBO)
    minister = official("minister")
    assert codes(minister, "province=15&state=suspended") == [MERANGIN]
    assert codes(minister, "state=suspended") == [MERANGIN, PALEMBANG]
    assert codes(minister, "province=15&state=flagged") == [TEBO]
    assert codes(official("governor", "16"), "state=suspended") == [PALEMBANG]


def test_an_unknown_state_filter_is_invalid_input():
    response = h.client_for(official("auditor")).get("/api/v1/regencies/?state=cut")
    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_detail_outside_the_jurisdiction_is_not_found():
    response = h.client_for(official("regent", TEBO)).get(f"/api/v1/regencies/{MERANGIN}/")
    assert response.status_code == 404


# --- the detail -------------------------------------------------------------------


def test_detail_of_a_compliant_regency():
    body = get(official("auditor"), f"/api/v1/regencies/{MERANGIN}/")
    assert body == {
        "code": MERANGIN,
        "name": "Kabupaten Merangin",
        "kind": "kabupaten",
        "province": {"code": "15", "name": "Jambi"},
        "state": "compliant",
        "open_case": None,
        "open_suspension": None,
        "pending_suspension_request": None,
        "downtime_days": 0.0,
        "residents_affected": None,
        "issued_order": None,  # no access order waits for the network operators
        "available_transitions": [],
        "case_file": None,  # it never had a case
    }


def test_detail_lists_the_open_violations_with_their_ids_and_the_pending_request():
    with time_machine.travel(dt.datetime(2017, 5, 2, 9, 0, tzinfo=WIB), tick=False):
        officer = official("ministry_officer")
        hr = h.flag(MERANGIN, kind="hr", actor=officer)
        organisational = h.flag(MERANGIN, kind="organisational", actor=officer)
        request = h.request_suspension(MERANGIN, actor=officer)
        body = get(official("governor", "15"), f"/api/v1/regencies/{MERANGIN}/")

    assert body["state"] == "flagged"
    assert body["open_case"]["id"] == hr.case_id
    assert body["open_case"]["opened_at"] == "2017-05-02T09:00:00+07:00"
    assert body["open_case"]["open_violations"] == [
        {
            "id": hr.pk,
            "kind": "hr",
            "description": hr.description,
            "legal_basis": "UU 24/2013 Pasal 83A",
            "flagged_at": "2017-05-02T09:00:00+07:00",
        },
        {
            "id": organisational.pk,
            "kind": "organisational",
            "description": organisational.description,
            "legal_basis": "UU 24/2013 Pasal 83A",
            "flagged_at": "2017-05-02T09:00:00+07:00",
        },
    ]
    pending = body["pending_suspension_request"]
    assert pending["id"] == request.pk
    assert pending["status"] == "pending"
    assert pending["requested_by"] == officer.username
    assert body["open_suspension"] is None


def test_detail_of_a_suspended_regency_counts_its_downtime():
    with time_machine.travel(dt.datetime(2017, 5, 17, 10, 0, tzinfo=WIB), tick=False) as clock:
        period = h.suspend(MERANGIN)
        auditor = official("auditor")
        clock.shift(dt.timedelta(days=10, hours=12))
        body = get(auditor, f"/api/v1/regencies/{MERANGIN}/")
    assert body["state"] == "suspended"
    assert body["open_suspension"] == {"id": period.pk, "started_at": "2017-05-17T10:00:00+07:00"}
    assert body["downtime_days"] == 10.5


# --- what the caller may do now ---------------------------------------------------------


def _transitions(user, code=MERANGIN):
    return set(get(user, f"/api/v1/regencies/{code}/")["available_transitions"])


def test_available_transitions_of_a_compliant_regency():
    assert _transitions(official("ministry_officer")) == {"flag"}
    assert _transitions(official("ministry_director")) == set()
    assert _transitions(official("regent", MERANGIN)) == {"upload_evidence"}
    assert _transitions(official("governor", "15")) == set()


def test_available_transitions_of_a_flagged_regency():
    h.flag(MERANGIN)
    assert _transitions(official("ministry_officer")) == {"flag", "request_suspension"}
    assert _transitions(official("ministry_director")) == set()
    assert _transitions(official("regency_dukcapil_head", MERANGIN)) == {
        "upload_evidence",
        "submit_remediation",
    }
    assert _transitions(official("auditor")) == set()


def test_a_pending_request_is_decided_by_anyone_but_its_requester():
    minister = official("minister")
    h.flag(MERANGIN)
    h.request_suspension(MERANGIN, actor=minister)
    assert _transitions(minister) == {"flag"}
    assert _transitions(official("director_general")) == {
        "flag",
        "approve_suspension",
        "reject_suspension",
    }
    assert _transitions(official("ministry_director")) == {
        "approve_suspension",
        "reject_suspension",
    }
    assert _transitions(official("ministry_officer")) == {"flag"}


def test_available_transitions_of_a_suspended_then_remediated_regency():
    h.suspend(MERANGIN)
    officer, director = official("ministry_officer"), official("ministry_director")
    regent = official("regent", MERANGIN)
    assert _transitions(officer) == {"flag"}
    assert _transitions(director) == set()
    assert _transitions(regent) == {"upload_evidence", "submit_remediation"}
    h.remediate(MERANGIN)
    assert _transitions(officer) == {"reject_remediation"}
    assert _transitions(director) == {"reconnect"}
    assert _transitions(regent) == {"upload_evidence"}
    h.reconnect(MERANGIN)
    assert _transitions(officer) == {"flag", "clear"}
    assert _transitions(director) == set()


def test_a_remediation_without_suspension_may_be_cleared_but_not_reconnected():
    h.flag(MERANGIN)
    h.remediate(MERANGIN)
    assert _transitions(official("ministry_officer")) == {"reject_remediation", "clear"}
    assert _transitions(official("ministry_director")) == set()
    assert _transitions(official("minister")) == {"reject_remediation", "clear"}


STEPS = {"flag": h.flag, "suspend": h.suspend, "remediate": h.remediate, "reconnect": h.reconnect}
FSM_ACTIONS = {
    "submit_remediation": "submit_remediation",
    "reject_remediation": "reject_remediation",
    "reconnect": "reconnect",
    "clear": "clear",
}


@pytest.mark.parametrize(
    "steps",
    [
        [],
        ["flag"],
        ["suspend"],
        ["flag", "remediate"],
        ["suspend", "remediate"],
        ["suspend", "remediate", "reconnect"],
    ],
    ids=lambda steps: "-".join(steps) or "compliant",
)
def test_available_transitions_agree_with_the_fsm_and_its_conditions(steps):
    """availability.py evaluates the fsm conditions from prefetched data: same answers."""
    for step in steps:
        STEPS[step](MERANGIN)
    regency = h.regency(MERANGIN)
    minister, head = official("minister"), official("regency_dukcapil_head", MERANGIN)
    offered = _transitions(minister) | _transitions(head)
    for action, method in FSM_ACTIONS.items():
        assert (action in offered) == can_proceed(getattr(regency, method)), action


# --- no N+1 -----------------------------------------------------------------------


def _list_queries(user):
    client = h.client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/regencies/?province=15")
    assert response.status_code == 200
    return len(queries), response.json()


def test_the_list_costs_the_same_number_of_queries_whatever_the_regencies_hold():
    minister = official("minister")
    h.flag(MERANGIN)
    few, _ = _list_queries(minister)

    h.suspend(TEBO)
    h.suspend(BUNGO)
    h.remediate(BUNGO)
    h.flag(SAROLANGUN)
    h.request_suspension(SAROLANGUN)
    h.flag("15.01")
    h.remediate("15.01")
    # Access orders waiting for the network operators: a cut, and a restoration.
    h.flag("15.05")
    director = official("ministry_director")
    services.approve_suspension(request=h.request_suspension("15.05"), actor=director)
    h.suspend("15.06")
    h.remediate("15.06")
    services.reconnect_regency(regency=h.regency("15.06"), actor=director)
    many, body = _list_queries(minister)

    # The offices, the count, the page with its situations (compliance.selectors.
    # with_situations, the pending requests joined), the residents (no stored figures here:
    # looked for, then summed from the reports), the open violations; and once a regency
    # has a pending request, one more for the relations of every pending request.
    assert many == few + 1 == 7, (few, many)
    offered = {r["code"]: r["available_transitions"] for r in body["results"]}
    assert offered[MERANGIN] == ["flag", "request_suspension"]
    assert offered[TEBO] == ["flag"]
    assert offered[BUNGO] == ["reject_remediation", "reconnect"]
    assert offered[SAROLANGUN] == ["flag", "approve_suspension", "reject_suspension"]
    assert offered["15.01"] == ["reject_remediation", "clear"]
    assert offered["15.04"] == ["flag"]
    # While an order waits: no second request, no reconnection, no rejection of a remediation.
    assert offered["15.05"] == ["flag"]
    assert offered["15.06"] == []
    waiting = {r["code"]: r["issued_order"] for r in body["results"] if r["issued_order"]}
    assert {code: order["kind"] for code, order in waiting.items()} == {
        "15.05": "cut",
        "15.06": "restore",
    }


def test_the_whole_country_is_listed_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    for code in (MERANGIN, TEBO, PALEMBANG):
        h.suspend(code)
    client = h.client_for(official("ministry_officer"))
    # The offices, the count, the page with its situations, the pending requests, the
    # residents (looked for in the stored figures, then summed: none stored here), the open
    # violations (compliance.selectors.describe).
    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/regencies/?page=1")
    assert response.json()["count"] == 514


# --- the suspension queue -----------------------------------------------------------


def test_the_directors_queue_lists_pending_requests_in_the_jurisdiction():
    h.flag(MERANGIN)
    h.flag(TEBO)
    h.flag(PALEMBANG)
    merangin = h.request_suspension(MERANGIN)
    tebo = h.request_suspension(TEBO)
    palembang = h.request_suspension(PALEMBANG)
    director = official("ministry_director")
    services.reject_suspension(request=tebo, actor=director, reason="Beri waktu")

    def queue(user, query="?status=pending"):
        return [r["id"] for r in get(user, f"/api/v1/suspension-requests/{query}")["results"]]

    assert sorted(queue(director)) == sorted([merangin.pk, palembang.pk])
    assert sorted(queue(director, "")) == sorted([merangin.pk, tebo.pk, palembang.pk])
    assert queue(director, "?status=rejected") == [tebo.pk]
    assert queue(official("governor", "15")) == [merangin.pk]
    assert queue(official("regent", TEBO), "") == [tebo.pk]


def test_an_unknown_request_status_is_invalid_input():
    response = h.client_for(official("ministry_director")).get(
        "/api/v1/suspension-requests/?status=maybe"
    )
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


# --- downtime -------------------------------------------------------------------------


def test_downtime_per_regency_province_and_country_over_the_jurisdiction():
    start = dt.datetime(2017, 5, 17, 10, 0, tzinfo=WIB)
    with time_machine.travel(start, tick=False) as clock:
        minister, governor = official("minister"), official("governor", "15")
        for code in (MERANGIN, TEBO, PALEMBANG):
            h.suspend(code)
        clock.shift(dt.timedelta(days=30))
        h.remediate(MERANGIN)
        h.reconnect(MERANGIN)  # 30 days, closed
        clock.shift(dt.timedelta(days=20))
        h.flag(MERANGIN)
        h.suspend(MERANGIN)  # a second period, open: 12 more days by the end
        clock.shift(dt.timedelta(days=12))

        def report(user, level):
            return get(user, f"/api/v1/downtime/?level={level}")

        assert report(minister, "regency") == [
            {"code": MERANGIN, "name": "Kabupaten Merangin", "downtime_days": 42.0},
            {"code": TEBO, "name": "Kabupaten Tebo", "downtime_days": 62.0},
            {"code": PALEMBANG, "name": "Kota Palembang", "downtime_days": 62.0},
        ]
        assert report(minister, "province") == [
            {"code": "15", "name": "Jambi", "downtime_days": 104.0},
            {"code": "16", "name": "Sumatera Selatan", "downtime_days": 62.0},
        ]
        assert report(minister, "country") == [
            {"code": None, "name": "Indonesia", "downtime_days": 166.0}
        ]
        assert report(governor, "country") == [
            {"code": None, "name": "Indonesia", "downtime_days": 104.0}
        ]
        assert [r["code"] for r in report(governor, "regency")] == [MERANGIN, TEBO]
        assert get(minister, "/api/v1/downtime/")[0]["code"] == MERANGIN  # regency by default
        assert get(governor, f"/api/v1/regencies/{MERANGIN}/")["downtime_days"] == 42.0


def test_an_unknown_downtime_level_is_invalid_input():
    response = h.client_for(official("auditor")).get("/api/v1/downtime/?level=district")
    assert response.status_code == 400
    assert "level" in response.json()["errors"]
