"""The claim decides who sends a row: one conditional UPDATE, so two deliveries never
send the same row at once; a dead claim is taken over; the re-dispatcher offers only
rows that are due or stuck, and the hand-off never raises into the request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow import tasks
from workflow.models import Notification
from workflow.notifications import outbox

from .outbox_fixtures import at_issue, issue_to  # noqa: F401 (at_issue: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_issue")]


@pytest.fixture
def ids():
    issue_to({"regions": ["15.02", "15.09", "15.71"]})
    return list(Notification.objects.order_by("id").values_list("pk", flat=True))


def test_a_second_claim_gets_nothing_while_the_first_holds_the_rows(ids):
    now = timezone.now()
    assert len(outbox.claim(ids, "a", now)) == 3
    assert outbox.claim(ids, "b", now) == []
    assert set(Notification.objects.values_list("claimed_by", flat=True)) == {"a"}


def test_the_message_id_is_stored_at_the_first_claim_and_kept(ids):
    first = {n.pk: n.message_id for n in outbox.claim(ids, "a", timezone.now())}
    assert all(first.values())
    Notification.objects.update(state="queued")
    again = {n.pk: n.message_id for n in outbox.claim(ids, "b", timezone.now())}
    assert again == first


@pytest.mark.parametrize("size", [1, 3])
def test_the_message_ids_go_in_the_statement_bulk_update_sends(ids, size):
    rows = list(Notification.objects.filter(pk__in=ids[:size]).order_by("id"))
    for n in rows:
        n.message_id = outbox.message_id_for(n)
    with CaptureQueriesContext(connection) as theirs:
        Notification.objects.bulk_update(rows, ["message_id"])
    Notification.objects.update(message_id="")
    for _ in range(2):  # compiled once for this size, then run with these rows' values
        with CaptureQueriesContext(connection) as ours:
            outbox._message_ids(rows)
        assert [q["sql"] for q in ours] == [q["sql"] for q in theirs]
    written = dict(Notification.objects.values_list("pk", "message_id"))
    assert written == {n.pk: n.message_id for n in rows} | dict.fromkeys(ids[size:], "")


def test_the_same_task_redelivered_after_its_worker_died_may_resume(ids):
    now = timezone.now()
    outbox.claim(ids, "task-1", now)
    assert len(outbox.claim(ids, "task-1", now + dt.timedelta(seconds=5))) == 3


def test_a_claim_past_its_expiry_is_taken_over(ids, settings):
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 600
    now = timezone.now()
    outbox.claim(ids, "dead", now)
    expiry = now + outbox.claim_timeout(3)  # in proportion to the batch (test_outbox_claim_expiry)
    assert outbox.claim(ids, "b", expiry - dt.timedelta(seconds=1)) == []
    assert len(outbox.claim(ids, "b", expiry + dt.timedelta(seconds=1))) == 3


def test_a_row_waiting_out_its_back_off_is_not_claimed(ids):
    now = timezone.now()
    Notification.objects.filter(pk=ids[0]).update(next_attempt_at=now + dt.timedelta(minutes=1))
    assert [n.pk for n in outbox.claim(ids, "a", now)] == ids[1:]


def test_sent_and_failed_rows_are_never_claimed(ids):
    Notification.objects.filter(pk=ids[0]).update(state="sent")
    Notification.objects.filter(pk=ids[1]).update(state="failed")
    assert [n.pk for n in outbox.claim(ids, "a", timezone.now())] == ids[2:]


def test_the_redispatcher_offers_rows_due_or_stuck_only(ids, settings, monkeypatch):
    offered = []
    monkeypatch.setattr(outbox, "dispatch", lambda pks: offered.extend(pks))
    settings.NOTIFICATION_REDISPATCH_GRACE_SECONDS = 60
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 600
    now = timezone.now()
    # just written: its own hand-off on commit is on the way
    assert outbox.redispatch(now=now) == 0
    later = now + dt.timedelta(minutes=2)
    outbox.claim(ids[:1], "busy", later)  # another worker is sending it
    Notification.objects.filter(pk=ids[1]).update(next_attempt_at=later + dt.timedelta(minutes=1))
    assert outbox.redispatch(now=later) == 1 and offered == [ids[2]]
    offered.clear()
    assert outbox.redispatch(now=later + dt.timedelta(minutes=11)) == 3
    assert sorted(offered) == ids


def test_dispatch_with_the_broker_down_does_not_raise(ids, settings):
    from tests.workflow.delivery_rig import broker

    with broker("redis://127.0.0.1:1/0", "test-down:"):
        assert outbox.dispatch(ids) == 0  # logged; the rows stay queued
    assert set(Notification.objects.values_list("state", flat=True)) == {"queued"}


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 3600
    for attempts, full in [(1, 60), (2, 120), (3, 240), (7, 3600), (12, 3600)]:
        delays = {outbox.backoff(attempts).total_seconds() for _ in range(20)}
        assert all(full / 2 <= d <= full for d in delays)
        assert len(delays) > 1  # jitter: retries do not arrive in step


@pytest.fixture
def published():
    """(task name, args) of each message this process hands to the broker."""
    from celery.signals import before_task_publish

    seen = []

    def record(sender=None, body=None, **kwargs):
        seen.append((sender, body[0]))

    before_task_publish.connect(record, weak=False)
    yield seen
    before_task_publish.disconnect(record)


def test_many_rows_cost_the_committing_process_one_message(ids, settings, published):
    settings.NOTIFICATION_BATCH_SIZE = 2
    assert len(ids) == 3

    assert outbox.dispatch(ids) == 1
    assert published == [("workflow.tasks.dispatch_notifications", [ids])]
    # The worker that takes it splits the rows into delivery tasks of the batch size.
    published.clear()
    assert tasks.dispatch_notifications(ids) == 2
    assert published == [
        ("workflow.tasks.deliver_notifications", [ids[:2]]),
        ("workflow.tasks.deliver_notifications", [ids[2:]]),
    ]


def test_rows_for_one_task_go_straight_to_it(ids, settings, published):
    settings.NOTIFICATION_BATCH_SIZE = 3
    assert outbox.dispatch(ids) == 1
    assert published == [("workflow.tasks.deliver_notifications", [ids])]
