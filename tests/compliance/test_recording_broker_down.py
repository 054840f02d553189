"""Nothing stuck when the broker is down: an upload still answers (the page opens the job,
the API answers 202), the job waits queued, and the re-dispatcher offers it again once its
grace has passed. However many deliveries of the import arrive, one imports."""

import datetime as dt
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import recording_jobs, tasks
from compliance.models import ImportStatus, RecordingImport, RecordingReport
from compliance.recording_jobs import create_import
from ektp_compliance.celery import app
from tests.compliance.api_helpers import client_for
from tests.factories import official
from tests.workflow.delivery_rig import broker

DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: every hand-off is refused
HEADER = b"district_code,date,obliged,recorded,printed\n"
GOOD = HEADER + b"15.02.01,2017-10-01,1000,600,550\n15.02.02,2017-10-01,2000,1500,1400\n"
WIB = dt.timezone(dt.timedelta(hours=7))
UPLOADED = dt.datetime(2017, 10, 31, 9, 0, tzinfo=WIB)

# The hand-off runs when the upload's transaction really commits, inside the request, as
# it does in production (no test transaction around it).
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_upload(time_machine):
    """The clock at UPLOADED, ticking (kombu's retries wait on it); a test stops it at the
    exact instants it checks."""
    time_machine.move_to(UPLOADED, tick=True)
    return time_machine


def upload(content=GOOD):
    return create_import(
        actor=official("ministry_officer"), file=SimpleUploadedFile("rekam.csv", content)
    )


def refused_hand_off(caplog):
    return [r for r in caplog.records if "could not queue import" in r.getMessage()]


@committed
def test_the_upload_page_opens_the_waiting_job_with_the_broker_down(
    client, regions, log_flushable, caplog
):
    client.force_login(official("ministry_officer"))
    with caplog.at_level(logging.WARNING), broker(DOWN, "test-down:"):
        response = client.post(
            reverse("recording:upload"), {"file": SimpleUploadedFile("rekam.csv", GOOD)}
        )
    job = RecordingImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recording:job", args=[job.pk])
    assert job.status == ImportStatus.QUEUED
    assert len(refused_hand_off(caplog)) == 1  # tried on commit, logged, not raised
    client.cookies["django_language"] = "en"
    assert "Waiting for a worker…" in client.get(response.url).content.decode()


@committed
def test_the_api_answers_202_with_the_queued_job_with_the_broker_down(
    regions, log_flushable, caplog
):
    officer = client_for(official("ministry_officer"))
    with caplog.at_level(logging.WARNING), broker(DOWN, "test-down:"):
        response = officer.post(
            "/api/v1/recording/imports/",
            {"file": SimpleUploadedFile("rekam.csv", GOOD)},
            format="multipart",
        )
    assert response.status_code == 202
    body = response.json()
    assert (body["id"], body["status"]) == (RecordingImport.objects.get().pk, "queued")
    assert len(refused_hand_off(caplog)) == 1


@pytest.mark.django_db
def test_the_redispatcher_offers_a_queued_job_once_its_grace_has_passed(at_upload, monkeypatch):
    job = upload()
    offered = []
    monkeypatch.setattr(recording_jobs, "dispatch", lambda pk: offered.append(pk) or True)
    at_upload.move_to(UPLOADED + dt.timedelta(seconds=59), tick=False)
    assert tasks.redispatch_imports() == 0  # its own hand-off on commit may be on the way
    at_upload.move_to(UPLOADED + dt.timedelta(seconds=61), tick=False)
    assert tasks.redispatch_imports() == 1 and offered == [job.pk]


@pytest.mark.django_db
def test_the_redispatcher_with_the_broker_still_down_leaves_the_job_queued(at_upload, caplog):
    job = upload()
    with caplog.at_level(logging.WARNING), broker(DOWN, "test-down:"):
        later = UPLOADED + dt.timedelta(minutes=2)
        assert recording_jobs.redispatch(now=later) == 1
    assert len(refused_hand_off(caplog)) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED


@pytest.mark.django_db
def test_a_second_delivery_while_the_first_imports_does_nothing(at_upload, monkeypatch):
    job = upload()
    real_import_file, imports, second = recording_jobs.import_file, [], []

    def import_file(*args, **kwargs):
        imports.append(job.pk)
        if len(imports) == 1:  # the re-dispatched copy arrives while the first runs
            second.append(tasks.import_recording(job.pk))
        return real_import_file(*args, **kwargs)

    monkeypatch.setattr(recording_jobs, "import_file", import_file)
    assert tasks.import_recording(job.pk) == ImportStatus.SUCCEEDED
    assert second == [None] and len(imports) == 1
    assert tasks.import_recording(job.pk) is None  # and one after it finished
    job.refresh_from_db()
    assert (job.status, job.rows_written) == (ImportStatus.SUCCEEDED, 2)
    assert RecordingReport.objects.count() == 2


@pytest.mark.django_db
def test_a_job_running_past_the_task_time_limit_is_offered_and_taken_over(at_upload, monkeypatch):
    job = upload()
    RecordingImport.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=UPLOADED
    )
    live = UPLOADED + dt.timedelta(minutes=59)  # within the task's time limit (55 min) + 5
    at_upload.move_to(live, tick=False)
    assert tasks.import_recording(job.pk) is None  # a live worker may still be importing it
    offered = []
    monkeypatch.setattr(recording_jobs, "dispatch", lambda pk: offered.append(pk) or True)
    assert recording_jobs.redispatch() == 0
    at_upload.move_to(live + dt.timedelta(minutes=2), tick=False)
    assert recording_jobs.redispatch() == 1 and offered == [job.pk]
    assert tasks.import_recording(job.pk) == ImportStatus.SUCCEEDED


def test_beat_runs_the_redispatcher_every_minute(settings):
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "compliance.tasks.redispatch_imports"
    ]
    assert [e["schedule"] for e in entries] == [60.0]
    assert "compliance.tasks.redispatch_imports" in app.tasks
