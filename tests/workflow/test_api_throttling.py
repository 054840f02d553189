"""API throttling: each signed-in user has an hourly budget of calls, and issuing a
directive (which e-mails every addressed office) a tighter one of its own. A call over
budget answers 429 problem details with Retry-After, and does nothing."""

import datetime as dt

import pytest
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from tests.factories import official
from tests.workflow import api_helpers as h
from workflow.models import Assignment, Directive

clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

MERANGIN = {"regions": [h.MERANGIN]}


@pytest.fixture
def rates(monkeypatch):
    """DRF reads the rates into the throttle classes once, at import: set them there."""
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"directive-issue": "10/hour", "user": "1000/hour"}
    )
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "1000/hour"})


def issue(user, pk):
    return h.client_for(user).post(f"/api/v1/directives/{pk}/issue/", format="json")


def test_the_eleventh_issue_in_an_hour_is_refused_and_issues_nothing(clock, officer, rates):
    for _ in range(10):
        h.issue(officer, MERANGIN)
    pk = h.draft(officer, MERANGIN)  # drafting is not an issue: still allowed

    response = issue(officer, pk)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "3600"
    body = response.json()
    assert (body["type"], body["status"]) == ("urn:ektp-compliance:problem:throttled", 429)
    assert body["title"] == "Terlalu banyak permintaan / Too many requests"
    assert Directive.objects.get(pk=pk).state == "draft"
    assert not Assignment.objects.filter(directive_id=pk).exists()


def test_another_officer_still_issues(clock, officer, rates):
    for _ in range(10):
        h.issue(officer, MERANGIN)
    colleague = official("ministry_officer")

    assert issue(colleague, h.draft(colleague, MERANGIN)).status_code == 200


def test_an_hour_after_the_first_issue_the_next_one_goes_out(clock, officer, rates):
    for _ in range(10):
        h.issue(officer, MERANGIN)
    pk = h.draft(officer, MERANGIN)
    assert issue(officer, pk).status_code == 429

    clock.shift(dt.timedelta(hours=1, seconds=1))

    assert issue(officer, pk).status_code == 200
    assert Directive.objects.get(pk=pk).state == "issued"


def test_every_call_counts_against_the_users_hourly_budget(clock, officer, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/hour"})
    for _ in range(3):
        h.get(officer, "/api/v1/directives/")

    response = h.client_for(officer).get("/api/v1/directives/")

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert h.get(official("ministry_officer"), "/api/v1/directives/") is not None
