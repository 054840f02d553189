"""The outbox's delivery: rows are handed to Celery when their transaction commits, a
delivery task claims them with a conditional UPDATE, sends them over one connection and
records every attempt; a periodic re-dispatcher hands over whatever was left behind.

A row is only ever sent by the task that holds its claim (state `sending`, `claimed_by`
the task id). A claim past its expiry, in proportion to its batch (`claim_timeout`), is
presumed dead (its worker was killed) and may be taken over; so may a claim held by the
same task id, which Celery redelivers after its worker was lost (acks_late,
reject_on_worker_lost).
"""

import contextlib
import functools
import hashlib
import logging
import secrets
import smtplib
import socket
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from compliance import compiled
from workflow.models import Notification, NotificationState

from .. import wake_ups
from . import pipelining, render

logger = logging.getLogger(__name__)
Q_ = NotificationState
_random = secrets.SystemRandom()


# --- hand-off -------------------------------------------------------------------


def dispatch_on_commit(ids):
    """Hand the rows to Celery once the transaction that wrote them commits: from the
    process's hand-off thread (AFTER_COMMIT_WORK = "celery", the default: the commit does
    not wait for the broker), or from the committing thread ("inline": the test suite, a
    one-process setup). A process that dies before the hand-off leaves the rows queued:
    the re-dispatcher hands them over, as after a publish lost to a broker down."""
    ids = [pk for pk in ids if pk is not None]
    if ids:
        transaction.on_commit(lambda: _hand_over(ids))


def _hand_over(ids):
    if settings.AFTER_COMMIT_WORK == "inline":
        dispatch(ids)
    else:
        _hand_overs.ask(ids)


def flush_hand_overs(timeout=None):
    """Wait until every row this process asked to hand over was handed to the broker (or
    left to the re-dispatcher, logged); False when `timeout` passed first. For tests."""
    return _hand_overs.flush(timeout)


# One publish for the rows of every commit of a burst (workflow.wake_ups).
_hand_overs = wake_ups.Waker("outbox-hand-over", lambda ids: dispatch(ids)).process_wide()


def dispatch(ids):
    """Hand the rows to Celery. Never raises: with the broker down the rows stay queued and
    the re-dispatcher hands them over later. Returns the messages published.

    Rows for one delivery task go straight to it; more go in one message to a worker that
    splits them into delivery tasks (`split`): a sweep's 20,000 notices or a national
    fan-out's 552 cost the committing process one publish, not one per batch (each
    publish is a round trip to the broker and about a millisecond of the caller's time)."""
    if len(ids) <= settings.NOTIFICATION_BATCH_SIZE:
        return split(ids)
    from workflow.tasks import dispatch_notifications

    try:
        dispatch_notifications.apply_async(args=[ids], retry=False)
    except Exception:
        logger.warning(
            "outbox: could not queue %d notification(s); the re-dispatcher will",
            len(ids),
            exc_info=True,
        )
        return 0
    return 1


def split(ids):
    """Queue delivery tasks of NOTIFICATION_BATCH_SIZE rows (in a worker, for `dispatch`).
    Never raises; returns the tasks queued."""
    from workflow.tasks import deliver_notifications

    size = settings.NOTIFICATION_BATCH_SIZE
    queued = 0
    for start in range(0, len(ids), size):
        try:
            deliver_notifications.apply_async(args=[ids[start : start + size]], retry=False)
        except Exception:
            logger.warning(
                "outbox: could not queue %d notification(s); the re-dispatcher will",
                len(ids) - start,
                exc_info=True,
            )
            break
        queued += 1
    return queued


