"""The notification outbox."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assignments import Assignment


class NotificationState(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Notification(models.Model):
    """The outbox: written in the same transaction as its cause, delivered later by Celery.
    The dedupe key makes "the same notice twice" impossible at the database level.

    queued -> sending (claimed by one delivery task) -> sent | failed, or back to queued
    with a later next_attempt_at after a temporary error (workflow/notifications/outbox.py).
    """

    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient_office = models.ForeignKey(
        "compliance.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_email = models.EmailField()
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    state = models.CharField(
        max_length=10, choices=NotificationState.choices, default="queued", db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Generated once, stored before the first send and reused on every retry, so that a
    # duplicate after a crash is recognisable as the same message.
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty: due at once. After a temporary error: not before this instant (back-off).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Which delivery task holds the row (its Celery task id), since when, and until when:
    # a claim past its expiry (in proportion to its batch, outbox.claim_timeout) is
    # presumed dead and may be taken over.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=models.Q(state="queued"),
                name="notification_queued",
            ),
            models.Index(
                fields=["claim_expires_at"],
                condition=models.Q(state="sending"),
                name="notification_claim_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient_email} ({self.state})"
