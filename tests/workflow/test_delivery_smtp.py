"""Delivery against a real SMTP server (aiosmtpd in this process), one batch at a time:
one connection per batch, temporary answers (4xx, server down) retried with back-off,
permanent ones (5xx) failed at once, every attempt recorded, the Message-ID stable; the
same with a server that offers PIPELINING (RFC 2920), each envelope then in one write."""

import datetime as dt
import smtplib
from collections import Counter

import pytest
from asgiref.sync import sync_to_async
from django.core.mail.backends.smtp import EmailBackend
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow.models import Notification
from workflow.notifications import outbox

from .delivery_rig import GroupingServer, MailHandler, MailServer, serving_mail
from .outbox_fixtures import at_issue, issue_to  # noqa: F401 (at_issue: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_issue")]

MERANGIN = "bupati.merangin@pemda.example.go.id"
TEBO = "bupati.tebo@pemda.example.go.id"


@pytest.fixture(params=[False, True], ids=["one-by-one", "pipelined"])
def server(settings, request):
    server = serving_mail(settings, MailHandler(pipelining=request.param))
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    yield server
    server.stop()


@pytest.fixture
def ids():
    issue_to({"province": "15"})
    return list(Notification.objects.order_by("id").values_list("pk", flat=True))


def test_a_batch_goes_out_over_one_connection(server, ids):
    assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    assert server.handler.sessions == 1
    assert len(server.handler.messages) == 11
    rows = Notification.objects.all()
    assert {n.state for n in rows} == {"sent"}
    assert {n.attempts for n in rows} == {1}
    assert sorted(server.handler.message_ids()) == sorted(n.message_id for n in rows)
    assert all(n.message_id.startswith(f"<notification-{n.pk}.") for n in rows)


def test_a_batch_costs_one_statement_per_mail_and_a_few_for_the_batch(
    server, ids, django_assert_max_num_queries
):
    """Claim (update, read, Message-IDs, in one transaction), the batch's directives
    once, then one committed UPDATE per mail, right after its send: a crash re-sends at
    most that one mail, whatever NOTIFICATION_OUTCOME_GROUP."""
    with django_assert_max_num_queries(len(ids) + 6):  # + the claim's savepoint
        assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}


def test_a_temporary_answer_queues_the_row_again_with_back_off(server, ids):
    server.handler.replies[MERANGIN] = "451 4.7.1 Greylisted, try again later"
    before = timezone.now()
    result = outbox.deliver(ids, token="t1")
    assert result == {"sent": 10, "retry": 1, "skipped": 0}
    n = Notification.objects.get(recipient_email=MERANGIN)
    assert (n.state, n.attempts) == ("queued", 1)
    assert "451" in n.last_error and "Greylisted" in n.last_error
    # base 60 s, first attempt: between half and the whole delay (jitter)
    assert before + dt.timedelta(seconds=30) <= n.next_attempt_at
    assert n.next_attempt_at <= timezone.now() + dt.timedelta(seconds=60)
    first_id = n.message_id
    # not due yet: a second delivery leaves it alone
    assert outbox.deliver([n.pk], token="t2") == {"skipped": 1}
    Notification.objects.filter(pk=n.pk).update(next_attempt_at=timezone.now())
    del server.handler.replies[MERANGIN]
    assert outbox.deliver([n.pk], token="t3") == {"sent": 1, "skipped": 0}
    n.refresh_from_db()
    assert (n.state, n.attempts, n.message_id) == ("sent", 2, first_id)
    assert [m["Message-ID"] for m in server.handler.to(MERANGIN)] == [first_id]


def test_a_permanent_answer_fails_the_row_at_once(server, ids):
    server.handler.replies[TEBO] = "550 5.1.1 Mailbox does not exist"
    assert outbox.deliver(ids, token="t1") == {"sent": 10, "failed": 1, "skipped": 0}
    n = Notification.objects.get(recipient_email=TEBO)
    assert (n.state, n.attempts, n.next_attempt_at) == ("failed", 1, None)
    assert "550" in n.last_error and "Mailbox does not exist" in n.last_error
    assert server.handler.sessions == 1  # a refusal leaves the connection in use


