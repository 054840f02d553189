"""Import jobs: a ministry office uploads a file of recording reports, a Celery task
imports it (compliance.tasks.import_recording) and saves its progress and outcome.

The job is handed to Celery when its transaction commits; with the broker down it stays
queued and the re-dispatcher (compliance.tasks.redispatch_imports, every minute) hands it
over later. The task claims the job with a conditional UPDATE, so only one delivery
imports it, however many arrive."""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .errors import InvalidInput, NotAllowed, NotFound
from .messages import Message
from .models import ImportFormat, ImportStatus, RecordingImport
from .offices import active_offices
from .recording_import import ImportResult, count_rows, error, import_file
from .summary import refresh_after_import

logger = logging.getLogger(__name__)
FORMATS = {".csv": ImportFormat.CSV, ".xlsx": ImportFormat.XLSX}
# Progress is saved at most this often (in lines), besides after each block read.
PROGRESS_EVERY = 20_000
CRASHED = error(None, None, "import_failed")
# A queued job younger than this is probably still being handed over on commit.
REDISPATCH_GRACE = timedelta(seconds=60)
# The task's hard time limit (compliance.tasks.import_recording): a job running for longer
# has lost its worker, as no live one can still hold it.
TIME_LIMIT_SECONDS = 3300
TAKEOVER_AFTER = timedelta(seconds=TIME_LIMIT_SECONDS + 300)
# A job that outlives its worker this many times is one the worker cannot finish (a file
# that runs past the time limit, a worker killed by the memory limit): it fails, said so,
# instead of being taken up again every hour for ever. Ministry policy choice.
MAX_ATTEMPTS = 3
GAVE_UP = error(
    None, None, "import_abandoned", attempts=MAX_ATTEMPTS, minutes=TIME_LIMIT_SECONDS // 60
)


def ministry_office(user):
    """The office through which the user may import reports (a ministry office), or None."""
    return next((o for o in active_offices(user) if o.is_ministry), None)


def file_format(name):
    fmt = FORMATS.get(Path(name or "").suffix.lower())
    if fmt is None:
        raise InvalidInput(
            Message("recording_file_format"), errors={"file": ["must be .csv or .xlsx"]}
        )
    return fmt


def create_import(*, actor, file):
    """Keep the uploaded file and queue its import once the job is committed."""
    office = ministry_office(actor)
    if office is None:
        raise NotAllowed(Message("ministry_only_import"))
    if file is None:
        raise InvalidInput(Message("recording_file_required"), errors={"file": ["required"]})
    fmt = file_format(file.name)
    if file.size > settings.RECORDING_IMPORT_MAX_BYTES:
        raise InvalidInput(
            Message("recording_file_too_large", limit=settings.RECORDING_IMPORT_MAX_BYTES),
            errors={"file": ["too large"]},
        )
    with transaction.atomic():
        job = RecordingImport(
            original_name=Path(file.name).name[:255], format=fmt, created_by=actor, office=office
        )
        job.file.save(f"{timezone.now():%Y%m%d-%H%M%S}.{fmt}", file, save=False)
        job.save()
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id):
    """Queue the import task. Never raises: with the broker down the job stays queued and
    the re-dispatcher hands it over later. Returns whether it was queued."""
    from .tasks import import_recording

    try:
        import_recording.apply_async(args=[job_id], retry=False)
    except Exception:
        logger.warning(
            "recording: could not queue import %s; the re-dispatcher will", job_id, exc_info=True
        )
        return False
    return True


def abandoned(now):
    """Running past the task's time limit: its worker died. Taken up again while it has
    attempts left."""
    return Q(
        status=ImportStatus.RUNNING,
        started_at__lt=now - TAKEOVER_AFTER,
        attempts__lt=MAX_ATTEMPTS,
    )


def given_up(now):
    """Abandoned by its last allowed attempt."""
    return Q(
        status=ImportStatus.RUNNING,
        started_at__lt=now - TAKEOVER_AFTER,
        attempts__gte=MAX_ATTEMPTS,
    )


