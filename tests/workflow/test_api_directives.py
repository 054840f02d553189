"""Directives through the API: drafting, issuing to Jambi, counts by state, overdue and
escalation level, who may see and do what, and withdrawal."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PSN, official
from tests.workflow import api_helpers as h
from workflow.escalation import sweep
from workflow.models import Assignment, Directive

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

STATES = ["issued", "acknowledged", "in_progress", "submitted", "verified", "returned"]
ZERO_STATES = dict.fromkeys([*STATES, "withdrawn"], 0)
PSN_STEPS = [
    "ack-reminder",
    "due-reminder",
    "overdue-notice",
    "written-warning-1",
    "written-warning-2",
    "escalate-to-minister",
]


def levels(*counts):
    """by_escalation_level of the default policy, from the counts of levels 0, 1, 2..."""
    counts = list(counts) + [0] * (7 - len(counts))
    steps = [None, *PSN_STEPS]
    return [{"level": i, "step": steps[i], "count": n} for i, n in enumerate(counts)]


# --- drafting -----------------------------------------------------------------------


def test_a_draft_answers_with_its_id_and_the_shape_of_a_directive(clock, officer):
    body = h.post(officer, "/api/v1/directives/", h.directive_input({"province": "15"}), 201)
    directive = Directive.objects.get()
    assert body == {
        "id": directive.pk,
        "title": "Percepatan perekaman KTP-el",
        "body": "Selesaikan perekaman KTP-el penduduk wajib KTP-el sebelum batas waktu.",
        "legal_basis": "UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
        "document_kind": "surat_direktur_jenderal",
        "programme_basis": PSN["programme_basis"],
        "issuing_office": directive.issuing_office.title,
        "due_date": "2026-11-20",
        "priority": "normal",
        "policy": "program-strategis-nasional",
        "scope": {"province": "15"},
        "state": "draft",
        "created_at": "2026-11-02T10:00:00+07:00",
        "issued_at": None,
        "withdrawn_at": None,
        "assignment_counts": {
            "total": 0,
            "by_state": ZERO_STATES,
            "overdue": 0,
            "by_escalation_level": levels(),
        },
    }
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    "scope",
    [{"all_regencies": True}, {"all_provinces": True}, {"regions": ["15.02", "15.09", "91"]}],
)
def test_every_kind_of_scope_is_echoed(clock, officer, scope):
    pk = h.draft(officer, scope, priority="urgent", policy="hak-akses-siak")
    body = h.get(officer, f"/api/v1/directives/{pk}/")
    assert (body["scope"], body["priority"], body["policy"]) == (
        scope,
        "urgent",
        "hak-akses-siak",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"due_date": "20/11/2026"}, "due_date"),
        ({"priority": "critical"}, "priority"),
        ({"scope": {}}, "scope"),
        ({"scope": {"province": "15", "all_regencies": True}}, "scope"),
        ({"scope": {"regions": []}}, "scope"),
        ({"scope": {"all_regencies": False}}, "scope"),
        ({"scope": {"province": 15}}, "scope"),
        ({"scope": {"province": "15", "regoins": ["15.02"]}}, "scope"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(clock, officer, change, field):
    response = h.client_for(officer).post(
        "/api/v1/directives/", {**h.directive_input({"province": "15"}), **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"scope": {"province": "99"}}, "scope.province"),
        ({"scope": {"regions": ["15.02", "15.99"]}}, "scope.regions"),
        ({"policy": "tidak-ada"}, "policy"),
    ],
)
def test_a_code_that_names_nothing_is_refused_by_name(clock, officer, change, field):
    """Well-formed, as the schema says, but naming no province, region or policy: 422."""
    response = h.client_for(officer).post(
        "/api/v1/directives/", {**h.directive_input({"province": "15"}), **change}, format="json"
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:ektp-compliance:problem:invalid-input"
    assert field in response.json()["errors"]
    assert not Directive.objects.exists()


def test_a_regent_may_not_draft_a_directive(clock):
    regent = official("regent", h.MERANGIN)
    response = h.client_for(regent).post(
        "/api/v1/directives/", h.directive_input({"province": "15"}), format="json"
    )
    assert response.status_code == 403
    assert response.json()["type"] == "urn:ektp-compliance:problem:not-allowed"
    assert not Directive.objects.exists()


# --- issuing ------------------------------------------------------------------------------


def test_a_directive_to_jambi_reaches_its_eleven_regencies_each_with_its_deadline(clock, officer):
    pk = h.draft(officer, {"province": "15"})
    body = h.post(officer, f"/api/v1/directives/{pk}/issue/")
    assert body["state"] == "issued"
    assert body["issued_at"] == "2026-11-02T10:00:00+07:00"
    assert body["assignment_counts"]["total"] == 11
    assert body["assignment_counts"]["by_state"] == {**ZERO_STATES, "issued": 11}

    listed = h.get(officer, f"/api/v1/assignments/?directive={pk}")
    assert listed["count"] == 11
    assert sorted(a["region"] for a in listed["results"]) == h.JAMBI_REGENCIES
    for a in listed["results"]:
        assert a["directive"] == {"id": pk, "title": "Percepatan perekaman KTP-el"}
        assert a["state"] == "issued"
        assert a["due_date"] == "2026-11-20"
        assert a["due_at"] == "2026-11-21T00:00:00+07:00"
        assert (a["due_at_local"], a["time_zone"]) == ("2026-11-21T00:00:00+07:00", "WIB")
        assert (a["next_step"], a["next_step_at"]) == ("ack-reminder", "2026-11-04T10:00:00+07:00")
        assert a["escalation_level"] == 0
        assert a["overdue"] is False
    offices = {a["office"]["title"]: a["office"]["kind"] for a in listed["results"]}
    assert offices["Bupati Merangin"] == "regent"
    assert offices["Wali Kota Jambi"] == "mayor"


def test_issuing_twice_is_a_conflict(clock, officer):
    pk = h.issue(officer)
    response = h.client_for(officer).post(f"/api/v1/directives/{pk}/issue/")
    assert response.status_code == 409
    assert Assignment.objects.filter(directive_id=pk).count() == 11


def test_a_due_date_already_past_at_issue_is_invalid(clock, officer):
    pk = h.draft(officer)
    clock.move_to(h.wib(2026, 11, 21, 9, 0), tick=False)
    response = h.client_for(officer).post(f"/api/v1/directives/{pk}/issue/")
    assert response.status_code == 422
    assert response.json()["errors"] == {"due_date": ["in_past"]}
    assert not Assignment.objects.exists()


def test_a_regent_may_not_issue_or_withdraw_and_never_sees_a_draft(clock, officer):
    regent = official("regent", h.MERANGIN)
    issued = h.issue(officer)
    for action in ("issue", "withdraw"):
        response = h.client_for(regent).post(f"/api/v1/directives/{issued}/{action}/")
        assert response.status_code == 403, action
    draft = h.draft(officer)
    assert h.client_for(regent).post(f"/api/v1/directives/{draft}/issue/").status_code == 404
    assert Directive.objects.get(pk=draft).state == "draft"
    assert Directive.objects.get(pk=issued).state == "issued"


# --- what the directive shows ----------------------------------------------------------------


def test_the_detail_counts_states_overdue_and_the_ladder_climbed(clock, officer):
    pk = h.issue(officer)
    regent, tebo = official("regent", h.MERANGIN), official("regent", h.TEBO)
    h.post(regent, h.url(h.assignment(pk, h.MERANGIN), "acknowledge"))

    clock.move_to(h.wib(2026, 11, 5, 9, 0), tick=False)
    sweep(now=h.wib(2026, 11, 5, 9, 0))  # the acknowledgement reminder, skipped for Merangin
    tebo_assignment = h.assignment(pk, h.TEBO)
    h.post(tebo, h.url(tebo_assignment, "acknowledge"))
    h.post(tebo, h.url(tebo_assignment, "submit"), {"note": "Perekaman selesai 100 %"})
    body = h.get(officer, f"/api/v1/directives/{pk}/")
    assert body["assignment_counts"] == {
        "total": 11,
        "by_state": {**ZERO_STATES, "issued": 9, "acknowledged": 1, "submitted": 1},
        "overdue": 0,
        "by_escalation_level": levels(1, 10),
    }

    clock.move_to(h.wib(2026, 11, 30, 8, 0), tick=False)  # written warning I (Monday)
    sweep(now=h.wib(2026, 11, 30, 8, 0))
    body = h.get(officer, f"/api/v1/directives/{pk}/")
    assert body["assignment_counts"] == {
        "total": 11,
        "by_state": {**ZERO_STATES, "issued": 9, "acknowledged": 1, "submitted": 1},
        "overdue": 10,
        "by_escalation_level": levels(0, 1, 0, 0, 10),
    }


def test_the_counts_print_as_their_declared_serializer_would(clock, officer):
    # The directive's counts are passed through (AssignmentCountsField), already in the
    # shape the schema declares: walked through AssignmentCountsSerializer they are the
    # same, keys, order and types.
    from workflow.api.serializers import AssignmentCountsSerializer

    pk = h.issue(officer)
    h.post(official("regent", h.MERANGIN), h.url(h.assignment(pk, h.MERANGIN), "acknowledge"))
    clock.move_to(h.wib(2026, 11, 30, 8, 0), tick=False)
    sweep(now=h.wib(2026, 11, 30, 8, 0))

    for body in (
        h.get(officer, f"/api/v1/directives/{pk}/"),
        h.get(officer, "/api/v1/directives/")["results"][0],
    ):
        printed = body["assignment_counts"]
        walked = AssignmentCountsSerializer(printed).data
        assert json.dumps(printed) == json.dumps(walked)
        assert printed["by_escalation_level"][1]["step"] == "ack-reminder"


def test_overdue_begins_at_the_due_instant(clock, officer):
    pk = h.issue(officer)
    clock.move_to(h.wib(2026, 11, 20, 23, 59), tick=False)
    assert h.get(officer, f"/api/v1/directives/{pk}/")["assignment_counts"]["overdue"] == 0
    clock.move_to(h.wib(2026, 11, 21, 0, 1), tick=False)
    assert h.get(officer, f"/api/v1/directives/{pk}/")["assignment_counts"]["overdue"] == 11


def test_who_sees_the_directive_and_how_much_of_it(clock, officer):
    pk = h.issue(officer)
    h.draft(officer)
    assert h.get(official("auditor"), "/api/v1/directives/")["count"] == 2
    governor = official("governor", "15")
    assert [d["id"] for d in h.get(governor, "/api/v1/directives/")["results"]] == [pk]
    assert h.get(governor, f"/api/v1/directives/{pk}/")["assignment_counts"]["total"] == 11
    regent = official("regent", h.MERANGIN)
    assert h.get(regent, f"/api/v1/directives/{pk}/")["assignment_counts"]["total"] == 1
    other_province = official("governor", "16")
    assert h.get(other_province, "/api/v1/directives/")["count"] == 0
    h.get(other_province, f"/api/v1/directives/{pk}/", expect=404)


def test_listing_directives_costs_the_same_for_one_or_five(clock, officer):
    h.issue(officer)

    def listing():
        with CaptureQueriesContext(connection) as queries:
            h.get(officer, "/api/v1/directives/")
        return len(queries)

    one = listing()
    for scope in ({"all_provinces": True}, {"regions": ["15.02"]}, {"province": "16"}):
        h.issue(officer, scope)
    h.draft(officer, {"all_regencies": True}, policy="hak-akses-siak")
    assert h.get(officer, "/api/v1/directives/")["count"] == 5
    assert listing() == one


def test_each_listed_directive_reads_as_its_detail(clock, officer):
    """The list reads its rows as values (workflow.api.listed): each one the same as the
    directive's own page, whatever its scope, policy, state and dates."""
    h.issue(officer)
    for scope in ({"all_provinces": True}, {"regions": ["15.02", "16"]}, {"province": "16"}):
        h.issue(officer, scope)
    h.draft(officer, {"all_regencies": True}, policy="hak-akses-siak")
    withdrawn = h.issue(officer, {"province": "15"})
    h.post(officer, f"/api/v1/directives/{withdrawn}/withdraw/", {"reason": "Salah alamat"})
    listed = h.get(officer, "/api/v1/directives/")["results"]
    assert len(listed) == 6
    assert {d["state"] for d in listed} == {"issued", "draft", "withdrawn"}
    assert {next(iter(d["scope"])) for d in listed} == {
        "province",
        "all_provinces",
        "regions",
        "all_regencies",
    }
    for row in listed:
        assert row == h.get(officer, f"/api/v1/directives/{row['id']}/")


