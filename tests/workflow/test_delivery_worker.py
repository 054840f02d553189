"""The outbox through a real Celery worker (subprocess, Redis) and a real SMTP server:
nothing lost and nothing sent twice when the mail server, the broker or the worker fail.

Each test starts its own worker on its own Redis key prefix against the PostgreSQL test
database; the rows are written by this process exactly as a request would write them."""

import datetime as dt
import os
import signal
from collections import Counter

import pytest
from django.utils import timezone

from workflow.default_policies import ensure_default_policies
from workflow.models import EscalationPolicy, EscalationStep, Notification
from workflow.notifications import outbox
from workflow.tasks import deliver_notifications

from .delivery_rig import MailServer, Worker, broker, new_prefix, wait_for
from .outbox_fixtures import issue_to

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MERANGIN = "bupati.merangin@pemda.example.go.id"
TEBO = "bupati.tebo@pemda.example.go.id"


@pytest.fixture
def rig(postgres, regions, log_flushable, redis_url, tmp_path):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    prefix = new_prefix()
    server = MailServer()
    workers = []

    def worker(**env):
        w = Worker(
            broker_url=redis_url,
            prefix=prefix,
            mail_url=server.url,
            log_path=tmp_path / f"worker{len(workers)}.log",
            NOTIFICATION_RETRY_BASE_SECONDS="0.5",
            NOTIFICATION_RETRY_MAX_SECONDS="1",
            **env,
        )
        workers.append(w)
        return w.start()

    with broker(redis_url, prefix):
        yield server, worker
        for w in workers:
            w.stop()
        server.stop()


def states():
    return Counter(Notification.objects.values_list("state", flat=True))


def all_sent(n):
    return lambda: states() == {"sent": n}


def logs(worker):
    return lambda: f"{states()}\n{worker.log()}"


def redispatch_later():
    """What the beat task does a minute later (past the hand-off grace)."""
    return outbox.redispatch(now=timezone.now() + dt.timedelta(minutes=2))


def assert_each_delivered_once(server, n):
    rows = list(Notification.objects.all())
    assert len(rows) == n and {r.state for r in rows} == {"sent"}
    ids = server.handler.message_ids()
    assert sorted(ids) == sorted(r.message_id for r in rows)


def test_a_directive_puts_one_email_per_recipient_through_smtp(rig):
    server, worker = rig
    server.start()
    issue_to({"province": "15"})  # the tasks wait in Redis: no worker yet
    Notification.objects.filter(recipient_email=TEBO).update(language="en")
    w = worker()
    wait_for(all_sent(11), 45, logs(w))
    assert_each_delivered_once(server, 11)
    merangin = server.handler.to(MERANGIN)[0]
    assert merangin["Subject"] == "Direktif baru: Percepatan perekaman KTP-el"
    text = merangin.get_body(("plain",)).get_content()
    html = merangin.get_body(("html",)).get_content()
    assert "Yth. Bupati Merangin" in text and "http://testserver/ack/" in text
    assert 'lang="id"' in html and "Konfirmasi penerimaan" in html
    tebo = server.handler.to(TEBO)[0]
    assert tebo["Subject"] == "New directive: Percepatan perekaman KTP-el"
    assert "Acknowledge receipt" in tebo.get_body(("html",)).get_content()


def test_mail_server_down_then_up_every_notification_delivered_once(rig):
    server, worker = rig
    w = worker()
    issue_to({"province": "15"})
    wait_for(
        lambda: set(Notification.objects.values_list("attempts", flat=True)) == {1}, 45, logs(w)
    )
    assert states() == {"queued": 11}
    assert all("refused" in e for e in Notification.objects.values_list("last_error", flat=True))
    server.start()
    wait_for(lambda: redispatch_later() == 0 or states() == {"sent": 11}, 45, logs(w))
    wait_for(all_sent(11), 45, logs(w))
    assert_each_delivered_once(server, 11)
    assert set(Notification.objects.values_list("attempts", flat=True)) == {2}


def test_temporary_and_permanent_smtp_answers_are_handled_differently(rig):
    server, worker = rig
    server.start()
    server.handler.replies[MERANGIN] = "451 4.7.1 Greylisted, try again later"
    server.handler.replies[TEBO] = "550 5.1.1 Mailbox does not exist"
    w = worker()
    issue_to({"province": "15"})
    wait_for(lambda: states() == {"sent": 9, "queued": 1, "failed": 1}, 45, logs(w))
    merangin = Notification.objects.get(recipient_email=MERANGIN)
    tebo = Notification.objects.get(recipient_email=TEBO)
    assert merangin.attempts == 1 and "451" in merangin.last_error
    assert merangin.next_attempt_at is not None
    assert tebo.attempts == 1 and "550" in tebo.last_error
    del server.handler.replies[MERANGIN]
    wait_for(lambda: redispatch_later() == 0 and states()["sent"] == 10, 45, logs(w))
    merangin.refresh_from_db()
    assert (merangin.state, merangin.attempts) == ("sent", 2)
    assert Notification.objects.get(recipient_email=TEBO).state == "failed"  # never retried
    assert server.handler.to(TEBO) == []


