"""The outbox's hand-off after commit (workflow.notifications.outbox.dispatch_on_commit): by
default a thread of the process publishes the new notices (workflow.wake_ups), so the
commit does not wait for the broker; with the broker down the rows stay queued for the
re-dispatcher, each handed over once."""

import datetime as dt
import logging
import threading

import pytest
from django.utils import timezone

from compliance import services
from tests.compliance import scenario
from workflow import wake_ups
from workflow.models import Notification
from workflow.notifications import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    """(task name, publishing thread's name, the task's ids) of what this process hands to
    the broker (Celery's own signal)."""
    from celery.signals import before_task_publish

    seen = []

    def record(sender=None, body=None, **kwargs):
        seen.append((sender, threading.current_thread().name, body[0][0]))

    before_task_publish.connect(record, weak=False)
    yield seen
    before_task_publish.disconnect(record)


def restore_ordered(django_capture_on_commit_callbacks):
    """A regency cut off and remediated; the director's restore order is issued (its
    notices to the network operators written), as if committed. Returns the notices."""
    cast = scenario.Cast.of(scenario.MERANGIN)
    scenario.flag(cast)
    scenario.suspend(cast)
    scenario.remediate(cast)
    with django_capture_on_commit_callbacks(execute=True):
        order = services.reconnect_regency(regency=cast.regency, actor=cast.director)
    notices = Notification.objects.filter(dedupe_key__startswith=f"access-order:{order.pk}:")
    return sorted(notices.values_list("pk", flat=True))


def test_by_default_the_notices_are_handed_over_by_the_process_thread(
    settings, published, django_capture_on_commit_callbacks
):
    settings.AFTER_COMMIT_WORK = "celery"
    notices = restore_ordered(django_capture_on_commit_callbacks)
    assert notices
    assert outbox.flush_hand_overs(10)
    handed = [(name, thread) for name, thread, _ in published]
    assert handed == [("workflow.tasks.deliver_notifications", "outbox-hand-over")]
    assert published[0][2] == notices


def test_inline_the_committing_thread_hands_them_over(
    published, django_capture_on_commit_callbacks
):
    notices = restore_ordered(django_capture_on_commit_callbacks)
    main = threading.current_thread().name
    assert published == [("workflow.tasks.deliver_notifications", main, notices)]


# Not under a frozen clock: kombu gives up connecting when its connect timeout has passed.
def test_with_the_broker_down_the_rows_wait_for_the_redispatcher(
    settings, caplog, published, django_capture_on_commit_callbacks
):
    from tests.workflow.delivery_rig import broker

    settings.AFTER_COMMIT_WORK = "celery"
    down = broker("redis://127.0.0.1:1/0", "test-down:")  # nothing listens there
    with down, caplog.at_level(logging.WARNING, logger="workflow.notifications.outbox"):
        notices = restore_ordered(django_capture_on_commit_callbacks)
        assert outbox.flush_hand_overs(30)  # the thread tried, and gave up
    assert "could not queue" in caplog.text
    rows = Notification.objects.filter(pk__in=notices)
    assert set(rows.values_list("state", "attempts")) == {("queued", 0)}
    published.clear()  # (the signal comes before the publish that failed)
    later = timezone.now() + dt.timedelta(minutes=2)  # past the hand-off grace
    outbox.redispatch(now=later)  # the beat entry, the broker back
    assert set(notices) <= {pk for _, _, ids in published for pk in ids}


def test_a_burst_shares_a_publish_and_every_item_is_handed_over_once():
    handed = []
    waker = wake_ups.Waker("test-hand-over", handed.append)
    for n in range(50):
        waker.ask([n, n + 1000])
    assert waker.flush(10)
    assert 1 <= len(handed) < 50
    assert sorted(i for batch in handed for i in batch) == sorted([*range(50), *range(1000, 1050)])
    waker.ask([7])  # after the burst: published again, on its own
    assert waker.flush(10)
    assert handed[-1] == [7]


def test_a_publish_that_raises_leaves_the_thread_running(caplog):
    handed = []

    def publish(items):
        if items == ["bad"]:
            raise RuntimeError("broker")
        handed.append(items)

    waker = wake_ups.Waker("test-hand-over", publish)
    with caplog.at_level(logging.ERROR, logger="workflow.wake_ups"):
        waker.ask(["bad"])
        assert waker.flush(10)
    waker.ask(["good"])
    assert waker.flush(10)
    assert handed == [["good"]]
    assert "hand-off failed" in caplog.text


def test_a_worker_child_hands_over_before_it_exits(settings):
    """A Celery prefork child ends with os._exit (no atexit): the worker_process_shutdown
    receiver (ektp_compliance.celery) waits for what its threads still have to publish."""
    from celery.signals import worker_process_shutdown

    import ektp_compliance.celery  # noqa: F401 (connects the receiver)

    handed, release = [], threading.Event()

    def slow_publish(items):
        release.wait(5)
        handed.extend(items)

    waker = wake_ups.Waker("test-child", slow_publish).process_wide()
    waker.ask([1, 2])
    threading.Timer(0.2, release.set).start()
    worker_process_shutdown.send(sender=None, pid=0, exitcode=0)
    assert handed == [1, 2]
