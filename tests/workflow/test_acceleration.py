"""Acceleration tracks: each lagging regency's regent or mayor gets one acceleration
directive, kept open while the regency lags (a weekly update with the new figures, a
progress entry and a reminder) and closed with the figures once it no longer lags; never
twice (the task run twice, or two at once), with the province's governor in copy and the
numbers in the e-mails.

Jambi on Monday 2 November 2026 (ISO week 45): every regency stood at 50 % on 1 January;
Merangin and Sarolangun are at 60 % (below the 80 % floor and far behind the path), the
others at 95 %."""

import datetime as dt
import threading
import zoneinfo
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from compliance.models import District, RecordingReport, Regency
from tests.factories import official
from workflow import laggards, tasks
from workflow.default_policies import ensure_default_policies
from workflow.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    EscalationPolicy,
    EscalationStep,
    Notification,
)
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
    # An acceleration directive is no national strategic programme of its own: it is
    # reminded and reported overdue, never sanctioned (the default policy).
    assert assignment.directive.policy.slug == "tindak-lanjut"
    assert assignment.directive.issuing_office.kind == "director_general"
    assert assignment.due_date == MONDAY + dt.timedelta(days=settings.ACCELERATION_DUE_DAYS)
    assert "60.0 %" in assignment.directive.body


def test_run_twice_in_the_same_week_it_issues_nothing_more(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    again = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=3))
    assert [i.directive for i in again] == [None, None]
    assert acceleration_directives().count() == 2
    assert governor_copies().count() == 2


def report(code, day, recorded):
    district = District.objects.filter(regency__code=code).order_by("code").first()
    RecordingReport.objects.create(
        district=district, date=day, obliged=1000, recorded=recorded, printed=0
    )


def merangin_track():
    return Assignment.objects.select_related("directive").get(
        directive__origin_key__startswith="acceleration:15.02:"
    )


def test_a_new_week_updates_the_open_directive_instead_of_opening_another(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    report(MERANGIN, dt.date(2026, 11, 8), 620)
    next_monday = MONDAY + dt.timedelta(days=7)
    later = NOW + dt.timedelta(days=7)
    done = laggards.issue_acceleration_directives(at=next_monday, now=later)
    assert [(i.laggard.regency.code, i.outcome) for i in done] == [
        (MERANGIN, laggards.UPDATED),
        (SAROLANGUN, laggards.UPDATED),
    ]
    assert [i.directive for i in done] == [None, None]  # nothing new opened
    assert sorted(acceleration_directives().values_list("origin_key", flat=True)) == [
        "acceleration:15.02:2026-W45",
        "acceleration:15.03:2026-W45",
    ]
    track = merangin_track()
    assert track.due_date == MONDAY + dt.timedelta(days=settings.ACCELERATION_DUE_DAYS)
    entry = track.events.get(transition="acceleration_update")
    assert entry.actor.username == "sistem"
    assert entry.at == later
    assert (entry.from_state, entry.to_state) == ("issued", "issued")
    assert entry.payload["period"] == "2026-W46"
    assert entry.payload["figures"]["realisation"] == 62.0
    assert entry.payload["figures"]["date"] == "2026-11-09"
    assert "Masih tertinggal: realisasi 62.0 % (620 dari 1000 wajib KTP-el)" in entry.reason
    assert "Still lagging: realisation 62.0 %" in entry.reason
    reminders = Notification.objects.filter(dedupe_key__contains=":update:2026-W46")
    assert sorted(n.recipient_office.title for n in reminders) == [
        "Bupati Merangin",
        "Bupati Sarolangun",
        "Gubernur Jambi",
        "Gubernur Jambi",
    ]
    assert {n.template for n in reminders} == {"acceleration_update"}


def test_the_weekly_update_happens_once_a_week(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    again = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=6))
    assert {i.outcome for i in again} == {laggards.UNCHANGED}  # still week 45
    for days in (7, 9, 9):
        laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=days))
    assert merangin_track().events.filter(transition="acceleration_update").count() == 1
    assert Notification.objects.filter(dedupe_key__contains=":update:").count() == 4
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=14))
    assert merangin_track().events.filter(transition="acceleration_update").count() == 2
    assert acceleration_directives().count() == 2


