from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import escalation, remediation


@shared_task(name="workflow.tasks.sweep_escalations")
def sweep_escalations():
    """Every few minutes: fire the escalation steps now due (idempotent; safe to overlap)."""
    remediation.reconcile(since=timezone.now() - timedelta(days=2))
    result = escalation.sweep()
    return {"fired": dict(result.fired), "skipped": dict(result.skipped)}
