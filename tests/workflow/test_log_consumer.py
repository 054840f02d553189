"""workflow follows compliance's transition log (workflow.log_consumer): every row once, in
commit order, from a stored position moved with the effects; the after-commit signal only
wakes it, and a lost wake-up, a consumer killed mid-batch or a failing row never leaves an
assignment out of step."""

import datetime as dt
import logging
import threading

import pytest
import time_machine
from django.db import connection, transaction

from compliance import services
from compliance.models import Event, Regency, TransitionLog
from compliance.signals import regency_transitioned
from tests.compliance import scenario
from workflow import log_consumer, remediation, tasks
from workflow.models import Assignment, AssignmentEvent, Directive, LogConsumer

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
TRAVEL = time_machine.travel(NOW, tick=False)


@pytest.fixture
def no_wake_up():
    """The after-commit signal lost: its receiver is disconnected for the test."""
    assert regency_transitioned.disconnect(dispatch_uid="workflow-remediation")
    yield
    regency_transitioned.connect(
        log_consumer.on_regency_transitioned, dispatch_uid="workflow-remediation"
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Steps run as if each committed: the on-commit callbacks (the feed's sequencing and
    the wake-up, when connected) run."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


def remediation_assignments(regency=None):
    rows = Assignment.objects.filter(directive__origin_key__startswith="remediation:")
    if regency is not None:
        rows = rows.filter(directive__scope_regions=[regency.code])
    return rows.order_by("directive__origin_key")


def timeline(assignment):
    return list(assignment.events.order_by("id").values_list("transition", flat=True))


def position():
    return LogConsumer.objects.get(name=log_consumer.NAME).position


def last_regency_event():
    return Event.objects.filter(type__startswith="regency.").order_by("-position").first()


def whole_cycle(cast, run):
    """flag, suspend, submit, reject, submit again, reconnect, clear: every kind of row."""
    run(scenario.flag, cast)
    run(scenario.suspend, cast)
    run(scenario.remediate, cast)
    run(services.reject_remediation, regency=cast.regency, actor=cast.officer, reason="Kurang")
    run(scenario.remediate, cast)
    run(scenario.reconnect, cast)
    run(services.clear_regency, regency=cast.regency, actor=cast.officer)


# What each assignment of a regency's remediation may be, given the regency's state.
IN_STEP = {
    "flagged": {"issued", "returned"},
    "suspended": {"issued", "returned"},
    "remediated": {"submitted"},
    "reconnected": {"submitted"},
    "compliant": {"verified", "withdrawn"},
}


def assert_every_assignment_in_step():
    """Each regency with a case: one remediation directive per flag or cut in its log, and
    every one of their assignments in the state the regency's state calls for."""
    for regency in Regency.objects.filter(cases__isnull=False).distinct():
        openings = TransitionLog.objects.filter(
            regency=regency, transition__in=remediation.OPENING
        ).count()
        assignments = list(remediation_assignments(regency))
        assert len(assignments) == openings, regency.code
        for a in assignments:
            assert a.state in IN_STEP[regency.state], (regency.code, regency.state, a.state)


# --- every row once, in order --------------------------------------------------------------


@TRAVEL
def test_every_kind_of_row_is_applied_once_in_commit_order(no_wake_up, committed):
    cast = scenario.Cast.of(scenario.MERANGIN)
    whole_cycle(cast, committed)
    assert not remediation_assignments().exists()  # nothing woke the consumer

    kinds = TransitionLog.objects.filter(regency=cast.regency).order_by("id")
    assert list(kinds.values_list("transition", flat=True)) == [
        "flag",
        "suspend",
        "submit_remediation",
        "reject_remediation",
        "submit_remediation",
        "reconnect",
        "clear",
    ]
    assert log_consumer.consume() == 7
    flagged, cut = remediation_assignments(cast.regency)
    assert timeline(flagged) == ["acknowledge", "submit", "return", "submit", "verify"]
    assert timeline(cut) == ["acknowledge", "submit", "return", "submit", "verify"]
    assert position() == last_regency_event().position
    assert_every_assignment_in_step()


@TRAVEL
def test_a_second_run_finds_nothing_to_do(no_wake_up, committed):
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    committed(scenario.remediate, cast)
    assert log_consumer.consume() == 2
    events, directives = AssignmentEvent.objects.count(), Directive.objects.count()

    assert log_consumer.consume() == 0
    assert (AssignmentEvent.objects.count(), Directive.objects.count()) == (events, directives)


@TRAVEL
def test_a_row_applied_again_changes_nothing(committed):
    cast = scenario.Cast.of(scenario.MERANGIN)
    whole_cycle(cast, committed)
    events, directives = AssignmentEvent.objects.count(), Directive.objects.count()

    for log in TransitionLog.objects.filter(regency=cast.regency).order_by("id"):
        remediation.apply(log)
    assert (AssignmentEvent.objects.count(), Directive.objects.count()) == (events, directives)
    assert_every_assignment_in_step()


# --- the wake-up and the net under it -------------------------------------------------------


@TRAVEL
def test_each_commit_wakes_the_consumer(committed):
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    assert remediation_assignments().get().state == "issued"
    committed(scenario.remediate, cast)
    assert remediation_assignments().get().state == "submitted"
    assert position() == last_regency_event().position


@TRAVEL
def test_a_lost_wake_up_is_caught_up_by_the_beat(no_wake_up, committed, settings):
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    committed(scenario.remediate, cast)
    committed(services.clear_regency, regency=cast.regency, actor=cast.officer)
    assert not remediation_assignments().exists()

    assert tasks.follow_transition_log() == 3
    assert remediation_assignments().get().state == "verified"
    entry = settings.CELERY_BEAT_SCHEDULE["follow-transition-log"]
    assert (entry["task"], entry["schedule"]) == ("workflow.tasks.follow_transition_log", 60.0)


@TRAVEL
def test_the_sweep_follows_the_log_before_it_escalates(no_wake_up, committed):
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    committed(scenario.remediate, cast)  # a lost wake-up: the assignment still looks open
    tasks.sweep_escalations()
    assert remediation_assignments().get().state == "submitted"


def test_a_commit_never_waits_for_the_feed_to_be_sequenced(no_wake_up):
    # Rows committed without their on-commit callbacks (no sequencing, no wake-up): the
    # consumer gives the feed its positions first, as the feed's readers do.
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    assert Event.objects.filter(position__isnull=True).exists()
    assert log_consumer.consume() == 1
    assert remediation_assignments().get().state == "issued"


# --- failures ---------------------------------------------------------------------------


def fail_at(monkeypatch, k, error):
    """Applying the k-th row from now raises `error` (a fault injected into the real apply)."""
    real, calls = remediation.apply, []

    def apply(log):
        calls.append(log.pk)
        if len(calls) == k:
            raise error
        real(log)

    monkeypatch.setattr(remediation, "apply", apply)


def four_regencies_through_their_cases(run):
    """Four regencies, each at another point of its case: 10 rows in the log."""
    casts = [scenario.Cast.of(code) for code in ("15.01", "15.02", "15.03", "15.04")]
    for cast in casts:
        run(scenario.flag, cast)
    run(scenario.remediate, casts[1])
    run(scenario.remediate, casts[2])
    run(services.reject_remediation, regency=casts[2].regency, actor=casts[2].officer, reason="X")
    run(scenario.remediate, casts[3])
    run(services.clear_regency, regency=casts[3].regency, actor=casts[3].officer)
    run(scenario.suspend, casts[0])
    return casts


@TRAVEL
def test_a_consumer_killed_mid_batch_leaves_that_batch_undone(no_wake_up, committed, monkeypatch):
    four_regencies_through_their_cases(committed)
    assert TransitionLog.objects.count() == 10
    start = position()

    # Killed (not an error it could handle) at the 5th row: in the second batch of three.
    fail_at(monkeypatch, 5, SystemExit("killed"))
    with pytest.raises(SystemExit):
        log_consumer.consume(limit=3)
    third = Event.objects.filter(type__startswith="regency.", position__gt=start)
    assert position() == third.order_by("position")[2].position  # the first batch kept
    assert remediation_assignments().count() == 3  # the 4th flag's directive rolled back

    monkeypatch.undo()
    assert log_consumer.consume(limit=3) == 7
    assert_every_assignment_in_step()
    assert position() == last_regency_event().position


@TRAVEL
def test_a_failing_row_stops_the_consumer_there_and_the_caller_never_sees_it(
    committed, monkeypatch, caplog
):
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    fail_at(monkeypatch, 1, RuntimeError("a bug in the listener"))

    with caplog.at_level(logging.ERROR, logger="workflow.log_consumer"):
        committed(scenario.remediate, cast)  # the wake-up fails: the change stands
    assert scenario.state_of(cast.regency) == "remediated"
    assert "could not follow the transition log" in caplog.text
    assert remediation_assignments().get().state == "issued"  # out of step, for now

    monkeypatch.undo()  # the bug fixed
    assert log_consumer.consume() == 1
    assert remediation_assignments().get().state == "submitted"
    assert_every_assignment_in_step()


@TRAVEL
def test_rows_before_a_failing_one_are_kept(no_wake_up, committed, monkeypatch):
    four_regencies_through_their_cases(committed)
    fail_at(monkeypatch, 3, RuntimeError("a bug"))
    with pytest.raises(RuntimeError):
        log_consumer.consume()
    assert remediation_assignments().count() == 2

    monkeypatch.undo()
    assert log_consumer.consume() == 8
    assert_every_assignment_in_step()


# --- PostgreSQL: ids taken at insert, committed out of order ----------------------------


@pytest.mark.django_db(transaction=True)
def test_a_row_committed_late_with_a_smaller_id_is_still_applied(
    postgres, regions, log_flushable, no_wake_up
):
    early, late = scenario.Cast.of("15.01"), scenario.Cast.of("15.02")
    inserted, release = threading.Event(), threading.Event()

    def slow_flag():
        try:
            with transaction.atomic():
                scenario.flag(early)
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_flag)
    writer.start()
    assert inserted.wait(10)
    scenario.flag(late)
    assert log_consumer.consume() == 1  # the later flag; the earlier one has not committed
    release.set()
    writer.join(10)

    slow, fast = TransitionLog.objects.order_by("id")
    assert (slow.regency, fast.regency) == (early.regency, late.regency)
    assert log_consumer.consume() == 1
    assert remediation_assignments(early.regency).get().state == "issued"
    assert_every_assignment_in_step()


