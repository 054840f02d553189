"""Acceleration directives: each lagging regency's regent or mayor gets one per ISO week,
never twice (the task run twice, or two at once), with the province's governor in copy
and the numbers in both e-mails.

Jambi on Monday 2 November 2026 (ISO week 45): every regency stood at 50 % on 1 January;
Merangin and Sarolangun are at 60 % (below the 80 % floor), the others at 95 %."""

import datetime as dt
import threading
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from compliance.models import District, RecordingReport, Regency
from workflow import laggards, tasks
from workflow.default_policies import ensure_default_policies
from workflow.models import Assignment, Directive, EscalationPolicy, EscalationStep, Notification
from workflow.notifications import render

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MONDAY = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 2, 6, 0, tzinfo=WIB)
MERANGIN, SAROLANGUN = "15.02", "15.03"


def jambi_reports():
    reports = []
    for regency in Regency.objects.filter(province__code="15"):
        district = District.objects.filter(regency=regency).order_by("code").first()
        now = 600 if regency.code in (MERANGIN, SAROLANGUN) else 950
        for day, recorded in ((dt.date(2026, 1, 1), 500), (dt.date(2026, 10, 31), now)):
            reports.append(
                RecordingReport(
                    district=district, date=day, obliged=1000, recorded=recorded, printed=0
                )
            )
    RecordingReport.objects.bulk_create(reports)


@pytest.fixture
def jambi(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    jambi_reports()


def acceleration_directives():
    return Directive.objects.filter(origin_key__startswith="acceleration:")


def governor_copies():
    return Notification.objects.filter(dedupe_key__endswith=":governor")


def test_each_lagging_regency_gets_a_directive_for_its_regent(jambi):
    issued = laggards.issue_acceleration_directives(at=MONDAY)
    assert [i.laggard.regency.code for i in issued] == [MERANGIN, SAROLANGUN]
    assert sorted(acceleration_directives().values_list("origin_key", flat=True)) == [
        "acceleration:15.02:2026-W45",
        "acceleration:15.03:2026-W45",
    ]
    assignment = Assignment.objects.select_related("directive__policy").get(
        directive__origin_key="acceleration:15.02:2026-W45"
    )
    assert assignment.office.title == "Bupati Merangin"
    assert assignment.directive.policy.slug == "program-strategis-nasional"
    assert assignment.directive.issuing_office.kind == "director_general"
    assert assignment.due_date == MONDAY + dt.timedelta(days=settings.ACCELERATION_DUE_DAYS)
    assert "60.0 %" in assignment.directive.body


def test_run_twice_in_the_same_week_it_issues_nothing_more(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    again = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=3))
    assert [i.directive for i in again] == [None, None]
    assert acceleration_directives().count() == 2
    assert governor_copies().count() == 2


def test_a_new_week_brings_a_new_directive(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7))
    keys = (
        acceleration_directives()
        .filter(origin_key__contains="15.02")
        .values_list("origin_key", flat=True)
    )
    assert sorted(keys) == ["acceleration:15.02:2026-W45", "acceleration:15.02:2026-W46"]


def test_the_governor_gets_a_copy_with_the_numbers(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    copy = governor_copies().get(dedupe_key="acceleration:15.02:2026-W45:governor")
    assert copy.recipient_office.title == "Gubernur Jambi"
    assert copy.assignment.office.title == "Bupati Merangin"
    subject, text, html = render.render_parts(copy)
    assert subject == "Tembusan: Percepatan perekaman KTP-el Kabupaten Merangin"
    assert "Yth. Bupati Merangin" in text  # the copy is about the regent's assignment
    assert "Gubernur sebagai wakil Pemerintah Pusat" in text


def test_the_regents_e_mail_carries_the_numbers(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    notice = Notification.objects.get(
        assignment__directive__origin_key="acceleration:15.02:2026-W45",
        recipient_office__title="Bupati Merangin",
    )
    assert notice.template == "acceleration_directive"
    context = notice.context
    assert context["realisation"] == 60.0
    assert context["expected"] == pytest.approx(91.9, abs=0.01)  # 50 + 50 x 305/364
    assert context["start"] == 50.0
    assert (context["tolerance"], context["floor"]) == (5.0, 80.0)
    assert (context["obliged"], context["recorded"], context["reason"]) == (1000, 600, "floor")
    subject, text, html = render.render_parts(notice)
    assert subject == "Percepatan perekaman KTP-el Kabupaten Merangin"
    assert "60,0 %, di bawah batas minimal 80 %" in text
    assert "Jalur yang diharapkan     : 91,9 %" in text
    assert "Wajib KTP-el              : 1000" in text
    assert 'Sudah rekam</th><td align="right">600' in html
    notice.language = "en"
    subject, text, _ = render.render_parts(notice)
    assert subject == "Accelerate e-KTP recording in Kabupaten Merangin"
    assert "Expected on the path      : 91.9 %" in text


def test_the_dry_run_lists_the_laggards_and_writes_nothing(jambi):
    out = StringIO()
    call_command("find_laggards", "--at", "2026-11-02", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Lagging: 2" in lines[0]
    assert lines[1].strip().startswith("15.02 Kabupaten Merangin: realisasi / realisation 60.0 %")
    assert "expected 91.9 %" in lines[1]
    assert lines[2].strip().startswith("15.03 Kabupaten Sarolangun")
    assert not Directive.objects.exists()
    assert not Notification.objects.exists()


def test_the_command_issues_and_says_what_it_issued(jambi):
    out = StringIO()
    call_command("find_laggards", "--at", "2026-11-02", stdout=out)
    call_command("find_laggards", "--at", "2026-11-02", stdout=out)
    text = out.getvalue()
    assert "2 direktif diterbitkan / directives issued" in text
    assert "0 direktif diterbitkan / directives issued" in text
    assert "already issued this week" in text
    assert acceleration_directives().count() == 2


def test_the_weekly_task_issues_for_today(jambi):
    assert tasks.issue_acceleration_directives() == 2
    assert tasks.issue_acceleration_directives() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["acceleration-directives"]
    assert entry["task"] == "workflow.tasks.issue_acceleration_directives"
    schedule = entry["schedule"]  # Mondays 06:00 in CELERY_TIMEZONE (WIB)
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {6}, {0})
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_issue_each_directive_once(postgres, regions, log_flushable):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    jambi_reports()
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            outcomes[i] = laggards.issue_acceleration_directives(at=MONDAY)
        except Exception as error:  # reported by the assertion below
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    issued = [i.directive for o in outcomes for i in o if i.directive is not None]
    assert len(issued) == 2
    assert acceleration_directives().count() == 2
    assert Assignment.objects.filter(directive__in=acceleration_directives()).count() == 2
    assert governor_copies().count() == 2
