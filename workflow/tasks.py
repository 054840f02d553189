from celery import shared_task

from . import digest, escalation, laggards, log_consumer, proposal_reminders
from .notifications import outbox


@shared_task(name="workflow.tasks.sweep_escalations")
def sweep_escalations():
    """Every few minutes: fire the escalation steps now due (idempotent; safe to overlap).
    The transition log is followed first, so that a case cleared or remediated since the
    last wake-up has stopped its assignments' ladders before they fire."""
    log_consumer.catch_up()
    result = escalation.sweep()
    return {"fired": dict(result.fired), "skipped": dict(result.skipped)}


@shared_task(name="workflow.tasks.follow_transition_log")
def follow_transition_log():
    """Every minute: apply the transition log rows committed since the last run (the net
    under a lost wake-up or a consumer that died); returns how many."""
    return log_consumer.consume()


@shared_task(
    name="workflow.tasks.deliver_notifications",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def deliver_notifications(self, ids):
    """Send a batch of outbox rows over one connection (queue `email`). The task id is
    the claim: a redelivery of this same task after its worker died may resume it."""
    return outbox.deliver(ids, token=self.request.id or "")


@shared_task(name="workflow.tasks.dispatch_notifications")
def dispatch_notifications(ids):
    """Many outbox rows handed over in one message (outbox.dispatch): split them into
    delivery tasks. Lost, the rows stay queued and the re-dispatcher offers them again."""
    return outbox.split(ids)


@shared_task(name="workflow.tasks.redispatch_notifications")
def redispatch_notifications():
    """Every minute: offer again the rows left queued or stuck in `sending`."""
    return outbox.redispatch()


@shared_task(name="workflow.tasks.queue_governor_digests")
def queue_governor_digests():
    """Daily: each governor's digest of overdue regencies (at most one per local day)."""
    return len(digest.queue_governor_digests())


@shared_task(name="workflow.tasks.issue_acceleration_directives")
def issue_acceleration_directives():
    """Weekly: each regency's acceleration track kept (one open directive per regency:
    opened, updated with the week's figures, or closed on catching up); returns how many
    directives it opened."""
    issued = laggards.issue_acceleration_directives()
    return sum(1 for i in issued if i.directive is not None)


@shared_task(name="workflow.tasks.remind_signatories")
def remind_signatories():
    """Daily: remind each signatory of the written warnings waiting too long for him."""
    return len(proposal_reminders.remind_signatories())