def left_behind(now):
    """Jobs no worker is on: queued past the grace (never handed over, or the message
    lost), or abandoned."""
    return Q(status=ImportStatus.QUEUED, created_at__lte=now - REDISPATCH_GRACE) | abandoned(now)


def redispatch(*, now=None):
    """Queue the import of the jobs left behind again, and fail those abandoned by their
    last attempt. Safe beside running workers: the claim decides who imports, this only
    offers the jobs. Returns the jobs offered."""
    now = now or timezone.now()
    _give_up(RecordingImport.objects.filter(given_up(now)))
    ids = list(
        RecordingImport.objects.filter(left_behind(now)).order_by("id").values_list("pk", flat=True)
    )
    for pk in ids:
        if not dispatch(pk):
            break  # the broker is down: the next round tries again
    return len(ids)


def visible_imports(user):
    """Import jobs are the ministry's: every ministry office sees them all."""
    if ministry_office(user) is None:
        return RecordingImport.objects.none()
    return RecordingImport.objects.select_related("created_by", "office")


def get_visible_import(user, pk):
    try:
        return visible_imports(user).get(pk=pk)
    except RecordingImport.DoesNotExist:
        raise NotFound(Message("import_not_found", pk=pk)) from None


def _claim(job_id):
    """Mark the job running, in one conditional UPDATE that only one delivery wins; False
    when another holds it, it is finished (a retried or duplicated task) or gone. A job
    running past the task's time limit has lost its worker and is claimed again: the
    import replaces whole rows, so running it twice writes the same reports."""
    now = timezone.now()
    claimed = (
        RecordingImport.objects.filter(pk=job_id)
        .filter(Q(status=ImportStatus.QUEUED) | abandoned(now))
        .update(
            status=ImportStatus.RUNNING, started_at=now, rows_done=0, attempts=F("attempts") + 1
        )
    )
    return claimed == 1


def _give_up(jobs):
    for pk in jobs.values_list("pk", flat=True):
        logger.error("recording: import %s abandoned %s times; failed", pk, MAX_ATTEMPTS)
    jobs.update(
        status=ImportStatus.FAILED,
        rows_written=0,
        error_count=1,
        errors=[GAVE_UP],
        finished_at=timezone.now(),
    )


def run_import(job_id, *, today=None):
    """Import the job's file: every row checked, written all or nothing, the outcome saved
    on the job (with the reports, in the same transaction, when it succeeds)."""
    if not _claim(job_id):
        return None
    job = RecordingImport.objects.get(pk=job_id)
    jobs = RecordingImport.objects.filter(pk=job_id)
    try:
        result = _import(job, jobs, today)
    except Exception:
        # Never leave a job running for ever: the page would poll it without end.
        _finish(jobs, ImportStatus.FAILED, ImportResult(error_count=1, errors=[CRASHED]))
        raise
    if not result.ok:
        _finish(jobs, ImportStatus.FAILED, result)
    else:
        # The new figures and laggards, stored now rather than by the first reader.
        refresh_after_import()
    job.refresh_from_db()
    return job


def _import(job, jobs, today):
    with job.file.open("rb") as source:
        jobs.update(rows_total=count_rows(source, job.format))
        saved = {"lines": 0}

        def progress(lines):
            if lines - saved["lines"] >= PROGRESS_EVERY or saved["lines"] == 0:
                jobs.update(rows_done=lines)
                saved["lines"] = lines

        def written(result):
            _finish(jobs, ImportStatus.SUCCEEDED, result)

        return import_file(
            source, fmt=job.format, today=today, on_progress=progress, on_written=written
        )


def _finish(jobs, status, result):
    jobs.update(
        status=status,
        rows_total=result.rows_total,
        rows_done=result.rows_total,
        rows_written=result.rows_written if status == ImportStatus.SUCCEEDED else 0,
        error_count=result.error_count,
        errors=result.errors,
        finished_at=timezone.now(),
    )
