"""Jurisdiction on every endpoint: the regent of Merangin sees and touches only
Merangin's assignment; everything else is 404, as if it did not exist. Nobody
unauthenticated gets anything."""

import pytest
from rest_framework.test import APIClient

from tests.factories import official
from tests.workflow import api_helpers as h
from workflow import services
from workflow.models import Assignment, AssignmentEvent, ExtensionRequest

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

ASSIGNMENT_POSTS = {
    "acknowledge": {},
    "start": {},
    "submit": {"note": "Selesai"},
    "verify": {},
    "return": {"reason": "Kurang"},
    "extension-requests": {"new_due": "2026-11-27", "reason": "Alat rusak"},
}


@pytest.fixture
def jambi(officer):
    return h.issue(officer)


@pytest.fixture
def regent(clock):
    return official("regent", h.MERANGIN)


@pytest.fixture
def tebo_request(jambi):
    """A pending extension request of Tebo's assignment."""
    tebo = Assignment.objects.get(pk=h.assignment(jambi, h.TEBO))
    return services.request_extension(
        assignment=tebo,
        actor=official("regent", h.TEBO),
        new_due_date=tebo.due_date.replace(day=27),
        reason="Alat rusak",
    ).pk


def snapshot():
    return (
        sorted(Assignment.objects.values_list("pk", "state", "due_at", "next_step_at")),
        AssignmentEvent.objects.count(),
        sorted(ExtensionRequest.objects.values_list("pk", "status")),
    )


def test_the_regent_sees_only_its_own_assignment(jambi, regent):
    body = h.get(regent, "/api/v1/assignments/")
    assert [(a["region"], a["office"]["title"]) for a in body["results"]] == [
        (h.MERANGIN, "Bupati Merangin")
    ]
    assert h.get(regent, f"/api/v1/assignments/?directive={jambi}&province=15")["count"] == 1


def test_the_regent_acknowledges_starts_and_submits_its_own(jambi, regent):
    own = h.assignment(jambi, h.MERANGIN)
    for action, data in list(ASSIGNMENT_POSTS.items())[:3]:
        h.post(regent, h.url(own, action), data)
    assert Assignment.objects.get(pk=own).state == "submitted"


def test_tebos_assignment_does_not_exist_for_merangins_regent(jambi, regent, tebo_request):
    tebo = h.assignment(jambi, h.TEBO)
    before = snapshot()
    client = h.client_for(regent)
    for path in (h.url(tebo), h.url(tebo, "timeline")):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["type"] == "urn:ektp-compliance:problem:not-found"
    for action, data in ASSIGNMENT_POSTS.items():
        assert client.post(h.url(tebo, action), data, format="json").status_code == 404, action
    for action in ("approve", "reject"):
        response = client.post(
            f"/api/v1/extension-requests/{tebo_request}/{action}/", {"reason": "x"}
        )
        assert response.status_code == 404, action
    assert h.get(regent, "/api/v1/extension-requests/")["count"] == 0
    assert snapshot() == before


def test_a_directive_without_an_assignment_in_the_jurisdiction_does_not_exist(officer, regent):
    sumsel = h.issue(officer, {"province": "16"})
    draft = h.draft(officer, {"province": "15"})
    for pk in (sumsel, draft):
        h.get(regent, f"/api/v1/directives/{pk}/", expect=404)
        for action in ("issue", "withdraw"):
            response = h.client_for(regent).post(f"/api/v1/directives/{pk}/{action}/")
            assert response.status_code == 404, action
    assert h.get(regent, "/api/v1/directives/")["count"] == 0


def test_a_governor_sees_the_province_and_nothing_beyond(officer):
    jambi, sumsel = h.issue(officer), h.issue(officer, {"province": "16"})
    governor = official("governor", "15")
    assert h.get(governor, "/api/v1/assignments/")["count"] == 11
    palembang = h.assignment(sumsel, "16.71")
    h.get(governor, h.url(palembang), expect=404)
    h.get(governor, f"/api/v1/directives/{sumsel}/", expect=404)
    h.get(governor, f"/api/v1/directives/{jambi}/")


def test_a_user_without_an_office_sees_nothing(jambi):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("tanpa-jabatan")
    assert h.get(nobody, "/api/v1/assignments/")["count"] == 0
    assert h.get(nobody, "/api/v1/directives/")["count"] == 0
    h.get(nobody, f"/api/v1/directives/{jambi}/", expect=404)


def test_nothing_without_authentication(jambi, tebo_request):
    merangin = h.assignment(jambi, h.MERANGIN)
    gets = [
        "/api/v1/directives/",
        f"/api/v1/directives/{jambi}/",
        "/api/v1/assignments/",
        h.url(merangin),
        h.url(merangin, "timeline"),
        "/api/v1/extension-requests/",
    ]
    posts = [
        "/api/v1/directives/",
        f"/api/v1/directives/{jambi}/issue/",
        f"/api/v1/directives/{jambi}/withdraw/",
        *(h.url(merangin, action) for action in ASSIGNMENT_POSTS),
        f"/api/v1/extension-requests/{tebo_request}/approve/",
        f"/api/v1/extension-requests/{tebo_request}/reject/",
    ]
    anonymous = APIClient()
    for path in gets:
        assert anonymous.get(path).status_code == 401, path
    for path in posts:
        response = anonymous.post(path, {}, format="json")
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/problem+json"
