"""`manage.py escalate [--at ISO-8601] [--dry-run]`: one sweep, as if at that instant."""

import datetime as dt
import io
import subprocess
import sys
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.factories import PSN, official
from workflow import services
from workflow.management.commands.escalate import parse_instant
from workflow.models import Assignment, Notification, StepEvent

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@pytest.fixture
def jambi():
    """The 11 regencies of Jambi, issued Monday 2 November 2026, due Friday 20 November."""
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"province": "15"},
        **PSN,
    )
    services.issue_directive(
        directive=directive, actor=officer, at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
    )
    return directive


def escalate(*args):
    out = io.StringIO()
    call_command("escalate", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_what_would_fire_and_writes_nothing(jambi):
    notices = Notification.objects.count()
    output = escalate("--at", "2026-11-23T08:00+07:00", "--dry-run")
    assert "Pengingat / Reminder: 22" in output
    assert "Pemberitahuan lewat batas waktu / Overdue notice: 11" in output
    assert "Jumlah / Total: 33" in output
    assert "Dry run" in output
    assert not StepEvent.objects.exists()
    assert Notification.objects.count() == notices
    assert set(Assignment.objects.values_list("next_step__slug", flat=True)) == {"ack-reminder"}


def test_a_run_a_month_late_prints_the_ladder_climbed_per_kind(jambi):
    output = escalate("--at", "2027-01-30")
    for line in (
        "Pengingat / Reminder: 22",
        "Pemberitahuan lewat batas waktu / Overdue notice: 11",
        "Teguran tertulis I / Written warning I: 11",  # proposed; the governor decides
        "Jumlah / Total: 44",
    ):
        assert line in output
    assert "Teguran tertulis II" not in output  # it counts from the signing of warning I
    assert StepEvent.objects.count() == 44
    assert escalate("--at", "2027-01-30").endswith("Jumlah / Total: 0 langkah / steps\n")


def test_the_instant_is_read_in_jakarta_unless_it_says_otherwise():
    assert parse_instant("2027-01-30") == dt.datetime(2027, 1, 30, tzinfo=WIB)
    assert parse_instant("2027-01-30T09:00") == dt.datetime(2027, 1, 30, 9, 0, tzinfo=WIB)
    assert parse_instant("2027-01-30T09:00+09:00") == dt.datetime(2027, 1, 30, 0, 0, tzinfo=dt.UTC)
    assert parse_instant("2027-01-30T02:00Z") == dt.datetime(2027, 1, 30, 9, 0, tzinfo=WIB)


def test_the_instant_decides_what_fires(jambi):
    assert "Jumlah / Total: 0" in escalate("--at", "2026-11-04T09:59+07:00")
    assert "Pengingat / Reminder: 11" in escalate("--at", "2026-11-04T03:00Z")


def test_the_output_is_indonesian_first_whatever_language_a_previous_request_left(jambi):
    # A request in English leaves English active in the thread; the command must not care.
    with translation.override("en"):
        output = escalate("--at", "2026-11-04T03:00Z")
    assert "Pengingat / Reminder: 11" in output


def test_a_bad_instant_is_refused_naming_the_option():
    with pytest.raises(CommandError, match="--at"):
        escalate("--at", "30/01/2027")


@pytest.mark.django_db(databases=[])
def test_a_bad_instant_exits_with_status_one():
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "escalate", "--at", "besok"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "--at 'besok'" in done.stderr
