"""The periodic sweep: declared in the beat schedule, routed to the sweeps queue, and a
thin task that fires what is due at the time it runs."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from celery import current_app
from django.conf import settings

from tests.factories import official
from workflow import services
from workflow.models import StepEvent
from workflow.tasks import sweep_escalations

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
TASK = "workflow.tasks.sweep_escalations"


def test_the_sweep_is_in_the_beat_schedule():
    assert TASK in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def test_the_sweep_runs_on_the_sweeps_queue():
    route = current_app.amqp.router.route({}, TASK)
    assert route["queue"].name == "sweeps"


def test_the_sweep_is_acknowledged_late_and_rejected_when_its_worker_dies():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


@pytest.mark.django_db
def test_the_task_fires_the_steps_due_when_it_runs():
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman.",
        legal_basis="PP 12/2017 Pasal 38",
        due_date=dt.date(2026, 11, 20),
        scope={"province": "15"},
    )
    services.issue_directive(
        directive=directive, actor=officer, at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)
    )
    with time_machine.travel(dt.datetime(2026, 11, 4, 9, 59, tzinfo=WIB), tick=False):
        assert sweep_escalations.run() == {"fired": {}, "skipped": {}}
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=WIB), tick=False):
        assert sweep_escalations.run() == {"fired": {"reminder": 11}, "skipped": {}}
        assert sweep_escalations.run() == {"fired": {}, "skipped": {}}  # idempotent
    assert StepEvent.objects.filter(assignment__directive=directive).count() == 11
