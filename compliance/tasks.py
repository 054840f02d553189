from celery import shared_task

from . import services


@shared_task(name="compliance.tasks.sweep_probation")
def sweep_probation():
    """Daily: clear reconnected regencies whose probation passed without a new violation."""
    return services.clear_after_probation()