def test_the_reminder_carries_the_new_figures(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    report(MERANGIN, dt.date(2026, 11, 8), 620)
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7))
    notice = Notification.objects.get(dedupe_key="acceleration:15.02:2026-W45:update:2026-W46")
    subject, text, html = render.render_parts(notice)
    assert subject == "Pengingat: percepatan perekaman KTP-el Kabupaten Merangin"
    assert "per 9 November 2026 masih 62,0 %" in text
    assert "diterbitkan pada 2 November 2026 tetap berlaku" in text
    assert "Sudah rekam               : 620" in text
    notice.language = "en"
    subject, text, _ = render.render_parts(notice)
    assert subject == "Reminder: accelerate e-KTP recording in Kabupaten Merangin"
    assert "still stood at 62.0 % on 9 November 2026" in text
    copy = Notification.objects.get(dedupe_key=f"{notice.dedupe_key}:governor")
    assert render.render_parts(copy)[0].startswith("Tembusan: Pengingat")


def test_a_regency_that_catches_up_has_its_track_closed_with_the_figures(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    report(MERANGIN, dt.date(2026, 11, 8), 930)  # 93 %: above the floor
    later = NOW + dt.timedelta(days=7)
    done = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7), now=later)
    assert [(i.laggard.regency.code, i.outcome) for i in done] == [
        (MERANGIN, laggards.CLOSED),
        (SAROLANGUN, laggards.UPDATED),
    ]
    track = merangin_track()
    assert track.state == "verified"
    assert track.directive.state == "closed"
    assert track.next_step is None  # its ladder stops
    entries = list(track.events.order_by("id"))
    assert [e.transition for e in entries] == ["acknowledge", "submit", "verify"]
    for entry in entries:
        assert entry.actor.username == "sistem"
        assert entry.at == later
        assert entry.payload["automatic"] is True
        assert entry.payload["figures"]["realisation"] == 93.0
        assert entry.reason.startswith(
            "Tidak lagi tertinggal, ditutup otomatis: realisasi 93.0 % (930 dari 1000 wajib "
            "KTP-el) per 2026-11-09"
        )
    closed = Notification.objects.get(dedupe_key="acceleration:15.02:2026-W45:closed")
    subject, text, _ = render.render_parts(closed)
    assert subject == "Percepatan perekaman KTP-el Kabupaten Merangin selesai"
    assert "93,0 % dan tidak lagi tertinggal" in text
    assert "Batas waktu" not in text
    assert Notification.objects.filter(dedupe_key__endswith=":closed:governor").count() == 1
    # Closing is done once; a later run has nothing to close.
    again = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=8))
    assert MERANGIN not in [i.laggard.regency.code for i in again]


def test_falling_behind_again_opens_a_new_track(jambi):
    laggards.issue_acceleration_directives(at=MONDAY)
    report(MERANGIN, dt.date(2026, 11, 8), 930)
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7))
    report(MERANGIN, dt.date(2026, 11, 15), 700)  # a correction: 70 % after all
    done = laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=14))
    assert (done[0].laggard.regency.code, done[0].outcome) == (MERANGIN, laggards.OPENED)
    keys = acceleration_directives().filter(origin_key__contains="15.02")
    assert sorted(keys.values_list("origin_key", "state")) == [
        ("acceleration:15.02:2026-W45", "closed"),
        ("acceleration:15.02:2026-W47", "issued"),
    ]


def test_the_plan_says_what_a_run_would_do_and_writes_nothing(jambi):
    assert [(p.laggard.regency.code, p.outcome) for p in laggards.plan(MONDAY)] == [
        (MERANGIN, laggards.OPENED),
        (SAROLANGUN, laggards.OPENED),
    ]
    assert not Directive.objects.exists()
    laggards.issue_acceleration_directives(at=MONDAY)
    report(MERANGIN, dt.date(2026, 11, 8), 930)
    planned = laggards.plan(MONDAY + dt.timedelta(days=7))
    assert [(p.laggard.regency.code, p.outcome) for p in planned] == [
        (MERANGIN, laggards.CLOSED),
        (SAROLANGUN, laggards.UPDATED),
    ]
    assert merangin_track().state == "issued"


