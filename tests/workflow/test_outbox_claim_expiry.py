"""A claim lasts what sending its batch may take: a worker killed mid-send delays a small
batch by about a minute, a larger one longer in proportion, never more than
NOTIFICATION_SENDING_TIMEOUT_SECONDS; and the mail connection never waits longer than the
claim counts on."""

import datetime as dt
import socket

import pytest
from django.utils import timezone

from workflow.models import Notification
from workflow.notifications import outbox

from .outbox_fixtures import at_issue, issue_to  # noqa: F401 (at_issue: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_issue")]
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def ids(settings):
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 600
    settings.EMAIL_TIMEOUT = None  # the default: outbox.SMTP_TIMEOUT_SECONDS (20 s) a wait
    issue_to({"regions": ["15.02", "15.09", "15.71"]})
    return list(Notification.objects.order_by("id").values_list("pk", flat=True))


def taken_over(ids, at):
    return [n.pk for n in outbox.claim(ids, "another", at)]


def test_a_dead_claim_on_one_notification_is_taken_over_after_a_minute(ids):
    now = timezone.now()
    outbox.claim(ids[:1], "dead", now)
    assert taken_over(ids[:1], now + dt.timedelta(seconds=59)) == []
    assert taken_over(ids[:1], now + dt.timedelta(seconds=61)) == ids[:1]


def test_a_larger_batch_keeps_its_claim_longer_in_proportion(ids):
    now = timezone.now()
    outbox.claim(ids, "dead", now)
    expiry = now + dt.timedelta(seconds=20 * (1 + 2 * 3))  # a wait to connect, two a message
    assert Notification.objects.get(pk=ids[0]).claim_expires_at == expiry
    assert taken_over(ids, expiry - SECOND) == []
    assert taken_over(ids, expiry + SECOND) == ids


def test_no_claim_lasts_longer_than_the_sending_timeout(settings):
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 600
    settings.EMAIL_TIMEOUT = None
    assert outbox.claim_timeout(1) == dt.timedelta(seconds=60)
    assert outbox.claim_timeout(50) == dt.timedelta(seconds=600)


@pytest.mark.parametrize("email_timeout", [None, 5, 30])
def test_a_live_claim_outlasts_the_mail_timeouts_of_its_batch(settings, email_timeout):
    settings.EMAIL_TIMEOUT = email_timeout
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 10**6
    wait = email_timeout or outbox.SMTP_TIMEOUT_SECONDS
    for size in (1, 2, 10, 50):
        # the connection, then a slow answer and a reconnect for every message
        assert outbox.claim_timeout(size).total_seconds() >= wait * (1 + 2 * size)


def test_the_redispatcher_offers_a_dead_claim_on_one_notification_after_a_minute(ids, monkeypatch):
    offered = []
    monkeypatch.setattr(outbox, "dispatch", lambda pks: offered.extend(pks))
    Notification.objects.filter(pk__in=ids[1:]).update(state="sent")
    now = timezone.now()
    outbox.claim(ids[:1], "dead", now)
    assert outbox.redispatch(now=now + dt.timedelta(seconds=59)) == 0
    assert outbox.redispatch(now=now + dt.timedelta(seconds=61)) == 1 and offered == ids[:1]


def test_a_claim_from_before_its_expiry_was_stored_lasts_the_sending_timeout(ids):
    now = timezone.now()
    Notification.objects.filter(pk__in=ids).update(
        state="sending", claimed_by="old-worker", claimed_at=now, claim_expires_at=None
    )
    assert taken_over(ids, now + dt.timedelta(seconds=599)) == []
    assert taken_over(ids, now + dt.timedelta(seconds=601)) == ids


def test_the_mail_connection_waits_no_longer_than_the_claim_counts_on(ids, settings, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on: the connection is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    opened, real = [], outbox.get_connection
    monkeypatch.setattr(
        outbox, "get_connection", lambda **kw: opened.append(real(**kw)) or opened[-1]
    )
    assert outbox.deliver(ids[:1], token="t") == {"skipped": 0, "retry": 1}
    assert [c.timeout for c in opened] == [20]  # outbox.SMTP_TIMEOUT_SECONDS, not for ever
    row = Notification.objects.get(pk=ids[0])
    assert (row.state, row.claimed_by, row.claim_expires_at) == ("queued", "", None)
