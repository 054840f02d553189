"""API throttling: each signed-in user has an hourly budget of calls, and issuing a
directive (which e-mails every addressed office) a tighter one of its own. A call over
budget answers 429 problem details with Retry-After, and does nothing. Every test runs on
the embedded default's memory cache (DRF's own throttle path) and on Redis (the window
kept by one script, compliance.api.throttling): the same answers."""

import datetime as dt
import threading
import uuid
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

from compliance.api import throttling
from tests.factories import official
from tests.workflow import api_helpers as h
from workflow.models import Assignment, Directive

clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

MERANGIN = {"regions": [h.MERANGIN]}


@pytest.fixture(params=["memory", "redis"], autouse=True)
def window_cache(request):
    """The cache the throttles keep their windows in: per process, or Redis under a key
    prefix of the test's own (tests on other workers share the database)."""
    if request.param == "memory":
        yield request.param
        return
    location = request.getfixturevalue("redis_url").rsplit("/", 1)[0] + "/10"
    prefix = f"throttle-test-{uuid.uuid4().hex}"
    backend = {"BACKEND": "ektp_compliance.cache.RedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": {**backend, "KEY_PREFIX": prefix}}):
        assert hasattr(caches["default"], "run_script")
        yield request.param
    server = redis.Redis.from_url(location)
    if keys := server.keys(f"{prefix}:*"):
        server.delete(*keys)


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


def caller(pk=7):
    return SimpleNamespace(user=SimpleNamespace(is_authenticated=True, pk=pk), META={})


class TwoAMinute(throttling.UserRateThrottle):
    rate = "2/minute"


def test_a_window_counts_the_calls_it_allowed_for_a_minute_each(time_machine):
    start = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
    answers = []
    for seconds in (0, 10, 20, 30, 61, 65):
        time_machine.move_to(start + dt.timedelta(seconds=seconds), tick=False)
        throttle = TwoAMinute()
        allowed = throttle.allow_request(caller(), view=None)
        answers.append((seconds, allowed, None if allowed else round(throttle.wait(), 3)))

    # Refused calls are not counted: at 61 s the first call has left the window, the
    # refused ones at 20 and 30 s never entered it. Retry-After: until the oldest leaves.
    assert answers == [
        (0, True, None),
        (10, True, None),
        (20, False, 40.0),
        (30, False, 30.0),
        (61, True, None),
        (65, False, 5.0),
    ]


def test_another_users_window_is_his_own(time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC), tick=False)
    assert [TwoAMinute().allow_request(caller(7), None) for _ in range(3)] == [True, True, False]
    assert TwoAMinute().allow_request(caller(8), None) is True


@pytest.mark.parametrize("window_cache", ["redis"], indirect=True)
def test_calls_at_the_same_moment_are_each_counted(window_cache):
    """Twelve calls of one user at once against a rate of three: exactly three pass. DRF's
    get-then-set lets overlapping calls each write back a window without the others'
    (encode/django-rest-framework#5181); the script decides each call alone. (The memory
    cache is one process's: calls from several processes never meet there.)"""
    start = threading.Barrier(12)
    allowed = []

    class ThreeAnHour(throttling.UserRateThrottle):
        rate = "3/hour"

    def call():
        throttle = ThreeAnHour()
        start.wait()
        allowed.append(throttle.allow_request(caller(), None))

    threads = [threading.Thread(target=call) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(allowed) == [False] * 9 + [True] * 3
