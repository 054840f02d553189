"""Celery: the beat entry `dispatch-webhooks` queues one delivery task per subscription
due; each posts its subscription's events in order (webhooks.services.deliver). A slow or
failing receiver holds only its own subscription's task."""

from celery import shared_task


@shared_task(name="webhooks.tasks.dispatch")
def dispatch():
    from . import services

    due = services.due()
    for pk in due:
        deliver.delay(pk)
    return len(due)


@shared_task(name="webhooks.tasks.deliver", acks_late=True, ignore_result=True)
def deliver(subscription_id):
    from . import services

    return services.deliver(subscription_id)
