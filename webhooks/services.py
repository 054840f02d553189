"""Subscriptions and their delivery (docs/webhooks.md): one service for the API, the
admin and the tasks."""

import base64
import datetime as dt
import json
import random
import re
import secrets
from collections.abc import Iterable
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from compliance import events
from compliance.errors import InvalidInput, NotFound
from compliance.i18n import reason_fields
from compliance.models import Event
from compliance.offices import active_offices

from . import http
from .messages import Message
from .models import Delivery, Subscription

TYPE = r"^[a-z_]+(\.[a-z_]+)?$"
REGION = r"^\d{2}(\.\d{2})?$"
MAX_BACKOFF = dt.timedelta(hours=1)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _check(
    url: str, event_types: Iterable[str], regions: Iterable[str]
) -> tuple[list[str], list[str]]:
    try:
        _, host, port, _ = http.check_url(url)
        http.public_address(host, port)
    except http.Refused as e:
        raise InvalidInput(e.message, errors={"url": ["refused"]}) from e
    bad = [t for t in event_types if not re.match(TYPE, t)]
    if bad:
        raise InvalidInput(
            Message("not_event_types", types=", ".join(bad)),
            errors={"event_types": ["invalid"]},
        )
    bad = [r for r in regions if not re.match(REGION, r)]
    if bad:
        raise InvalidInput(
            Message("not_region_codes", codes=", ".join(bad)),
            errors={"regions": ["invalid"]},
        )
    # Regions outside the owner's jurisdiction are allowed and simply never match.
    return list(event_types), list(regions)


def subscribe(
    *, owner: User, url: str, event_types: Iterable[str] = (), regions: Iterable[str] = ()
) -> Subscription:
    """A subscription for `owner` (an official or a system account); its secret is on the
    returned object, and shown once by the API."""
    event_types, regions = _check(url, event_types, regions)
    offices = active_offices(owner)
    return Subscription.objects.create(
        owner=owner,
        office=offices[0] if offices else None,
        url=url,
        event_types=event_types,
        regions=regions,
        secret=new_secret(),
        # From now on: the history before it is in the feed (and replay() can send it).
        cursor=_last_position(),
    )


def _last_position() -> int:
    events.sequence()
    from compliance.models import Event

    return (
        Event.objects.exclude(position=None)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
        or 0
    )


def owned(owner: User, pk: int) -> Subscription:
    sub = Subscription.objects.filter(pk=pk, owner=owner).first()
    if sub is None:
        raise NotFound(Message("subscription_not_found", pk=pk))
    return sub


def rotate_secret(*, owner: User, pk: int, now: dt.datetime | None = None) -> Subscription:
    """A new secret; the old one still signs alongside it for WEBHOOK_SECRET_OVERLAP_HOURS
    so that the receiver can switch without losing a message."""
    now = now or timezone.now()
    with transaction.atomic():
        sub = owned(owner, pk)
        sub.previous_secret, sub.secret = sub.secret, new_secret()
        sub.previous_until = now + dt.timedelta(hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS)
        sub.save(update_fields=["secret", "previous_secret", "previous_until"])
    return sub


def replay(*, owner: User, pk: int, after: int) -> Subscription:
    """Deliver again every event after the cursor `after` (and re-enable)."""
    with transaction.atomic():
        sub = owned(owner, pk)
        sub.cursor, sub.attempts, sub.next_attempt_at = after, 0, None
        sub.failing_since, sub.disabled_at = None, None
        _set(sub, reason_fields("", "disabled_reason"))
        sub.save()
    return sub


def unsubscribe(*, owner: User, pk: int) -> None:
    owned(owner, pk).delete()


# --- delivery -------------------------------------------------------------------------------


def body_of(event: Event) -> bytes:
    """The message (Standard Webhooks' type / timestamp / data), as the feed shows it."""
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.at.isoformat(),
            "data": {
                "id": event.pk,
                "type": event.type,
                "at": event.at.isoformat(),
                "regions": event.regions,
                "data": event.data,
                "cursor": event.position,
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def headers_for(sub: Subscription, event: Event, body: bytes, now: dt.datetime) -> dict[str, str]:
    """webhook-id (the event's: the same on every retry), webhook-timestamp, and
    webhook-signature with every secret in force (both during a rotation's overlap)."""
    msg_id = f"evt_{event.pk}"
    keys = [sub.secret]
    if sub.previous_secret and sub.previous_until and sub.previous_until > now:
        keys.append(sub.previous_secret)
    signature = " ".join(Webhook(key).sign(msg_id, now, body) for key in keys)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "ektp-compliance-webhooks",
    }


