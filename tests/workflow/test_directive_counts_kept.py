"""The directive list's counts of assignments are kept per page, reader's scope and data
version (workflow.kept): a second reading does not aggregate the assignments again, a change
shows on the next request, and a governor's counts are his province's."""

from datetime import timedelta

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

DIRECTIVES = "/api/v1/directives/"


def counts(user):
    with CaptureQueriesContext(connection) as captured:
        body = h.get(user, DIRECTIVES)
    aggregates = [
        q for q in captured.captured_queries if "COUNT(" in q["sql"] and "state" in q["sql"]
    ]
    return body["results"][0]["assignment_counts"], len(aggregates)


def test_the_counts_are_kept_until_an_assignment_changes(officer):
    h.issue(officer, {"regions": ["15.01", "15.02", "16.01"]})
    first, _ = counts(officer)  # kept already: the issuing answer counted them
    assert first["by_state"]["issued"] == 3
    assignment = Assignment.objects.get(regency__code="15.02")
    services.acknowledge_assignment(assignment=assignment, actor=official("regent", "15.02"))
    changed, aggregated = counts(officer)
    assert aggregated == 1
    assert changed["by_state"]["issued"] == 2 and changed["by_state"]["acknowledged"] == 1
    again, aggregated = counts(officer)
    assert aggregated == 0 and again == changed  # kept


def test_a_governor_reads_his_provinces_counts(officer):
    h.issue(officer, {"regions": ["15.01", "15.02", "16.01"]})
    counts(officer)
    governor_counts, aggregated = counts(official("governor", "15"))
    assert aggregated == 1 and governor_counts["total"] == 2


def test_overdue_moves_with_the_clock(officer):
    h.issue(officer, {"regions": ["15.01"]})
    before, _ = counts(officer)
    assert before["overdue"] == 0
    due = Assignment.objects.get().due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        after, aggregated = counts(officer)
    assert aggregated == 1 and after["overdue"] == 1