def test_a_server_closing_the_connection_retries_that_row_and_sends_the_rest_anew(server, ids):
    server.handler.replies[MERANGIN] = "421 4.3.2 Service shutting down"
    assert outbox.deliver(ids, token="t1") == {"sent": 10, "retry": 1, "skipped": 0}
    n = Notification.objects.get(recipient_email=MERANGIN)
    assert (n.state, n.attempts) == ("queued", 1) and "421" in n.last_error
    assert server.handler.sessions == 2  # the rest over a new connection
    assert len(server.handler.messages) == 10


def test_a_refused_sender_fails_every_row_and_the_connection_stays_usable(server, ids):
    server.handler.sender_reply = "553 5.7.1 Sender address rejected"
    assert outbox.deliver(ids[:2], token="t1") == {"failed": 2, "skipped": 0}
    assert all("553" in n.last_error for n in Notification.objects.filter(pk__in=ids[:2]))
    server.handler.sender_reply = None
    assert outbox.deliver(ids[2:], token="t2") == {"sent": 9, "skipped": 0}
    assert server.handler.sessions == 2 and len(server.handler.messages) == 9


def test_a_server_offering_pipelining_gets_each_envelope_in_one_write(settings, ids):
    """MAIL, RCPT and DATA reach the server before it answers any of them: one round trip
    for the envelope, not three (RFC 2920, section 3.1)."""
    server = GroupingServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    finally:
        server.stop()
    assert server.groups == [["MAIL", "RCPT", "DATA"]] * 11
    rows = Notification.objects.order_by("id")
    assert [m["Message-ID"] for m in server.messages] == [n.message_id for n in rows]


def test_temporary_failures_end_in_failed_after_the_bounded_number_of_attempts(server, ids):
    server.handler.replies[MERANGIN] = "452 4.2.2 Mailbox full"
    pk = Notification.objects.get(recipient_email=MERANGIN).pk
    for attempt in (1, 2, 3):
        Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
        outbox.deliver([pk], token=f"t{attempt}")
    n = Notification.objects.get(pk=pk)
    assert (n.state, n.attempts) == ("failed", 3)
    assert "452" in n.last_error


def test_the_server_down_leaves_every_row_queued_for_later(settings, ids):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    down = MailServer()  # a free port nobody listens on
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", down.port, 5
    assert outbox.deliver(ids, token="t1") == {"retry": 11, "skipped": 0}
    rows = Notification.objects.all()
    assert {(n.state, n.attempts) for n in rows} == {("queued", 1)}
    assert all("Connection refused" in n.last_error for n in rows)
    assert all(n.next_attempt_at > timezone.now() for n in rows)


class Signing(EmailBackend):
    """A deployment's own SMTP backend that changes each message as it sends it."""

    def _send(self, email_message):
        email_message.extra_headers["X-Signed"] = "yes"
        return super()._send(email_message)


def test_an_smtp_backend_of_ones_own_still_sends_each_message_itself(server, ids, settings):
    settings.EMAIL_BACKEND = "tests.workflow.test_delivery_smtp.Signing"
    assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    assert [m["X-Signed"] for m in server.handler.messages] == ["yes"] * 11
    assert server.handler.sessions == 1


def test_the_file_backend_works_too(settings, tmp_path, ids):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    assert outbox.deliver(ids, token="t1")["sent"] == 11
    text = "".join(p.read_text() for p in tmp_path.iterdir())
    assert text.count("Message-ID: <notification-") == 11


# --- a crash between a send and its record ------------------------------------------


class WorkerDied(BaseException):
    """SIGKILL, a power cut: nothing after it runs in the worker (no except, no finally
    that a BaseException would not also skip)."""