def backoff(attempts: int) -> dt.timedelta:
    """10 s, 20 s, 40 s ... up to an hour, each with up to 20 % jitter."""
    delay = min(dt.timedelta(seconds=10 * 2 ** (attempts - 1)), MAX_BACKOFF)
    return delay * (1 + random.random() * 0.2)  # noqa: S311 - spreading retries, not a secret


def due(now: dt.datetime | None = None) -> list[int]:
    """The ids of the subscriptions to try now."""
    now = now or timezone.now()
    rows = Subscription.objects.filter(disabled_at=None, owner__is_active=True)
    rows = rows.exclude(next_attempt_at__gt=now)
    return list(rows.values_list("pk", flat=True))


def deliver(
    subscription_id: int, *, now: dt.datetime | None = None, batch: int | None = None
) -> int:
    """Post the subscription's next events in order, until one fails (it is retried after
    its back-off; nothing after it is sent before it) or the batch ends. One delivery at a
    time per subscription (its row is locked; another worker skips it). Returns how many
    were delivered."""
    events.sequence()  # outside the lock below: sequencing never waits on a receiver
    with transaction.atomic():
        sub = (
            Subscription.objects.select_for_update(skip_locked=True)
            .select_related("owner")
            .filter(pk=subscription_id, disabled_at=None)
            .first()
        )
        now = now or timezone.now()
        if sub is None or (sub.next_attempt_at and sub.next_attempt_at > now):
            return 0
        page, _ = events.read(
            sub.owner,
            after=sub.cursor,
            types=sub.event_types,
            regions=sub.regions,
            limit=batch or settings.WEBHOOK_BATCH,
            sequenced=True,
        )
        delivered = 0
        for event in page:
            if not _post(sub, event, now):
                break
            delivered += 1
        _disable_if_failing_too_long(sub, now)
        sub.save()
    return delivered


def _post(sub: Subscription, event: Event, now: dt.datetime) -> bool:
    body = body_of(event)
    answer = http.post(sub.url, body, headers_for(sub, event, body, timezone.now()))
    Delivery.objects.create(
        subscription=sub,
        event=event,
        attempt=sub.attempts + 1,
        at=now,
        status_code=answer.status,
        ok=answer.ok,
        latency_ms=answer.latency_ms,
        error=answer.error[:2000],
    )
    if answer.ok:
        sub.cursor, sub.attempts = cast(int, event.position), 0  # read() gives sequenced events
        sub.next_attempt_at, sub.failing_since = None, None
        return True
    sub.attempts += 1
    sub.failing_since = sub.failing_since or now
    sub.next_attempt_at = now + backoff(sub.attempts)
    return False


def _disable_if_failing_too_long(sub: Subscription, now: dt.datetime) -> None:
    limit = dt.timedelta(days=settings.WEBHOOK_DISABLE_AFTER_DAYS)
    if sub.failing_since is None or now - sub.failing_since < limit:
        return
    sub.disabled_at = now
    since = f"{sub.failing_since:%Y-%m-%d %H:%M}"
    _set(sub, reason_fields(Message("failing_since", since=since), "disabled_reason"))
    _tell_owner(sub, now)


def _set(sub: Subscription, fields: dict[str, object]) -> None:
    for name, value in fields.items():
        setattr(sub, name, value)


def _tell_owner(sub: Subscription, now: dt.datetime) -> None:
    """The owner's e-mail, through the outbox (never lost, never twice)."""
    from workflow.models import Notification
    from workflow.notifications import outbox

    if not sub.owner.email:
        return
    notice, created = Notification.objects.get_or_create(
        dedupe_key=f"webhook:{sub.pk}:disabled:{now:%Y%m%dT%H%M%S}",
        defaults={
            "recipient_office": sub.office,
            "recipient_email": sub.owner.email,
            "template": "webhook_disabled",
            "language": getattr(sub.office, "language", "id") or "id",
            "context": {
                "url": sub.url,
                "since": cast(dt.datetime, sub.failing_since).isoformat(),  # it is failing
                "subscription": sub.pk,
                "days": settings.WEBHOOK_DISABLE_AFTER_DAYS,
            },
        },
    )
    if created:
        outbox.dispatch_on_commit([notice.pk])
