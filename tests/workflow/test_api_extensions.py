"""Deadline extensions through the API: the recipient asks, whoever manages the directive
decides (the ministry, or the governor whose office issued it); an approval moves the
deadline and every escalation step still to come, a rejection changes nothing."""

import datetime as dt

import pytest

from tests.factories import official
from tests.workflow import api_helpers as h
from workflow.escalation import sweep
from workflow.models import Assignment, ExtensionRequest

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def regent(clock):
    return official("regent", h.MERANGIN)


@pytest.fixture
def merangin(clock, officer, regent):
    """Merangin's assignment, acknowledged, its acknowledgement reminder passed (skipped):
    the next step is the reminder 3 working days before the due day ends."""
    pk = h.assignment(h.issue(officer), h.MERANGIN)
    h.post(regent, h.url(pk, "acknowledge"))
    clock.move_to(h.wib(2026, 11, 5, 9, 0), tick=False)
    sweep(now=h.wib(2026, 11, 5, 9, 0))
    body = h.get(regent, h.url(pk))
    assert (body["next_step"], body["next_step_at"]) == (
        "due-reminder",
        "2026-11-18T00:00:00+07:00",
    )
    return pk


def ask(regent, pk, new_due="2026-11-27", reason="Alat perekaman rusak, menunggu perbaikan"):
    return h.post(
        regent, h.url(pk, "extension-requests"), {"new_due": new_due, "reason": reason}, 201
    )


def deadline(pk):
    return Assignment.objects.values_list("due_date", "due_at", "next_step_id", "next_step_at").get(
        pk=pk
    )


def test_a_request_answers_with_its_id_and_waits_in_the_ministrys_queue(officer, regent, merangin):
    body = ask(regent, merangin)
    request = ExtensionRequest.objects.get()
    assert body["id"] == request.pk
    assert {k: body[k] for k in ("assignment", "new_due", "status", "requested_office")} == {
        "assignment": merangin,
        "new_due": "2026-11-27",
        "status": "pending",
        "requested_office": "Bupati Merangin",
    }
    assert body["requested_at"] == "2026-11-05T09:00:00+07:00"
    queue = h.get(officer, "/api/v1/extension-requests/?status=pending")
    assert [r["id"] for r in queue["results"]] == [request.pk]
    assert h.get(officer, "/api/v1/extension-requests/?status=approved")["count"] == 0


def test_the_queue_is_filtered_by_jurisdiction(regent, merangin):
    ask(regent, merangin)
    assert h.get(official("governor", "15"), "/api/v1/extension-requests/")["count"] == 1
    assert h.get(official("regent", h.TEBO), "/api/v1/extension-requests/")["count"] == 0
    assert h.get(official("governor", "16"), "/api/v1/extension-requests/")["count"] == 0


def test_approval_moves_the_deadline_and_the_next_step(officer, regent, merangin):
    request = ask(regent, merangin)["id"]
    body = h.post(officer, f"/api/v1/extension-requests/{request}/approve/", {"reason": "Wajar"})
    assert (body["status"], body["decision_reason"]) == ("approved", "Wajar")
    assert body["decided_at"] == "2026-11-05T09:00:00+07:00"

    assignment = h.get(regent, h.url(merangin))
    assert (assignment["due_date"], assignment["due_at"]) == (
        "2026-11-27",
        "2026-11-28T00:00:00+07:00",
    )
    # Three full working days before the new due day ends: Tuesday 24 to Friday 27.
    assert (assignment["next_step"], assignment["next_step_at"]) == (
        "due-reminder",
        "2026-11-25T00:00:00+07:00",
    )
    assert Assignment.objects.get(pk=merangin).next_step_at == dt.datetime(
        2026, 11, 24, 17, 0, tzinfo=dt.UTC
    )
    assert sweep(now=h.wib(2026, 11, 24, 23, 59)).fired["reminder"] == 10  # the other ten


def test_rejection_changes_nothing(officer, regent, merangin):
    before = deadline(merangin)
    request = ask(regent, merangin)["id"]
    response = h.client_for(officer).post(f"/api/v1/extension-requests/{request}/reject/")
    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": ["required"]}

    body = h.post(officer, f"/api/v1/extension-requests/{request}/reject/", {"reason": "Tidak"})
    assert body["status"] == "rejected"
    assert deadline(merangin) == before


def test_a_decision_is_taken_once(officer, regent, merangin):
    request = ask(regent, merangin)["id"]
    h.post(officer, f"/api/v1/extension-requests/{request}/approve/")
    for action in ("approve", "reject"):
        response = h.client_for(officer).post(
            f"/api/v1/extension-requests/{request}/{action}/", {"reason": "lagi"}
        )
        assert response.status_code == 409, action


