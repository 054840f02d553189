"""Import jobs: only ministry offices upload; the task imports once, saves progress and
the outcome, and a retried or duplicated delivery of a finished job does nothing."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance import recording_jobs
from compliance.errors import InvalidInput, NotAllowed
from compliance.models import ImportStatus, RecordingImport, RecordingReport
from compliance.recording_import import bilingual
from compliance.recording_jobs import TAKEOVER_AFTER, create_import, run_import
from compliance.tasks import import_recording
from tests.factories import official

pytestmark = pytest.mark.django_db

HEADER = b"district_code,date,obliged,recorded,printed\n"
GOOD = HEADER + b"15.02.01,2017-10-01,1000,600,550\n15.02.02,2017-10-01,2000,1500,1400\n"
BAD = HEADER + b"15.02.01,2017-10-01,1000,600,550\n1502020,2017-10-01,2000,2500,1400\n"


def upload(content, name="rekam.csv", kind="ministry_officer", region=None):
    user = official(kind, region)
    return create_import(actor=user, file=SimpleUploadedFile(name, content))


def test_a_ministry_officer_queues_an_import_sent_once_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = upload(GOOD)
    assert (job.status, job.format, job.original_name) == ("queued", "csv", "rekam.csv")
    assert job.office.kind == "ministry_officer"
    assert job.file.read() == GOOD
    assert len(callbacks) == 1  # the task is sent after the commit, not before


@pytest.mark.parametrize(("kind", "region"), [("governor", "15"), ("regent", "15.02")])
def test_regional_offices_may_not_import(kind, region):
    with pytest.raises(NotAllowed):
        upload(GOOD, kind=kind, region=region)
    assert not RecordingImport.objects.exists()


def test_only_csv_and_xlsx_files(settings):
    with pytest.raises(InvalidInput):
        upload(GOOD, name="rekam.txt")
    settings.RECORDING_IMPORT_MAX_BYTES = 10
    with pytest.raises(InvalidInput):
        upload(GOOD)


def test_the_task_writes_the_reports_and_records_the_outcome():
    job = upload(GOOD)
    assert import_recording(job.pk) == ImportStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.rows_total, job.rows_done, job.rows_written, job.error_count) == (2, 2, 2, 0)
    assert job.started_at and job.finished_at and job.percent_done == 100
    assert RecordingReport.objects.count() == 2


def test_a_finished_job_is_left_alone_when_the_task_comes_again():
    job = upload(GOOD)
    import_recording(job.pk)
    RecordingReport.objects.update(recorded=10, printed=1)
    assert import_recording(job.pk) is None  # nothing run, nothing replaced
    assert set(RecordingReport.objects.values_list("recorded", flat=True)) == {10}


def test_a_job_left_running_by_a_lost_worker_runs_again():
    job = upload(GOOD)
    lost = timezone.now() - TAKEOVER_AFTER - timedelta(minutes=1)  # past the time limit
    RecordingImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=lost)
    assert import_recording(job.pk) == ImportStatus.SUCCEEDED


def test_a_job_its_workers_never_finish_fails_after_three_attempts_instead_of_looping(
    monkeypatch,
):
    job = upload(GOOD)
    offered = []
    monkeypatch.setattr(recording_jobs, "dispatch", lambda pk: offered.append(pk) or True)
    for attempt in (1, 2, 3):
        assert recording_jobs._claim(job.pk)  # a worker takes it up...
        lost = timezone.now() - TAKEOVER_AFTER - timedelta(minutes=1)
        RecordingImport.objects.filter(pk=job.pk).update(started_at=lost)  # ...and is lost
        assert RecordingImport.objects.get(pk=job.pk).attempts == attempt

    assert recording_jobs.redispatch() == 0
    assert offered == []
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.error_count) == (ImportStatus.FAILED, 0, 1)
    assert job.errors[0]["code"] == "import_abandoned"
    assert "3 kali" in bilingual(job.errors[0]) and "55-minute" in bilingual(job.errors[0])
    assert import_recording(job.pk) is None  # a late delivery does nothing
    assert not RecordingReport.objects.exists()


def test_each_take_up_is_counted():
    job = upload(GOOD)
    import_recording(job.pk)
    assert RecordingImport.objects.get(pk=job.pk).attempts == 1


def test_a_refused_file_keeps_its_errors_and_writes_nothing():
    job = run_import(upload(BAD).pk, today=date(2017, 10, 31))
    assert job.status == "failed"
    assert (job.error_count, job.rows_written) == (2, 0)
    assert [(e["line"], e["code"]) for e in job.errors] == [
        (3, "bps_code"),
        (3, "recorded_above_obliged"),
    ]
    assert not RecordingReport.objects.exists()
