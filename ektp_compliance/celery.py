"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ektp_compliance.settings")

app = Celery("ektp_compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["ektp_compliance"])


@worker_process_shutdown.connect
def _hand_over_before_exit(**kwargs):
    """A prefork child ends with os._exit, which skips atexit: what its commits asked its
    threads to hand to the broker (workflow.wake_ups) is handed over first, rather than
    left to the beat entries that would catch up a minute later."""
    from workflow import wake_ups

    wake_ups.flush_process_wide()