def redispatch(*, now=None, limit=None):
    """Queue delivery for rows left behind: queued and due (never handed over, or back
    from a temporary error), or stuck in `sending` past the timeout. Safe beside running
    workers: the claim decides who sends, this only offers the rows again."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.NOTIFICATION_REDISPATCH_GRACE_SECONDS)
    ids = list(
        Notification.objects.filter(
            Q(state=Q_.QUEUED, next_attempt_at__lte=now)
            | Q(state=Q_.QUEUED, next_attempt_at__isnull=True, created_at__lte=grace)
            | expired_claim(now)
        )
        .order_by("id")
        .values_list("pk", flat=True)[: limit or settings.NOTIFICATION_REDISPATCH_LIMIT]
    )
    dispatch(ids)
    return len(ids)


# --- claim ----------------------------------------------------------------------

# Each wait on the mail server (connect, each answer) is bounded by EMAIL_TIMEOUT, or by
# this when it is unset (Django's default, None, would wait for ever).
SMTP_TIMEOUT_SECONDS = 20
# What a live worker may take: one wait to open the connection, two per message (a slow
# answer, or a reconnect after a broken connection). A claim is never taken over sooner.
WAITS_PER_MESSAGE = 2


def smtp_timeout():
    return settings.EMAIL_TIMEOUT or SMTP_TIMEOUT_SECONDS


def claim_timeout(size):
    """How long a claim on `size` rows lasts: what sending them may take, so a worker
    killed mid-send delays a small batch by about a minute; at most
    NOTIFICATION_SENDING_TIMEOUT_SECONDS (which stays above the task's time limit)."""
    seconds = smtp_timeout() * (1 + WAITS_PER_MESSAGE * size)
    return timedelta(seconds=min(seconds, settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS))


def expired_claim(now):
    # A claim from before claim_expires_at existed (a rolling deploy) lasts the full timeout.
    stale = now - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)
    return Q(state=Q_.SENDING, claim_expires_at__lt=now) | Q(
        state=Q_.SENDING, claim_expires_at__isnull=True, claimed_at__lt=stale
    )


def claimable(now, token):
    return (
        Q(state=Q_.QUEUED, next_attempt_at__isnull=True)
        | Q(state=Q_.QUEUED, next_attempt_at__lte=now)
        | expired_claim(now)
        | Q(state=Q_.SENDING, claimed_by=token)
    )


def claim(ids, token, now):
    """Take the rows that nobody else is sending, in one conditional UPDATE, until the
    time sending them all may take (counted on `ids`, at least the rows taken). One
    transaction with the rows' Message-IDs: one commit (one WAL flush) per claim."""
    with transaction.atomic():
        Notification.objects.filter(claimable(now, token), pk__in=ids).update(
            state=Q_.SENDING,
            claimed_by=token,
            claimed_at=now,
            claim_expires_at=now + claim_timeout(len(set(ids))),
        )
        rows = list(
            Notification.objects.filter(pk__in=ids, state=Q_.SENDING, claimed_by=token)
            .select_related("assignment__province", "recipient_office")
            .order_by("id")
        )
        missing = [n for n in rows if not n.message_id]
        for n in missing:
            n.message_id = message_id_for(n)
        _message_ids(missing)
    return rows


def _message_ids(rows):
    """`Notification.objects.bulk_update(rows, ["message_id"])`: the same statement,
    compiled by the ORM once per process, connection and number of rows, and run with
    these rows' pks and Message-IDs. Building and compiling a batch's 50 `WHEN`s cost
    0.2 ms of CPU a mail (docs/benchmarks.md), more than running them."""
    if not rows:
        return
    key = (db.alias, db.vendor, len(rows))
    if key not in _MESSAGE_ID_UPDATES:
        _MESSAGE_ID_UPDATES[key] = _message_id_update(len(rows))
    update = _MESSAGE_ID_UPDATES[key]
    if update is None:  # more rows than one statement takes: bulk_update splits them
        Notification.objects.bulk_update(rows, ["message_id"])
        return
    values = [value for n in rows for value in (n.pk, n.message_id)]
    with db.cursor() as cursor:
        cursor.execute(update.sql, update.params(values))


_MESSAGE_ID_UPDATES = {}


def _message_id_update(size):
    """The UPDATE `bulk_update(rows, ["message_id"])` sends for `size` rows (one `CASE
    WHEN pk = ... THEN ...` and one `pk IN (...)`), compiled for marks; None when one
    statement cannot take that many rows."""
    field, pk = Notification._meta.get_field("message_id"), Notification._meta.pk
    marks = [(compiled.mark(0, i), compiled.mark("", i)) for i in range(size)]
    if db.ops.bulk_batch_size([pk, pk, field], marks) < size:
        return None
    case = Case(
        *(When(pk=pk_, then=Value(mid, output_field=field)) for pk_, mid in marks),
        output_field=field,
    )
    if db.features.requires_casted_case_in_updates:
        case = Cast(case, output_field=field)
    rows = Notification.objects.filter(pk__in=[pk_ for pk_, _ in marks])
    query = rows.query.chain(UpdateQuery)
    query.add_update_values({field.attname: case})
    return compiled.Compiled(query, [mark for pair in marks for mark in pair])


def message_id_for(notification):
    """Stable for the row: the same on every attempt, unique across rows."""
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:16]
    domain = _message_id_domain(settings.MESSAGE_ID_DOMAIN, settings.DEFAULT_FROM_EMAIL)
    return f"<notification-{notification.pk}.{digest}@{domain}>"


