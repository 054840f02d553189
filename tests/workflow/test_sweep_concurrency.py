"""Two sweeps at once fire each step once; a sweep that dies halfway leaves whole rounds
only, and the next one finishes the work (PostgreSQL, one connection per thread)."""

import datetime as dt
import threading
import zoneinfo
from collections import Counter

import pytest
from django.db import connection

from tests.factories import official
from workflow import escalation, services
from workflow.default_policies import ensure_default_policies
from workflow.escalation import sweep
from workflow.models import (
    Assignment,
    EscalationPolicy,
    EscalationStep,
    Notification,
    StepEvent,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
ACK_REMINDER = dt.datetime(2026, 11, 4, 10, 0, tzinfo=WIB)
MONTH_LATE = dt.datetime(2027, 1, 31, tzinfo=WIB)
REGENCIES = 514
LADDER = 4  # up to written warning I, which waits for its signatory (the governor)


@pytest.fixture
def national(postgres, regions, log_flushable, monkeypatch):
    """514 open assignments, all due for their acknowledgement reminder at ACK_REMINDER;
    small rounds so that the sweeps interleave."""
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    monkeypatch.setattr(escalation, "BATCH", 50)
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"all_regencies": True},
    )
    services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    assert Assignment.objects.count() == REGENCIES


def concurrently(now, n=2):
    """`n` sweeps at `now`, each in its own thread and connection, released together."""
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def run(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            outcomes[i] = sweep(now=now)
        except Exception as error:  # reported by the assertion below
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [o for o in outcomes if not isinstance(o, escalation.SweepResult)], outcomes
    return outcomes


def step_notices():
    return Notification.objects.filter(dedupe_key__contains=":step:")


def test_two_sweeps_at_the_same_instant_fire_each_step_once(national):
    results = concurrently(ACK_REMINDER)
    assert sum(r.total for r in results) == REGENCIES
    assert StepEvent.objects.count() == REGENCIES
    keys = list(step_notices().values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys)) == REGENCIES


def test_two_sweeps_a_month_late_climb_the_ladder_once_up_to_the_first_warning(national):
    results = concurrently(MONTH_LATE)
    assert sum(r.total for r in results) == REGENCIES * LADDER
    per_assignment = Counter(StepEvent.objects.values_list("assignment_id", flat=True))
    assert set(per_assignment.values()) == {LADDER}
    assert len(per_assignment) == REGENCIES
    assert set(Assignment.objects.values_list("escalation_level", flat=True)) == {LADDER}
    assert sweep(now=MONTH_LATE).total == 0


def test_a_sweep_that_crashes_halfway_leaves_whole_rounds_and_the_next_one_finishes(
    national, monkeypatch
):
    # A round writes its notices in one statement, after its step events.
    real_insert = escalation._write_notices
    calls = []

    def dies_on_the_second_round(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")  # our process dying mid-round
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(escalation, "_write_notices", dies_on_the_second_round)
    with pytest.raises(RuntimeError):
        sweep(now=ACK_REMINDER)

    # Exactly the first round is there, whole: every event with its notice, every
    # assignment moved on to its next step; the second round left no trace.
    fired = set(StepEvent.objects.values_list("assignment_id", flat=True))
    assert len(fired) == escalation.BATCH
    assert set(step_notices().values_list("assignment_id", flat=True)) == fired
    moved = Assignment.objects.filter(next_step__slug="due-reminder")
    assert set(moved.values_list("id", flat=True)) == fired

    monkeypatch.setattr(escalation, "_write_notices", real_insert)
    assert sweep(now=ACK_REMINDER).total == REGENCIES - escalation.BATCH
    assert StepEvent.objects.count() == step_notices().count() == REGENCIES
    assert not Assignment.objects.filter(next_step__slug="ack-reminder").exists()
