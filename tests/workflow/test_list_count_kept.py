"""The assignment list's `count` is kept per list, reader's scope, filters and
data version (workflow.api.pages, workflow.kept): a second first page does not count again,
a change shows on the next request, a governor counts his province, a filter its own rows,
and pages by number and cursor count the same."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import official
from tests.workflow import api_helpers as h
from workflow import services
from workflow.models import Assignment

clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments/"
JAMBI_AND_BEYOND = {"regions": ["15.01", "15.02", "15.03", "16.01"]}


def counted(user, url):
    """(the answer's count, how many COUNT queries it took)."""
    with CaptureQueriesContext(connection) as captured:
        body = h.get(user, url)
    return body.get("count"), sum("COUNT(" in q["sql"] for q in captured.captured_queries)


def test_the_count_is_kept_until_an_assignment_changes(officer):
    h.issue(officer, JAMBI_AND_BEYOND)
    assert counted(officer, ASSIGNMENTS) == (4, 1)
    assert counted(officer, ASSIGNMENTS) == (4, 0)  # kept

    url = f"{ASSIGNMENTS}?state=issued"
    assert counted(officer, url) == (4, 1)  # a filter is another count
    regent = official("regent", "15.02")
    services.acknowledge_assignment(
        assignment=Assignment.objects.get(regency__code="15.02"), actor=regent
    )
    assert counted(officer, url) == (3, 1)  # the acknowledgement's event: counted again
    assert counted(officer, url) == (3, 0)


def test_a_governor_counts_his_province(officer):
    h.issue(officer, JAMBI_AND_BEYOND)
    counted(officer, ASSIGNMENTS)
    assert counted(official("governor", "15"), ASSIGNMENTS) == (3, 1)


def test_mine_is_counted_per_reader(officer):
    h.issue(officer, JAMBI_AND_BEYOND)
    mine = f"{ASSIGNMENTS}?mine=true"
    assert counted(official("regent", "15.02"), mine) == (1, 1)
    assert counted(official("regent", "15.01"), mine) == (1, 1)


def test_a_numbered_page_and_a_cursor_page_read_the_same_kept_count(officer):
    h.issue(officer, JAMBI_AND_BEYOND)
    assert counted(officer, f"{ASSIGNMENTS}?limit=2") == (4, 1)
    assert counted(officer, f"{ASSIGNMENTS}?page=2&limit=2") == (4, 0)
    assert counted(officer, f"{ASSIGNMENTS}?count=true&limit=1") == (4, 0)


def test_overdue_moves_with_the_clock(officer):
    h.issue(officer, {"regions": ["15.01"]})
    url = f"{ASSIGNMENTS}?overdue=true"
    assert counted(officer, url) == (0, 1)
    due = Assignment.objects.get().due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        assert counted(officer, url) == (1, 1)


def test_a_numbered_page_starts_after_a_kept_key_moved_by_a_change(officer):
    h.issue(officer, JAMBI_AND_BEYOND)
    second = f"{ASSIGNMENTS}?page=2&limit=2"
    before = [row["id"] for row in h.get(officer, second)["results"]]
    assert before == [row["id"] for row in h.get(officer, second)["results"]]  # kept key
    sooner = (date.fromisoformat(h.DUE) - timedelta(days=7)).isoformat()
    h.issue(officer, {"regions": ["15.04", "15.05"]}, due_date=sooner)  # sorts first
    expected = list(Assignment.objects.order_by("due_at", "id").values_list("id", flat=True))
    after = [row["id"] for row in h.get(officer, second)["results"]]
    assert after == expected[2:4] and after != before
