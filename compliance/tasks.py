from celery import shared_task

from . import access, recording_jobs, services


@shared_task(name="compliance.tasks.sweep_probation")
def sweep_probation():
    """Daily: clear reconnected regencies whose probation passed without a new violation."""
    return services.clear_after_probation()


@shared_task(name="compliance.tasks.escalate_access_orders")
def escalate_access_orders():
    """Every five minutes: access orders past their time escalate to their director."""
    return [order.pk for order in access.escalate_overdue()]


# Long files: past the default limits, within the broker's visibility timeout (3600 s).
@shared_task(
    name="compliance.tasks.import_recording",
    soft_time_limit=recording_jobs.TIME_LIMIT_SECONDS - 300,
    time_limit=recording_jobs.TIME_LIMIT_SECONDS,
)
def import_recording(job_id):
    """Import an uploaded file of recording reports. The job is claimed first: a delivery
    that finds it taken or finished does nothing."""
    job = recording_jobs.run_import(job_id)
    return job and job.status


@shared_task(name="compliance.tasks.redispatch_imports")
def redispatch_imports():
    """Every minute: offer again the imports left queued (the broker was down) or running
    past the task's time limit (the worker died)."""
    return recording_jobs.redispatch()


@shared_task(name="compliance.tasks.sequence_events")
def sequence_events():
    """Positions for the events committed without one (compliance.events.sequence)."""
    from . import events

    return events.sequence()