def test_the_regents_timeline_shows_the_update_in_his_language(jambi, client):
    laggards.issue_acceleration_directives(at=MONDAY)
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7))
    track = merangin_track()
    client.force_login(official("regent", MERANGIN))
    html = client.get(reverse("inbox:assignment", args=[track.pk])).content.decode()
    assert "Masih tertinggal: realisasi 60.0 %" in html
    assert "Still lagging" not in html


def test_the_update_is_stored_as_a_code_and_shown_to_an_english_reader_in_english(jambi, client):
    laggards.issue_acceleration_directives(at=MONDAY)
    laggards.issue_acceleration_directives(at=MONDAY + dt.timedelta(days=7))
    track = merangin_track()
    entry = track.events.get(transition=laggards.UPDATE)
    assert entry.reason_code == "still_lagging"
    assert entry.reason_params["realisation"] == "60.0"
    client.force_login(official("regent", MERANGIN))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("inbox:assignment", args=[track.pk])).content.decode()
    assert "Still lagging: realisation 60.0 %" in html
    assert "Masih tertinggal" not in html


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
    assert (context["obliged"], context["recorded"]) == (1000, 600)
    assert context["reason"] == "floor_and_path"
    subject, text, html = render.render_parts(notice)
    assert subject == "Percepatan perekaman KTP-el Kabupaten Merangin"
    assert "60,0 %, di bawah batas minimal 80 % dan lebih dari 5 poin di bawah jalur" in text
    assert "Jalur yang diharapkan     : 91,9 %" in text
    assert "Wajib KTP-el              : 1000" in text
    assert 'Sudah rekam</th><td align="right">600' in html
    notice.language = "en"
    subject, text, _ = render.render_parts(notice)
    assert subject == "Accelerate e-KTP recording in Kabupaten Merangin"
    assert "Expected on the path      : 91.9 %" in text
    assert "below the floor of 80 % and more than 5 points below the path" in text


def test_the_dry_run_lists_the_laggards_and_writes_nothing(jambi):
    out = StringIO()
    call_command("find_laggards", "--at", "2026-11-02", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Lagging: 2" in lines[0]
    assert lines[1].strip().startswith("15.02 Kabupaten Merangin: realisasi / realisation 60.0 %")
    assert "expected 91.9 %" in lines[1]
    assert lines[1].endswith("new directive")
    assert lines[2].strip().startswith("15.03 Kabupaten Sarolangun")
    assert not Directive.objects.exists()
    assert not Notification.objects.exists()


def test_the_command_issues_and_says_what_it_issued(jambi):
    out = StringIO()
    call_command("find_laggards", "--at", "2026-11-02", stdout=out)
    call_command("find_laggards", "--at", "2026-11-02", stdout=out)
    text = out.getvalue()
    assert "2 direktif diterbitkan / directives issued" in text
    assert "0 direktif diterbitkan / directives issued, 0 diperbarui / updated" in text
    assert "already done this week" in text
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
def two_runs_at_once(day):
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(i):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            outcomes[i] = laggards.issue_acceleration_directives(at=day)
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
    return [i for o in outcomes for i in o]


def test_two_runs_at_once_issue_each_directive_once(postgres, regions, log_flushable):
    ensure_default_policies(EscalationPolicy, EscalationStep)  # flushed by earlier tests
    jambi_reports()
    issued = [i.directive for i in two_runs_at_once(MONDAY) if i.directive is not None]
    assert len(issued) == 2
    assert acceleration_directives().count() == 2
    assert Assignment.objects.filter(directive__in=acceleration_directives()).count() == 2
    assert governor_copies().count() == 2

    # A week later, two runs at once update each track once.
    done = two_runs_at_once(MONDAY + dt.timedelta(days=7))
    assert sorted(i.outcome for i in done) == ["unchanged", "unchanged", "updated", "updated"]
    assert acceleration_directives().count() == 2
    updates = AssignmentEvent.objects.filter(transition="acceleration_update")
    assert updates.count() == 2
    assert Notification.objects.filter(dedupe_key__contains=":update:").count() == 4
