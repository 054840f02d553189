"""In a browser: a ministry officer uploads a file, the job page polls with htmx while
the import has not run, and shows each bad line once the worker has refused the file."""

from datetime import date

from playwright.sync_api import expect

from compliance.models import RecordingImport
from compliance.recording_jobs import run_import
from tests.factories import official
from tests.pages.conftest import screenshot, sign_in

CSV = (
    "district_code,date,obliged,recorded,printed\n"
    "15.02.01,2017-10-01,1000,600,550\n"
    "1502010,2017-10-01,1000,600,550\n"
)


def test_an_officer_uploads_watches_the_progress_and_reads_the_refusal(page, tmp_path):
    official("ministry_officer", username="petugas.rekam")
    sign_in(page, "petugas.rekam", "rahasia-Uji-123")
    path = tmp_path / "rekam-jambi.csv"
    path.write_text(CSV)
    page.goto("/recording/")
    page.locator("#recording-upload input[type=file]").set_input_files(str(path))
    page.locator("#recording-upload button[type=submit]").click()
    status = page.locator("#import-status")
    expect(status).to_have_attribute("hx-trigger", "every 1s")  # polling while queued

    job = RecordingImport.objects.get()
    run_import(job.pk, today=date(2017, 10, 31))  # what the worker does

    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)  # swapped in by the next poll, without a reload
    expect(errors.first).to_contain_text("1502010")
    expect(errors.first.locator("td").first).to_have_text("3")
    expect(page.locator("#import-status")).not_to_have_attribute("hx-trigger", "every 1s")
    screenshot(page, "recording-upload-refused")