def test_only_the_ministry_decides_under_its_own_directive(regent, merangin):
    request = ask(regent, merangin)["id"]
    before = deadline(merangin)
    for user in (regent, official("governor", "15")):
        response = h.client_for(user).post(f"/api/v1/extension-requests/{request}/approve/")
        assert response.status_code == 403
    assert ExtensionRequest.objects.get().status == "pending"
    assert deadline(merangin) == before


def test_one_pending_request_at_a_time(regent, merangin):
    ask(regent, merangin)
    response = h.client_for(regent).post(
        h.url(merangin, "extension-requests"),
        {"new_due": "2026-12-04", "reason": "Lagi"},
        format="json",
    )
    assert response.status_code == 409
    assert ExtensionRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "errors"),
    [
        ({"new_due": "2026-11-20", "reason": "x"}, 422, {"new_due": ["not_later"]}),
        ({"new_due": "27-11-2026", "reason": "x"}, 400, {"new_due"}),
        ({"new_due": "2026-11-27", "reason": ""}, 400, {"reason": ["required"]}),
        ({"new_due": "2026-11-27", "reason": "  "}, 400, {"reason": ["required"]}),
        ({"reason": "x"}, 400, {"new_due"}),
    ],
)
def test_invalid_requests_name_the_field(regent, merangin, data, status, errors):
    response = h.client_for(regent).post(h.url(merangin, "extension-requests"), data, format="json")
    assert response.status_code == status
    got = response.json()["errors"]
    assert (got if isinstance(errors, dict) else set(got)) == errors
    assert not ExtensionRequest.objects.exists()


def test_a_submitted_assignment_needs_no_extension(regent, merangin):
    h.post(regent, h.url(merangin, "submit"), {"note": "Selesai"})
    response = h.client_for(regent).post(
        h.url(merangin, "extension-requests"),
        {"new_due": "2026-11-27", "reason": "x"},
        format="json",
    )
    assert response.status_code == 409


def test_only_the_addressed_office_asks(officer, merangin):
    response = h.client_for(officer).post(
        h.url(merangin, "extension-requests"),
        {"new_due": "2026-11-27", "reason": "x"},
        format="json",
    )
    assert response.status_code == 403


# --- a governor's own directive -----------------------------------------------------------

MANAGER_ONLY = "Only the ministry or the governor who issued it may manage this directive"


@pytest.fixture
def governor(clock):
    """The Governor of Jambi (province 15)."""
    return official("governor", "15")


@pytest.fixture
def provincial(governor, regent):
    """Merangin's assignment under the Governor of Jambi's own directive, acknowledged."""
    pk = h.assignment(h.issue(governor), h.MERANGIN)
    h.post(regent, h.url(pk, "acknowledge"))
    return pk


def test_the_issuing_governor_approves_and_the_deadline_moves(governor, regent, provincial):
    request = ask(regent, provincial)["id"]
    body = h.post(governor, f"/api/v1/extension-requests/{request}/approve/", {"reason": "Wajar"})
    assert (body["status"], body["decided_office"]) == ("approved", "Gubernur Jambi")
    assignment = h.get(regent, h.url(provincial))
    assert (assignment["due_date"], assignment["due_at"]) == (
        "2026-11-27",
        "2026-11-28T00:00:00+07:00",
    )


def test_an_acting_governor_rejects_and_nothing_moves(governor, regent, provincial):
    before = deadline(provincial)
    request = ask(regent, provincial)["id"]
    plt = official("governor", "15", acting=True)
    body = h.post(plt, f"/api/v1/extension-requests/{request}/reject/", {"reason": "Tidak"})
    assert body["status"] == "rejected"
    assert deadline(provincial) == before


def test_the_ministry_decides_under_a_governors_directive_too(officer, regent, provincial):
    request = ask(regent, provincial)["id"]
    h.post(officer, f"/api/v1/extension-requests/{request}/approve/")
    assert deadline(provincial)[0] == dt.date(2026, 11, 27)


def test_a_governor_may_not_decide_under_the_ministrys_directive(governor, regent, merangin):
    request = ask(regent, merangin)["id"]
    before = deadline(merangin)
    response = h.client_for(governor).post(
        f"/api/v1/extension-requests/{request}/approve/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:ektp-compliance:problem:not-allowed"
    assert MANAGER_ONLY in problem["detail"]
    assert ExtensionRequest.objects.get().status == "pending"
    assert deadline(merangin) == before


def test_another_provinces_governor_finds_no_such_request(regent, provincial):
    request = ask(regent, provincial)["id"]
    before = deadline(provincial)
    west_java = official("governor", "32")
    for action in ("approve", "reject"):
        h.post(west_java, f"/api/v1/extension-requests/{request}/{action}/", {"reason": "x"}, 404)
    assert ExtensionRequest.objects.get().status == "pending"
    assert deadline(provincial) == before


def test_a_regent_still_decides_nothing(regent, provincial):
    request = ask(regent, provincial)["id"]
    h.post(regent, f"/api/v1/extension-requests/{request}/approve/", expect=403)
    assert ExtensionRequest.objects.get().status == "pending"