@functools.lru_cache(maxsize=16)
def _message_id_domain(configured, from_email):
    """MESSAGE_ID_DOMAIN, or DEFAULT_FROM_EMAIL's domain: parsed once, not per row."""
    return configured or parseaddr(from_email)[1].rpartition("@")[2] or "localhost"


# --- send -----------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    error: str
    permanent: bool


def classify(exc, *, at_connect=False):
    """Temporary (retry later) or permanent (give up now) from what the server said."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if at_connect:  # the server or our configuration, not this message: try again later
        return Failure(error, permanent=False)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Failure(error, permanent=bool(codes) and all(500 <= c < 600 for c in codes))
    if isinstance(exc, smtplib.SMTPResponseException):
        return Failure(error, permanent=500 <= exc.smtp_code < 600)
    if type(exc).__name__ == "AnymailRecipientsRefused":
        return Failure(error, permanent=True)
    return Failure(error, permanent=False)  # disconnects, timeouts, refused connections


def _broken(exc, connection):
    """The session is gone (reconnect before the next message), not a message refused on
    a live one: a disconnection or a socket error, or a refusal after which smtplib closed
    the connection itself (a 421, "closing transmission channel"). Every SMTPException
    is an OSError: the others leave the session usable."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        smtp = getattr(connection, "connection", None)
        return smtp is not None and getattr(smtp, "sock", True) is None
    return isinstance(exc, OSError)


def send_claimed(rows, record):
    """Send each row over one open connection; `record(row, failure_or_None)` after each,
    in order, each committed before the server may accept the next message."""
    connection = get_connection(timeout=smtp_timeout())  # what claim_timeout counts on
    try:
        connection.open()
    except Exception as exc:
        failure = classify(exc, at_connect=True)
        for n in rows:
            record(n, failure)
        return
    try:
        batch = render.Batch(rows)  # what the rows share, read and rendered once
    except Exception:
        logger.exception("outbox: the batch's directives could not be read; one by one")
        batch = None
    sender = _HeldSender(connection) if _HeldSender.fits(connection) else _Sender(connection)
    try:
        _send_each(rows, record, connection, sender, batch)
    finally:
        sender.close()
        try:
            connection.close()
        except Exception:
            logger.debug("outbox: closing the mail connection failed", exc_info=True)


def _send_each(rows, record, connection, sender, batch):
    pending = []  # the outcome sent last, recorded while the next message goes out
    ahead = {}  # the next row's message, rendered while this one's end of data is answered
    unrecorded = []  # a record that raised (the database gone): it ends the batch

    def record_pending():
        while pending:
            try:
                record(*pending.pop())
            except BaseException as exc:
                unrecorded.append(exc)
                raise

    def rendered(n):
        try:
            return render.message(n, connection=connection, batch=batch), None
        except Exception as exc:
            logger.exception("outbox: notification %s does not render", n.pk)
            return None, Failure(f"render: {type(exc).__name__}: {exc}", permanent=True)

    for i, n in enumerate(rows):
        message, failure = ahead.pop(i, None) or rendered(n)
        if failure is not None:
            record_pending()
            record(n, failure)
            continue

        def render_next(i=i):
            if i + 1 < len(rows):
                ahead[i + 1] = rendered(rows[i + 1])

        try:
            sender.send(message, before_end=record_pending, meanwhile=render_next)
        except Exception as exc:
            if unrecorded:  # not this message's failure: as before, the task fails
                raise
            record_pending()
            record(n, classify(exc))
            if _broken(exc, connection) and not _reopen(connection):
                for rest in rows[i + 1 :]:
                    record(rest, classify(exc, at_connect=True))
                return
            continue
        pending.append((n, None))
    record_pending()


class _Sender:
    """Any backend: the previous outcome is recorded, then the message sent (`meanwhile`
    is for what may run while the server answers)."""

    def __init__(self, connection):
        self.connection = connection

    def send(self, message, *, before_end, meanwhile):
        before_end()
        self.connection.send_messages([message])

    def close(self):
        pass


# After this, the end of a message's data, the server accepts the message (RFC 5321).
END_OF_DATA = b"\r\n.\r\n"


