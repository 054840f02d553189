"""The console upload: a ministry officer sends a file, the job page polls its progress
with htmx until the import ends, then shows the bad rows in the reader's language or the
summary. Other offices are refused."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.models import RecordingImport, RecordingReport
from compliance.recording_jobs import run_import
from tests.factories import official

pytestmark = pytest.mark.django_db

HEADER = b"district_code,date,obliged,recorded,printed\n"


def signed_in(client, kind="ministry_officer", region=None):
    client.force_login(official(kind, region))
    return client


def send(client, content, name="rekam.csv"):
    return client.post(reverse("recording:upload"), {"file": SimpleUploadedFile(name, content)})


def test_the_upload_creates_the_job_sends_the_task_and_opens_its_page(
    client, django_capture_on_commit_callbacks
):
    signed_in(client)
    with django_capture_on_commit_callbacks() as callbacks:
        response = send(client, HEADER + b"15.02.01,2017-10-01,1000,600,550\n")
    job = RecordingImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("recording:job", args=[job.pk])
    assert len(callbacks) == 1


def test_a_running_job_polls_every_second_and_a_finished_one_stops(client):
    signed_in(client)
    send(client, HEADER + b"15.02.01,2017-10-01,1000,600,550\n")
    job = RecordingImport.objects.get()
    page = client.get(reverse("recording:job", args=[job.pk])).content.decode()
    status_url = reverse("recording:job-status", args=[job.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    run_import(job.pk, today=date(2017, 10, 31))
    client.cookies["django_language"] = "en"
    fragment = client.get(status_url).content.decode()
    assert "hx-trigger" not in fragment
    assert "1 report written from 1 lines." in fragment
    assert RecordingReport.objects.count() == 1


def test_the_refusal_lists_each_line_with_its_reason_in_the_readers_language(client):
    signed_in(client)
    send(client, HEADER + b"1502010,2017-10-01,1000,600,550\n15.02.01,2017-10-01,10,20,0\n")
    job = RecordingImport.objects.get()
    run_import(job.pk, today=date(2017, 10, 31))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("recording:job", args=[job.pk]))
    text = page.content.decode()
    assert "The file was refused: 2 errors. Nothing was written." in text
    assert "<td>2</td><td>1502010 looks like a BPS code" in text
    assert "<td>3</td><td>recorded (20) is above obliged (10).</td>" in text


def test_a_wrong_file_type_is_refused_on_the_form(client):
    signed_in(client)
    response = send(client, HEADER, name="rekam.pdf")
    assert response.status_code == 200
    assert not RecordingImport.objects.exists()
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize(("kind", "region"), [("governor", "15"), ("regent", "15.02")])
def test_regional_offices_are_refused(client, kind, region):
    signed_in(client, kind, region)
    assert client.get(reverse("recording:upload")).status_code == 403
    assert send(client, HEADER).status_code == 403
    assert not RecordingImport.objects.exists()


def test_a_job_is_not_shown_outside_the_ministry(client):
    officer = official("ministry_officer")
    client.force_login(officer)
    send(client, HEADER)
    job = RecordingImport.objects.get()
    signed_in(client, "regent", "15.02")
    assert client.get(reverse("recording:job", args=[job.pk])).status_code == 404
