from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A credential for the API, named after the system that uses it ("siak-sinkron",
    "dasbor-jabar"): one name, one live token per account. Only its hash is stored
    (django-rest-knox); the key is shown once, when it is issued.

    Revoked and expired tokens are kept, refused, for the audit: who issued which token to
    which account, when it was last used, who revoked it and when."""

    name = models.CharField(_("nama"), max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diterbitkan oleh"),
    )
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["user_id", "name", "-created"]
        constraints = [
            # Rotating a name revokes the old token in the same transaction.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_token_per_name",
            )
        ]

    def __str__(self):
        return f"{self.user} / {self.name} ({self.token_key}…)"

    def state(self, now=None):
        """'revoked', 'expired' or 'active'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expiry is not None and self.expiry <= (now or timezone.now()):
            return "expired"
        return "active"
