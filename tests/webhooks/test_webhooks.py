"""Webhooks (issue 19 item 2): the feed's events posted to a real HTTP receiver, signed as
the Standard Webhooks specification says, at least once and in order per subscription;
a receiver that is down gets everything once it is back; public https receivers only."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from compliance import events
from tests.compliance.api_helpers import client_for, flag
from tests.factories import official
from webhooks import services
from webhooks.models import Delivery, Subscription
from workflow.models import Notification

pytestmark = pytest.mark.django_db
API = "/api/v1/webhook-subscriptions/"


class Receiver:
    """A real HTTP server on 127.0.0.1 recording what it is sent; `status` is what it
    answers, `delay` how long it takes."""

    def __init__(self):
        self.received, self.status, self.delay = [], 204, 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                time.sleep(receiver.delay)
                receiver.received.append((dict(self.headers), body, self.path))
                self.send_response(receiver.status)
                if receiver.status == 302:
                    self.send_header("location", f"http://127.0.0.1:{self.server.server_port}/x")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def down(self):
        self.server.shutdown()
        self.server.server_close()

    def types(self):
        return [json.loads(body)["type"] for _, body, _ in self.received]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def officer():
    return official("ministry_officer")


def subscribe(owner, url, **kw):
    response = client_for(owner).post(API, {"url": url, **kw}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_subscribing_answers_with_the_secret_once(receiver, officer):
    created = subscribe(officer, receiver.url, event_types=["regency"])
    assert created["secret"].startswith("whsec_")
    [listed] = client_for(officer).get(API).json()
    assert listed["id"] == created["id"] and "secret" not in listed
    assert client_for(official("regent", "15.02")).get(API).json() == []  # his own only


def test_every_event_arrives_once_in_order_and_signed(receiver, officer):
    created = subscribe(officer, receiver.url)
    for code in ("15.01", "15.02", "15.03"):
        flag(code)
    assert services.deliver(created["id"]) == 3
    assert services.deliver(created["id"]) == 0  # nothing twice
    webhook = Webhook(created["secret"])
    messages = [webhook.verify(body, headers) for headers, body, _ in receiver.received]
    assert [m["data"]["data"]["regency"] for m in messages] == ["15.01", "15.02", "15.03"]
    assert [m["type"] for m in messages] == ["regency.flag"] * 3
    ids = [headers["webhook-id"] for headers, _, _ in receiver.received]
    assert ids == [f"evt_{m['data']['id']}" for m in messages]
    assert Subscription.objects.get().cursor == messages[-1]["data"]["cursor"]


def test_a_receiver_down_for_ten_minutes_gets_everything_after_it_is_back(receiver, officer):
    created = subscribe(officer, receiver.url)
    url = receiver.url
    receiver.down()
    flag("15.01")
    flag("15.02")
    start = timezone.now()
    assert services.deliver(created["id"], now=start) == 0
    sub = Subscription.objects.get()
    assert (sub.cursor, sub.attempts) == (created["cursor"], 1)
    assert sub.next_attempt_at > start
    failed = Delivery.objects.get()
    assert (failed.ok, failed.status_code) == (False, None) and failed.error
    assert services.deliver(created["id"], now=start) == 0  # waits for its back-off
    # Ten minutes of retries while down: each a failure, nothing skipped.
    for minute in range(1, 11):
        services.deliver(created["id"], now=start + dt.timedelta(minutes=minute))
    assert Subscription.objects.get().cursor == created["cursor"]
    back = Receiver()
    Subscription.objects.filter(pk=created["id"]).update(
        url=url.replace(url.rsplit(":", 1)[1].split("/")[0], str(back.server.server_port))
    )
    try:
        later = start + dt.timedelta(minutes=30)
        assert services.deliver(created["id"], now=later) == 2
        assert [json.loads(b)["data"]["data"]["regency"] for _, b, _ in back.received] == [
            "15.01",
            "15.02",
        ]
    finally:
        back.server.shutdown()


def test_a_failing_answer_is_retried_and_nothing_after_it_is_sent_first(receiver, officer):
    created = subscribe(officer, receiver.url)
    flag("15.01")
    flag("15.02")
    receiver.status = 503
    now = timezone.now()
    assert services.deliver(created["id"], now=now) == 0
    assert receiver.types() == ["regency.flag"]  # the first only, not the second
    receiver.status = 204
    assert services.deliver(created["id"], now=now + dt.timedelta(hours=2)) == 2
    first = [json.loads(b)["data"]["cursor"] for _, b, _ in receiver.received]
    assert first[0] == first[1] and first[2] > first[1]  # the same event again, then on


def test_a_slow_receiver_is_cut_off_by_the_timeout(receiver, officer):
    created = subscribe(officer, receiver.url)
    flag("15.01")
    receiver.delay = 1.5  # beyond the 0.5 s read timeout
    started = time.monotonic()
    assert services.deliver(created["id"]) == 0
    assert time.monotonic() - started < 1.4
    assert "Timeout" in Delivery.objects.get().error


def test_a_redirect_is_not_followed(receiver, officer):
    created = subscribe(officer, receiver.url)
    flag("15.01")
    receiver.status = 302
    assert services.deliver(created["id"]) == 0
    assert [path for _, _, path in receiver.received] == ["/hook"]  # never /x
    assert Delivery.objects.get().status_code == 302


def test_a_tampered_or_replayed_message_fails_verification(receiver, officer, time_machine):
    created = subscribe(officer, receiver.url)
    flag("15.01")
    services.deliver(created["id"])
    [(headers, body, _)] = receiver.received
    webhook = Webhook(created["secret"])
    webhook.verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        webhook.verify(body.replace(b"15.01", b"15.09"), headers)
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=10), tick=False)
    with pytest.raises(WebhookVerificationError):  # outside the timestamp tolerance
        webhook.verify(body, headers)


def test_a_rotated_secret_signs_alongside_the_old_one_for_the_overlap(receiver, officer):
    created = subscribe(officer, receiver.url)
    rotated = client_for(officer).post(f"{API}{created['id']}/rotate-secret/").json()
    assert rotated["secret"] != created["secret"]
    flag("15.01")
    services.deliver(created["id"])
    [(headers, body, _)] = receiver.received
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(created["secret"]).verify(body, headers)
    Webhook(rotated["secret"]).verify(body, headers)


def test_only_public_https_receivers_are_accepted(settings, officer):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    for url in (
        "http://example.go.id/hook",  # not https
        "https://127.0.0.1/hook",  # loopback
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest",  # link-local (cloud metadata)
        "https://[::1]/hook",
    ):
        response = client_for(officer).post(API, {"url": url}, format="json")
        assert response.status_code in (400, 422), url
    assert not Subscription.objects.exists()


def test_the_address_is_checked_again_at_delivery(receiver, officer, settings):
    created = subscribe(officer, receiver.url)
    flag("15.01")
    settings.WEBHOOK_ALLOW_PRIVATE = False  # as if its name now pointed inside
    Subscription.objects.filter(pk=created["id"]).update(
        url=receiver.url.replace("http://", "https://")
    )
    assert services.deliver(created["id"]) == 0
    assert receiver.received == []
    assert "non-public" in Delivery.objects.get().error


def test_a_subscription_failing_for_days_is_disabled_and_its_owner_told(receiver, officer):
    created = subscribe(officer, receiver.url)
    receiver.status = 500
    flag("15.01")
    start = timezone.now()
    services.deliver(created["id"], now=start)
    services.deliver(created["id"], now=start + dt.timedelta(days=3, minutes=1))
    sub = Subscription.objects.get()
    assert sub.disabled_at is not None
    notice = Notification.objects.get(template="webhook_disabled")
    assert notice.recipient_email == officer.email
    assert services.deliver(created["id"], now=start + dt.timedelta(days=4)) == 0
    # Fixed, the owner replays from the last cursor received: nothing was lost.
    receiver.status = 204
    client_for(officer).post(
        f"{API}{created['id']}/replay/", {"after": created["cursor"]}, format="json"
    )
    assert services.deliver(created["id"]) == 1


def test_a_subscription_sees_only_its_owners_jurisdiction_and_types(receiver):
    riau = subscribe(official("governor", "14"), receiver.url)
    jambi_flags = subscribe(official("governor", "15"), receiver.url, event_types=["regency.flag"])
    flag("15.02")
    events.record("directive.issued", at=timezone.now(), regions=["15"], data={})
    assert services.deliver(riau["id"]) == 0
    assert services.deliver(jambi_flags["id"]) == 1
    assert receiver.types() == ["regency.flag"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_what_the_dispatch_queues(
    postgres, regions, log_flushable, redis_url, tmp_path, settings
):
    """Celery for real: the beat's dispatch queues a delivery task per subscription; a
    worker (subprocess, Redis, the webhooks queue) posts the events to the receiver."""
    from tests.workflow.delivery_rig import Worker, broker, new_prefix, wait_for
    from webhooks.tasks import dispatch
    from workflow.default_policies import ensure_default_policies
    from workflow.models import EscalationPolicy, EscalationStep

    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    settings.WEBHOOK_ALLOW_PRIVATE = True
    receiver = Receiver()
    officer = official("ministry_officer")
    created = subscribe(officer, receiver.url)
    flag("15.01")
    flag("15.02")
    prefix = new_prefix()
    worker = Worker(
        broker_url=redis_url,
        prefix=prefix,
        mail_url="smtp://127.0.0.1:1",
        log_path=tmp_path / "worker.log",
        queues="webhooks",
        WEBHOOK_ALLOW_PRIVATE="1",
    )
    try:
        with broker(redis_url, prefix):
            worker.start()
            assert dispatch() == 1
            wait_for(lambda: len(receiver.received) >= 4, 30, worker.log)
        webhook = Webhook(created["secret"])
        messages = [webhook.verify(body, headers) for headers, body, _ in receiver.received]
        # Each flag, committed, opens its remediation directive (compliance's signal).
        assert [(m["type"], m["data"]["regions"][-1]) for m in messages] == [
            ("regency.flag", "15.01"),
            ("directive.issued", "15.01"),
            ("regency.flag", "15.02"),
            ("directive.issued", "15.02"),
        ]
    finally:
        worker.stop()
        receiver.server.shutdown()


def test_the_network_system_hears_each_order_by_webhook_and_confirms_it_by_api(receiver):
    """The network side's own system: subscribed to access orders, it cuts when told and
    confirms through the API with its token; the regency is suspended from that instant."""
    from tests.compliance.api_helpers import request_suspension

    network = official("network_operator")
    created = subscribe(network, receiver.url, event_types=["access_order"])
    flag("15.02")
    request = request_suspension("15.02")
    client_for(official("ministry_director")).post(
        f"/api/v1/suspension-requests/{request.pk}/approve/", {}, format="json"
    )
    assert services.deliver(created["id"]) == 1
    webhook = Webhook(created["secret"])
    [issued] = [webhook.verify(body, headers) for headers, body, _ in receiver.received]
    assert issued["type"] == "access_order.issued"
    order = issued["data"]["data"]
    assert (order["kind"], order["regency"]) == ("cut", "15.02")

    answer = client_for(network).post(
        f"/api/v1/access-orders/{order['access_order']}/execute/",
        {"reference": "NET-4411"},
        format="json",
    )

    assert answer.status_code == 200, answer.content
    assert client_for(network).get("/api/v1/regencies/15.02/").json()["state"] == "suspended"
    assert services.deliver(created["id"]) == 1
    assert receiver.types() == ["access_order.issued", "access_order.executed"]