class _HeldSender(_Sender):
    """Django's SMTP backend, the previous outcome's record overlapping the next message:
    a helper thread flattens the message and hands the server its envelope (MAIL, RCPT,
    DATA) and its data while this thread commits the record, and sends the end of data,
    after which the server accepts the message, only once that commit returned. So at no
    moment has the server accepted two messages whose records are not both committed: a
    crash (worker, database, Redis, mail server) still re-sends at most the mail in
    flight. A record that fails drops the connection before the end of data, and the
    server discards the message (RFC 5321, section 4.1.1.4). With a server that allows
    it, the envelope's three commands go out in one write (`pipelining`, RFC 2920)."""

    @staticmethod
    def fits(connection):
        return isinstance(connection, SMTPBackend) and connection.connection is not None

    def __init__(self, connection):
        super().__init__(connection)
        self.helper = ThreadPoolExecutor(1, thread_name_prefix="outbox-smtp")

    def send(self, message, *, before_end, meanwhile):
        smtp = self.connection.connection
        # The end of data follows the data as a write of its own: without this, it waits
        # for the server's delayed acknowledgement of the data (Nagle's algorithm, ~40 ms).
        with contextlib.suppress(OSError, AttributeError):
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        held = _HeldEnd(smtp)
        smtp.send = held.send  # this message's writes; the class's `send` does the rest
        smtp.sendmail = functools.partial(pipelining.sendmail, smtp)  # its envelope in one write
        try:
            sending = self.helper.submit(_send_one, self.connection, message)
            try:
                before_end()
            except BaseException:
                held.drop()
                with contextlib.suppress(BaseException):
                    sending.result()
                raise
            held.release()
            meanwhile()
            sending.result()
        finally:
            vars(smtp).pop("send", None)
            vars(smtp).pop("sendmail", None)

    def close(self):
        self.helper.shutdown(wait=True)


def _send_one(backend, message):
    """Django's SMTP backend's `_send` (its send_messages without the lock this one
    thread does not need), the addresses' sanitizing remembered (`_sanitized`). A backend
    that changes how a message is sent (a subclass with its own send_messages or _send:
    DKIM signing...) sends it itself."""
    if type(backend).send_messages is not SMTPBackend.send_messages or (
        type(backend)._send is not SMTPBackend._send
    ):
        backend.send_messages([message])
        return
    recipients = message.recipients()
    if not recipients:
        return
    encoding = message.encoding or settings.DEFAULT_CHARSET
    backend.connection.sendmail(
        _sanitized(message.from_email, encoding),
        [_sanitized(address, encoding) for address in recipients],
        message.message().as_bytes(linesep="\r\n"),
    )


@functools.lru_cache(maxsize=4096)
def _sanitized(address, encoding):
    """django.core.mail.message.sanitize_address, a pure function of its arguments that
    parses the address with the email package (0.04-0.06 ms): the same sender on every mail,
    the same 552 offices on every national directive."""
    return sanitize_address(address, encoding)


class _HeldEnd:
    """One message's writes to the server: all at once, but the end of its data waits
    until `release` (or is never sent after `drop`, which closes the connection)."""

    def __init__(self, smtp):
        self.smtp = smtp
        self.released = threading.Event()
        self.dropped = False

    def send(self, data):
        smtp = self.smtp
        if isinstance(data, bytes) and data.endswith(END_OF_DATA):
            type(smtp).send(smtp, data[: -len(END_OF_DATA) + 2])  # up to the last line's end
            self.released.wait()
            if self.dropped:
                smtp.close()
                raise smtplib.SMTPServerDisconnected("outbox: the previous record failed")
            data = data[-len(END_OF_DATA) + 2 :]  # ".\r\n"
        type(smtp).send(smtp, data)

    def release(self):
        self.released.set()

    def drop(self):
        """The record failed: the message must not be accepted. A helper still waiting
        for an answer is woken by the socket's shutdown."""
        self.dropped = True
        with contextlib.suppress(OSError, AttributeError):
            self.smtp.sock.shutdown(socket.SHUT_RDWR)
        self.released.set()


def _reopen(connection):
    with contextlib.suppress(Exception):  # the connection is already gone
        connection.close()
    try:
        connection.open()
    except Exception:
        return False
    return True


# --- record ---------------------------------------------------------------------