class DiesAfterSending(EmailBackend):
    """The SMTP backend of a worker that dies just after the server accepted its
    `left`-th message, before it could record it."""

    left = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        type(self).left -= 1
        if type(self).left == 0:
            raise WorkerDied
        return sent


@pytest.mark.parametrize(("group", "k"), [(1, 0), (1, 4), (3, 0), (3, 1), (3, 2), (5, 7), (50, 10)])
def test_a_worker_killed_after_k_sends_re_sends_only_the_mail_in_flight(
    server, ids, settings, group, k
):
    """Every sent row is committed before the next send, whatever
    NOTIFICATION_OUTCOME_GROUP (which only spaces the waits for the disk): a worker
    killed just after the server accepted mail k + 1 re-sends that one, with its
    Message-ID."""
    settings.NOTIFICATION_OUTCOME_GROUP = group
    settings.EMAIL_BACKEND = "tests.workflow.test_delivery_smtp.DiesAfterSending"
    DiesAfterSending.left = k + 1
    with pytest.raises(WorkerDied):
        outbox.deliver(ids, token="t1")
    assert len(server.handler.messages) == k + 1
    assert Notification.objects.filter(state="sent").count() == k

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    outbox.deliver(ids, token="t1")  # Celery redelivers the task: it resumes its claim

    assert_every_row_sent_and_one_mail_twice(server)


@pytest.mark.django_db(transaction=True)  # the records' own commits, as in a worker
@pytest.mark.usefixtures("log_flushable", "regions")
@pytest.mark.parametrize(("group", "relaxed"), [(1, 0), (3, 7), (5, 8), (50, 10)])
def test_the_records_wait_for_the_disk_every_group_and_at_the_end_of_the_batch(
    server, ids, settings, group, relaxed
):
    """On PostgreSQL, of 11 records with groups of g, the g-th, 2g-th... and the last
    commit durably; the others without waiting for the WAL flush, each in the implicit
    transaction of its one query (the session's setting is untouched). SQLite: never
    (nothing to wait for). The statements are the same in number either way."""
    settings.NOTIFICATION_OUTCOME_GROUP = group
    with CaptureQueriesContext(connection) as queries:
        assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    statements = [q["sql"] for q in queries.captured_queries]
    on_postgresql = connection.vendor == "postgresql"
    assert sum(sql.startswith(outbox.RELAX) for sql in statements) == (
        relaxed if on_postgresql else 0
    )
    # claim (3, in BEGIN ... COMMIT), the directives (1), one query per mail (11)
    assert len(statements) == 17
    if on_postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)
    assert {n.state for n in Notification.objects.all()} == {"sent"}


def test_a_record_never_touches_a_row_claimed_by_another_task(server, ids):
    """The record is conditional on the claim: a row taken over meanwhile is left to
    its new holder."""
    rows = outbox.claim(ids[:2], "t1", timezone.now())
    Notification.objects.filter(pk=ids[1]).update(claimed_by="t2")
    counts = Counter()
    outbox.send_claimed(rows, outbox._Recorder("t1", counts, len(rows)))
    first, second = Notification.objects.filter(pk__in=ids[:2]).order_by("id")
    assert (first.state, first.attempts, first.claimed_by) == ("sent", 1, "")
    assert first.sent_at is not None
    assert (second.state, second.attempts, second.claimed_by) == ("sending", 0, "t2")
    assert second.sent_at is None


# --- the next message overlaps the record, never its acceptance ----------------------


