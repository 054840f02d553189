"""Import jobs: a ministry office uploads a file of recording reports, a Celery task
imports it (compliance.tasks.import_recording) and saves its progress and outcome."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .errors import InvalidInput, NotAllowed, NotFound
from .models import ImportFormat, ImportStatus, RecordingImport
from .offices import active_offices
from .recording_import import ImportResult, count_rows, error, import_file

FORMATS = {".csv": ImportFormat.CSV, ".xlsx": ImportFormat.XLSX}
# Progress is saved at most this often (in lines), besides after each block read.
PROGRESS_EVERY = 20_000
CRASHED = error(None, None, "import_failed")


def ministry_office(user):
    """The office through which the user may import reports (a ministry office), or None."""
    return next((o for o in active_offices(user) if o.is_ministry), None)


def file_format(name):
    fmt = FORMATS.get(Path(name or "").suffix.lower())
    if fmt is None:
        raise InvalidInput(
            "Berkas harus .csv atau .xlsx / The file must be .csv or .xlsx",
            errors={"file": ["must be .csv or .xlsx"]},
        )
    return fmt


def create_import(*, actor, file):
    """Keep the uploaded file and queue its import once the job is committed."""
    office = ministry_office(actor)
    if office is None:
        raise NotAllowed(
            "Hanya jabatan kementerian yang dapat mengimpor laporan perekaman / "
            "Only ministry offices may import recording reports"
        )
    if file is None:
        raise InvalidInput("Berkas wajib diisi / A file is required", errors={"file": ["required"]})
    fmt = file_format(file.name)
    if file.size > settings.RECORDING_IMPORT_MAX_BYTES:
        raise InvalidInput(
            f"Berkas melebihi {settings.RECORDING_IMPORT_MAX_BYTES} bita / "
            f"The file is larger than {settings.RECORDING_IMPORT_MAX_BYTES} bytes",
            errors={"file": ["too large"]},
        )
    with transaction.atomic():
        job = RecordingImport(
            original_name=Path(file.name).name[:255], format=fmt, created_by=actor, office=office
        )
        job.file.save(f"{timezone.now():%Y%m%d-%H%M%S}.{fmt}", file, save=False)
        job.save()
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from .tasks import import_recording

    import_recording.delay(job_id)


def visible_imports(user):
    """Import jobs are the ministry's: every ministry office sees them all."""
    if ministry_office(user) is None:
        return RecordingImport.objects.none()
    return RecordingImport.objects.select_related("created_by", "office")


def get_visible_import(user, pk):
    try:
        return visible_imports(user).get(pk=pk)
    except RecordingImport.DoesNotExist:
        raise NotFound(f"Impor {pk} tidak ditemukan / Import {pk} not found") from None


def _claim(job_id):
    """Mark the job running; False when it is finished (a retried or duplicated task) or
    gone. A job left running by a lost worker is claimed again: the import replaces
    whole rows, so running it twice writes the same reports."""
    unfinished = Q(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING])
    claimed = RecordingImport.objects.filter(unfinished, pk=job_id).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0
    )
    return claimed == 1


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
