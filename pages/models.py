from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """The one-time key of a confirmed action (pages.confirm.once): the same form sent
    twice (a double click, a reload, the back button, a second tab) acts once. The key
    is stored in the same transaction as the action, so a second request with it waits
    for the first and then finds it."""

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_url = models.CharField(max_length=500, blank=True)  # where the first one led

    def __str__(self):
        return f"{self.user_id}:{self.key}"
