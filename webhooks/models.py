"""Webhook subscriptions and their delivery log (docs/webhooks.md).

A subscription follows the event feed (compliance.events) from its `cursor`: each event
is posted in order, signed as the Standard Webhooks specification says, and the cursor
moves only once the receiver answered 2xx (at least once: a crash between the answer and
the commit sends that event again, with the same `webhook-id`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_subscriptions"
    )  # an official of the office, or a system account with its API token
    office = models.ForeignKey(
        "compliance.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(max_length=500)
    # [] = every type; "regency" = every regency.*; "regency.flag" = that one.
    event_types = models.JSONField(default=list, blank=True)
    # [] = everything the owner's offices cover; else events carrying one of these codes.
    regions = models.JSONField(default=list, blank=True)
    secret = models.CharField(max_length=100)  # whsec_<base64>; needed to sign, so kept
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_until = models.DateTimeField(null=True, blank=True)
    cursor = models.BigIntegerField(default=0)  # the position of the last event delivered
    attempts = models.PositiveIntegerField(default=0)  # failures in a row on the next event
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    # Its code and parameters (compliance.i18n.Message); empty on rows before issue 17.
    disabled_reason_code = models.CharField(max_length=60, blank=True)
    disabled_reason_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self):
        return f"{self.url} ({self.owner})"


class Delivery(models.Model):
    """One attempt to post one event to one subscription."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("compliance.Event", on_delete=models.PROTECT, related_name="+")
    attempt = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        indexes = [models.Index(fields=["subscription", "-id"], name="delivery_by_subscription")]

    def __str__(self):
        return f"{self.subscription_id}:{self.event_id} #{self.attempt} {self.status_code}"