class SentRowsAtAccept(MailHandler):
    """Notes, when each message is accepted (its end of data received), how many rows
    the database holds as sent: read from another connection, as a crash would leave it."""

    def __init__(self, *, terminate_at=None, backend_pid=None, pipelining=False):
        super().__init__(pipelining=pipelining)
        self.sent_at_accept = []
        self.terminate_at, self.backend_pid = terminate_at, backend_pid

    async def handle_DATA(self, server, session, envelope):
        sent = await sync_to_async(self.look, thread_sensitive=False)()
        self.sent_at_accept.append(sent)
        return await super().handle_DATA(server, session, envelope)

    def look(self):
        try:
            with connection.cursor() as cursor:
                if len(self.sent_at_accept) + 1 == self.terminate_at:
                    # the database fails while the server accepts this message
                    cursor.execute("SELECT pg_terminate_backend(%s)", [self.backend_pid])
            return Notification.objects.filter(state="sent").count()
        finally:
            connection.close()  # this thread's own connection


@pytest.fixture
def watching(settings):
    servers = []

    def start(handler):
        servers.append(serving_mail(settings, handler))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.mark.django_db(transaction=True)  # the records' own commits, seen from elsewhere
@pytest.mark.usefixtures("log_flushable", "regions")
@pytest.mark.parametrize("group", [1, 5])
@pytest.mark.parametrize("pipelining", [False, True], ids=["one-by-one", "pipelined"])
def test_the_server_accepts_a_message_only_once_every_earlier_one_is_recorded(
    watching, ids, settings, group, pipelining
):
    """The next message's envelope and data go out while the previous record commits,
    but its end of data (after which the server accepts it) only after that commit: at
    every acceptance all earlier mails are recorded as sent, so a crash at any moment
    re-sends at most the mail in flight."""
    settings.NOTIFICATION_OUTCOME_GROUP = group
    server = watching(SentRowsAtAccept(pipelining=pipelining))
    assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    assert server.handler.sent_at_accept == list(range(11))
    assert server.handler.sessions == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("log_flushable", "regions", "postgres")
@pytest.mark.parametrize("k", [1, 6, 11])
@pytest.mark.parametrize("pipelining", [False, True], ids=["one-by-one", "pipelined"])
def test_the_database_lost_while_a_mail_is_accepted_re_sends_only_that_mail(
    watching, ids, k, pipelining
):
    """The database connection dies while the server accepts mail k: its record fails,
    the next message, already handed over, is dropped before its end of data (the server
    discards it), and the task's redelivery re-sends mail k alone."""
    pid = connection.connection.info.backend_pid
    server = watching(SentRowsAtAccept(terminate_at=k, backend_pid=pid, pipelining=pipelining))
    with pytest.raises(OperationalError):
        outbox.deliver(ids, token="t1")
    assert len(server.handler.messages) == k
    connection.close()  # the worker's next task connects again
    assert Notification.objects.filter(state="sent").count() == k - 1

    server.handler.terminate_at = None
    outbox.deliver(ids, token="t1")  # Celery redelivers the task: it resumes its claim

    assert_every_row_sent_and_one_mail_twice(server)
    assert server.handler.sent_at_accept[k:] == list(range(k - 1, 11))


def assert_every_row_sent_and_one_mail_twice(server):
    """After a crash and Celery's redelivery: every row sent, and the server received the
    mail in flight twice (its Message-ID), no other."""
    rows = list(Notification.objects.all())
    assert {n.state for n in rows} == {"sent"}
    copies = Counter(server.handler.message_ids())
    assert set(copies) == {n.message_id for n in rows}
    assert sum(copies.values()) - len(rows) == 1
    assert max(copies.values()) == 2


class Logging(smtplib.SMTP):
    """A deployment's own connection class whose sendmail does something of its own."""

    sent = 0

    def sendmail(self, *args, **kwargs):
        type(self).sent += 1
        return super().sendmail(*args, **kwargs)


class WithOwnConnection(EmailBackend):
    connection_class = Logging


def test_a_connection_class_of_ones_own_keeps_its_sendmail(server, ids, settings):
    settings.EMAIL_BACKEND = "tests.workflow.test_delivery_smtp.WithOwnConnection"
    Logging.sent = 0
    assert outbox.deliver(ids, token="t1") == {"sent": 11, "skipped": 0}
    assert Logging.sent == 11 and len(server.handler.messages) == 11
