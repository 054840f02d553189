from celery import shared_task

from . import services


@shared_task(name="compliance.tasks.sweep_probation")
def sweep_probation():
    """Daily: clear reconnected regencies whose probation passed without a new violation."""
    return services.clear_after_probation()


# Long files: past the default limits, within the broker's visibility timeout (3600 s).
@shared_task(name="compliance.tasks.import_recording", soft_time_limit=3000, time_limit=3300)
def import_recording(job_id):
    """Import an uploaded file of recording reports; a finished job is left alone, so a
    retried or duplicated delivery does nothing."""
    from . import recording_jobs

    job = recording_jobs.run_import(job_id)
    return job and job.status
