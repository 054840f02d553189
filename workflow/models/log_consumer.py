"""The position of a reader of compliance's transition log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LogConsumer(models.Model):
    """How far a consumer of compliance's transition log has read (workflow.log_consumer):
    the feed position of the last `regency.*` event whose log row it applied. One row per
    consumer, locked while it reads; moved in the transaction of the effects it records."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pembaca log transisi")
        verbose_name_plural = _("pembaca log transisi")

    def __str__(self):
        return f"{self.name} @ {self.position}"