def backoff(attempts):
    """Exponential back-off with jitter: about base x 2^(n-1), capped, never in step."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    delay = min(settings.NOTIFICATION_RETRY_MAX_SECONDS, base * 2 ** (attempts - 1))
    return timedelta(seconds=_random.uniform(delay / 2, delay))


def outcome_group():
    """How many sent rows may be recorded between two waits for the disk
    (NOTIFICATION_OUTCOME_GROUP). Each sent row is recorded by its own committed UPDATE
    before the next mail is sent, so a worker killed, a connection lost, Redis or the mail
    server gone re-send at most the mail in flight, whatever this is. On PostgreSQL all but
    every g-th of these commits (and the batch's last) return without waiting for the WAL
    flush (`synchronous_commit` off for that transaction alone): committed and seen at
    once by every session, but lost if the database server itself crashes before its WAL
    writer flushes them (a fraction of a second). Such a crash re-sends at most g mails,
    with their Message-IDs, the one in flight included. 1: every record waits."""
    return max(1, settings.NOTIFICATION_OUTCOME_GROUP)


COMMON = {
    "attempts": F("attempts") + 1,
    "claimed_by": "",
    "claimed_at": None,
    "claim_expires_at": None,
}


# Put before a record's UPDATE in the same query string: PostgreSQL runs the two as one
# implicit transaction (one round trip), whose commit alone skips the wait for the disk.
RELAX = "SET LOCAL synchronous_commit TO OFF; "


def _can_relax():
    """Only on PostgreSQL (SQLite in WAL mode with synchronous=NORMAL never waits on a
    commit), and only for a transaction of our own (inside an outer one, its commit
    decides)."""
    return db.vendor == "postgresql" and not db.in_atomic_block


def _relaxed_cursor():
    """A cursor on the same connection that binds the parameters itself (Django's
    client-side cursor class): RELAX and the UPDATE are one query string, which
    server-side binding (DATABASES OPTIONS `server_side_binding`) would refuse, since it
    allows one statement a query."""
    from django.db.backends.postgresql.base import Cursor

    db.ensure_connection()
    db.validate_thread_sharing()
    raw = Cursor(db.connection)
    return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


class _RowUpdate:
    """`mine([pk]).update(**values, sent_at=...)` for one row at a time, compiled by the
    ORM once per batch (`compliance.compiled`) and run per row with that row's pk and instant:
    compiling the UPDATE cost more CPU than running it (0.45 of 0.5 ms a mail,
    docs/benchmarks.md)."""

    def __init__(self, rows_of, **values):
        pk, at = compiled.mark(0, 0), compiled.mark(timezone.now(), 1)
        query = rows_of([pk]).query.chain(UpdateQuery)
        query.add_update_values({**values, "sent_at": at})
        # The instant's place found as the ORM wrote it (text on SQLite), adapted alike.
        self.compiled = compiled.Compiled(query, [pk, at])

    def __call__(self, pk, *, sent_at, durable=True):
        params = self.compiled.params([pk, sent_at])
        sql = self.compiled.sql
        relaxed = not durable and _can_relax()
        with (
            transaction.mark_for_rollback_on_error(),
            _relaxed_cursor() if relaxed else db.cursor() as cursor,
        ):
            cursor.execute(RELAX + sql if relaxed else sql, params)


class _Recorder:
    """`record(row, failure_or_None)` after each send, before the next: one committed
    UPDATE per row. A sent row's commit waits for the disk only every `outcome_group()`
    rows and for the batch's last one (`RELAX`); a failure's always (it also makes the
    records before it durable)."""

    def __init__(self, token, counts, size, group=None):
        self.token, self.counts, self.left = token, counts, size
        self.group = group or outcome_group()
        self.relaxed = 0  # sent rows recorded since the last durable commit
        self.record_sent = _RowUpdate(self.mine, state=Q_.SENT, **COMMON)

    def mine(self, pks):
        return Notification.objects.filter(pk__in=pks, state=Q_.SENDING, claimed_by=self.token)

    def __call__(self, n, failure):
        self.left -= 1
        if failure is None:
            self.sent(n)
        else:
            self.failed(n, failure)
            self.relaxed = 0

    def sent(self, n):
        durable = self.left == 0 or self.relaxed + 1 >= self.group
        self.record_sent(n.pk, sent_at=timezone.now(), durable=durable)
        self.relaxed = 0 if durable else self.relaxed + 1
        self.counts["sent"] += 1

    def failed(self, n, failure):
        counts, now = self.counts, timezone.now()
        mine, common = self.mine([n.pk]), COMMON
        attempts = n.attempts + 1
        if failure.permanent or attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            mine.update(state=Q_.FAILED, last_error=failure.error, **common)
            counts["failed"] += 1
            logger.warning("outbox: notification %s failed: %s", n.pk, failure.error)
        else:
            mine.update(
                state=Q_.QUEUED,
                last_error=failure.error,
                next_attempt_at=now + backoff(attempts),
                **common,
            )
            counts["retry"] += 1


def deliver(ids, *, token):
    """Claim the rows `ids` for `token` (a task id), send them, record every attempt."""
    counts = Counter()
    rows = claim(ids, token, timezone.now())
    counts["skipped"] = len(set(ids)) - len(rows)
    if rows:
        send_claimed(rows, _Recorder(token, counts, len(rows)))
    return dict(counts)