# --- the default: the commit wakes a Celery task ----------------------------------------


@pytest.fixture
def published():
    """The names of the tasks this process hands to the broker (Celery's own signal)."""
    from celery.signals import before_task_publish

    names = []

    def seen(sender=None, **kwargs):
        names.append(sender)

    before_task_publish.connect(seen, weak=False)
    yield names
    before_task_publish.disconnect(seen)


@TRAVEL
def test_by_default_the_commit_only_wakes_a_task_that_follows_the_log(
    committed, settings, published
):
    settings.AFTER_COMMIT_WORK = "celery"
    cast = scenario.Cast.of(scenario.MERANGIN)
    committed(scenario.flag, cast)
    assert log_consumer.flush_wake_ups(10)  # the waker's thread publishes

    # The committing thread neither sequenced the feed nor followed the log ...
    assert published == ["workflow.tasks.follow_transition_log"]
    assert Event.objects.filter(position__isnull=True).exists()
    assert not remediation_assignments().exists()
    # ... the task does both, as a worker runs it.
    assert tasks.follow_transition_log() == 1
    assert remediation_assignments().get().state == "issued"
    assert last_regency_event().position == position()


# Not under a frozen clock: kombu gives up connecting when its connect timeout has passed.
def test_with_the_broker_down_the_change_stands_and_the_beat_follows_later(
    committed, settings, caplog
):
    from tests.workflow.delivery_rig import broker

    settings.AFTER_COMMIT_WORK = "celery"
    cast = scenario.Cast.of(scenario.MERANGIN)
    down = broker("redis://127.0.0.1:1/0", "test-down:")  # nothing listens there
    with down, caplog.at_level(logging.WARNING, logger="workflow.log_consumer"):
        committed(scenario.flag, cast)
        assert log_consumer.flush_wake_ups(30)  # the waker's thread tried, and gave up
    assert scenario.state_of(cast.regency) == "flagged"
    assert "could not wake the log consumer" in caplog.text
    assert tasks.follow_transition_log() == 1
    assert remediation_assignments().get().state == "issued"


def test_a_burst_of_commits_shares_a_publish_and_the_last_is_never_left_behind(monkeypatch):
    """The waker publishes at most once per WAKE_INTERVAL; each wake-up asked is followed
    by a publish that starts after it (its task reads what committed before it)."""
    waker = log_consumer._Waker()
    asked_when_published = []

    def publish():
        asked_when_published.append(waker._asked)

    monkeypatch.setattr(log_consumer, "_publish", publish)
    for _ in range(50):
        waker.ask()
    assert waker.flush(10)
    assert 1 <= len(asked_when_published) < 50
    assert asked_when_published[-1] == 50
    waker.ask()  # after the burst: published again, once
    assert waker.flush(10)
    assert asked_when_published[-1] == 51