def test_the_list_filters_by_state(clock, officer):
    issued, draft = h.issue(officer), h.draft(officer)
    assert [d["id"] for d in h.get(officer, "/api/v1/directives/?state=draft")["results"]] == [
        draft
    ]
    assert [d["id"] for d in h.get(officer, "/api/v1/directives/?state=issued")["results"]] == [
        issued
    ]
    h.get(officer, "/api/v1/directives/?state=gone", expect=400)


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_withdraws_every_open_assignment_and_stops_escalation(clock, officer):
    pk = h.issue(officer)
    tebo = official("regent", h.TEBO)
    tebo_assignment = h.assignment(pk, h.TEBO)
    h.post(tebo, h.url(tebo_assignment, "acknowledge"))
    h.post(tebo, h.url(tebo_assignment, "submit"), {"note": "Selesai"})
    h.post(officer, h.url(tebo_assignment, "verify"))

    body = h.post(officer, f"/api/v1/directives/{pk}/withdraw/", {"reason": "Diganti"})
    assert body["state"] == "withdrawn"
    assert body["withdrawn_at"] == "2026-11-02T10:00:00+07:00"
    assert body["assignment_counts"]["by_state"] == {**ZERO_STATES, "withdrawn": 10, "verified": 1}
    rows = Assignment.objects.filter(directive_id=pk).exclude(pk=tebo_assignment)
    assert set(rows.values_list("state", "next_step", "next_step_at")) == {
        ("withdrawn", None, None)
    }
    listed = h.get(officer, f"/api/v1/assignments/?directive={pk}&state=withdrawn")
    assert listed["count"] == 10
    assert {(a["next_step"], a["next_step_at"]) for a in listed["results"]} == {(None, None)}

    clock.move_to(h.wib(2026, 12, 31, 0, 0), tick=False)
    assert sweep(now=h.wib(2026, 12, 31, 0, 0)).total == 0
    assert h.get(officer, f"/api/v1/directives/{pk}/")["assignment_counts"]["overdue"] == 0


def test_withdrawing_twice_is_a_conflict(clock, officer):
    pk = h.issue(officer)
    h.post(officer, f"/api/v1/directives/{pk}/withdraw/")
    assert h.client_for(officer).post(f"/api/v1/directives/{pk}/withdraw/").status_code == 409
