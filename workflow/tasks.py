from celery import shared_task

from . import escalation


@shared_task(name="workflow.tasks.sweep_escalations")
def sweep_escalations():
    """Every few minutes: fire the escalation steps now due (idempotent; safe to overlap)."""
    result = escalation.sweep()
    return {"fired": dict(result.fired), "skipped": dict(result.skipped)}