def test_worker_process_killed_during_a_send_delivers_after_restart(rig):
    """SIGKILL of the pool process mid-send: the task is requeued (acks_late,
    reject_on_worker_lost), the new process resumes its claim; the one message the server
    had already taken comes again with the same Message-ID."""
    server, worker = rig
    server.start()
    server.handler.hold.add(MERANGIN)
    w = worker()
    issue_to({"province": "15"})
    assert server.handler.holding.wait(45), w.log()
    (child,) = w.children()
    os.kill(child, signal.SIGKILL)
    server.handler.release.set()
    wait_for(all_sent(11), 45, logs(w))
    assert "WorkerLostError" in w.log() or "signal 9" in w.log()
    rows = {r.recipient_email: r for r in Notification.objects.all()}
    ids = Counter(server.handler.message_ids())
    assert set(ids) == {r.message_id for r in rows.values()}
    assert ids[rows[MERANGIN].message_id] == 2  # the duplicate is recognisable
    assert all(count == 1 for mid, count in ids.items() if mid != rows[MERANGIN].message_id)


def test_whole_worker_killed_during_a_send_the_redispatcher_recovers_after_restart(rig, settings):
    server, worker = rig
    server.start()
    server.handler.hold.add(MERANGIN)
    w = worker(NOTIFICATION_SENDING_TIMEOUT_SECONDS="2")
    issue_to({"province": "15"})
    assert server.handler.holding.wait(45), w.log()
    w.kill()  # main process and pool: nobody requeues the task
    server.handler.release.set()
    assert states()["sending"] >= 1
    worker(NOTIFICATION_SENDING_TIMEOUT_SECONDS="2")
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 2
    wait_for(lambda: redispatch_later() == 0 and states() == {"sent": 11}, 45, logs(w))
    ids = Counter(server.handler.message_ids())
    assert set(ids) == set(Notification.objects.values_list("message_id", flat=True))
    assert max(ids.values()) <= 2 and sum(ids.values()) <= 12


def test_redis_down_when_a_directive_is_issued(rig, redis_url):
    server, worker = rig
    server.start()
    with broker("redis://127.0.0.1:1/0", "unused:"):
        directive, _ = issue_to({"province": "15"})  # commits; the hand-off fails, logged
    directive.refresh_from_db()
    assert directive.state == "issued"
    assert states() == {"queued": 11}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {0}
    w = worker()
    assert redispatch_later() == 11
    wait_for(all_sent(11), 45, logs(w))
    assert_each_delivered_once(server, 11)


def test_the_redispatcher_does_not_double_send_a_row_another_worker_is_sending(rig):
    server, worker = rig
    server.start()
    server.handler.hold.add(MERANGIN)
    w = worker(concurrency=2)
    issue_to({"regions": ["15.02", "15.09", "15.71"]})
    assert server.handler.holding.wait(45), w.log()
    held = Notification.objects.get(recipient_email=MERANGIN)
    assert held.state == "sending"
    # the beat task does not offer it (claimed moments ago) ...
    assert held.pk not in _offered_by_redispatch()
    # ... and a delivery task for it anyway (a duplicate, a stale offer) skips it
    result = deliver_notifications.apply_async(args=[[held.pk]])
    wait_for(lambda: f"[{result.id}] succeeded" in w.log(), 30, w.log)
    assert "'skipped': 1" in w.log().split(f"[{result.id}] succeeded")[1].splitlines()[0]
    server.handler.release.set()
    wait_for(all_sent(3), 45, logs(w))
    assert len(server.handler.to(MERANGIN)) == 1
    assert_each_delivered_once(server, 3)


def _offered_by_redispatch():
    offered = []
    real = outbox.dispatch
    outbox.dispatch = offered.extend
    try:
        redispatch_later()
    finally:
        outbox.dispatch = real
    return offered


def test_many_rows_handed_over_in_one_message_are_each_delivered_once(rig, settings):
    server, worker = rig
    server.start()
    settings.NOTIFICATION_BATCH_SIZE = 4  # 11 notices: one message, split into 3 tasks
    w = worker(NOTIFICATION_BATCH_SIZE="4")
    issue_to({"province": "15"})
    wait_for(all_sent(11), 45, logs(w))
    assert_each_delivered_once(server, 11)
    received = [line for line in w.log().splitlines() if "received" in line]
    assert sum("tasks.dispatch_notifications[" in line for line in received) == 1
    assert sum("tasks.deliver_notifications[" in line for line in received) == 3
