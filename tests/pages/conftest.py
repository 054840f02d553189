"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded
browser) against the test suite's live server. Screenshots of each final page are kept
under var/test-artefacts/screenshots/ (git-ignored)."""

import os
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from compliance.models import District, RecordingReport
from tests.conftest import missing_service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(settings.BASE_DIR) / "var" / "test-artefacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The pages are read at this instant (a Monday morning, clock ticking), whatever the day
# the suite runs, unless a test moves the clock itself.
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone(timedelta(hours=7)))

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the test
# makes beside it (setting up data, checking results) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clock(request):
    """Page tests in this process run at NOW. Not the browser and live-server tests, nor
    those with a worker process: Chromium and a worker keep the machine's clock (or
    --today's), so those tests reason from that clock's today."""
    fixtures = set(request.fixturenames)
    if fixtures & {"live_server", "transactional_db"}:
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(scope="session")
def _playwright():
    if not shutil.which(CHROMIUM):
        missing_service(f"Debian's chromium at {CHROMIUM}", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, regions, log_flushable):
    """A fresh browser context (no cookies) on the live server, Indonesian first. Every
    page it opens must keep to the Content-Security-Policy: a refused inline script or
    style (which the browser reports on its console) fails the test."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    refused = []

    def watch(message):
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url} ({message.location['url']}): {message.text}")

    page.on("console", watch)
    yield page
    context.close()
    assert not refused, f"the Content-Security-Policy refused: {refused}"


def screenshot(page, name):
    """Keep the final page of a scenario as a test artefact."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username, password, authenticator=None):
    """Sign in through the page; with `authenticator` (the user's TOTP device), give its
    code on the second-factor page that follows."""
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if authenticator is not None:
        page.wait_for_url("**/masuk/kode/**")
        page.get_by_label("Kode", exact=True).fill(totp_code(authenticator.bin_key))
        page.get_by_role("button", name="Lanjutkan").click()
        page.wait_for_url(lambda url: "/masuk/" not in url)


def totp_code(key):
    """What an authenticator app holding `key` (bytes) shows now."""
    from django_otp.oath import totp

    return f"{totp(key):06d}"


# --- recording figures for the console's realisation and laggards -----------------------

JANUARY, OCTOBER = date(2017, 1, 1), date(2017, 10, 1)
# On 1 October the path from 50 % stands at 87.5 %: 95 % is on track, 55 % is behind
# (and below the 80 % floor).
MERANGIN, OTHERS = 55, 95


@pytest.fixture
def jambi_reports(regions):
    """One district per Jambi regency: 50 % on 1 January, then Merangin far behind."""
    rows = []
    for district in District.objects.filter(regency__province__code="15").order_by("code"):
        if district.code.split(".")[2] != "01":
            continue
        late = MERANGIN if district.regency.code == "15.02" else OTHERS
        rows.append(
            RecordingReport(
                district=district, date=JANUARY, obliged=1000, recorded=500, printed=400
            )
        )
        rows.append(
            RecordingReport(
                district=district, date=OCTOBER, obliged=1000, recorded=late * 10, printed=400
            )
        )
    RecordingReport.objects.bulk_create(rows)
