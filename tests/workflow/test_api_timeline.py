"""An assignment's timeline: state changes, escalation steps and notifications with their
delivery state, merged in time order."""

import pytest

from tests.factories import official
from tests.workflow import api_helpers as h
from workflow.escalation import sweep
from workflow.models import Notification

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db


def summary(entry):
    """(kind, at, what) of one timeline entry."""
    kind = entry["kind"]
    item = entry[kind]
    what = {
        "state_change": lambda: f"{item['from_state']}->{item['to_state']}",
        "step": lambda: item["step"] + (" (skipped)" if item["skipped"] else ""),
        "notification": lambda: f"{item['template']} to {item['recipient_email'].split('@')[0]}",
    }[kind]()
    return kind, entry["at"], what


def timeline(user, pk):
    return [summary(e) for e in h.get(user, h.url(pk, "timeline"))]


def test_state_changes_steps_and_notices_read_in_time_order(clock, officer):
    pk = h.assignment(h.issue(officer), h.MERANGIN)
    # His address replaces the seat's placeholder (bupati.merangin@...) from now on.
    regent = official("regent", h.MERANGIN, username="regent.merangin")
    clock.move_to(h.wib(2026, 11, 4, 10, 0), tick=False)
    sweep(now=h.wib(2026, 11, 4, 10, 0))
    clock.move_to(h.wib(2026, 11, 4, 11, 30), tick=False)
    h.post(regent, h.url(pk, "acknowledge"))
    clock.move_to(h.wib(2026, 11, 9, 8, 0), tick=False)
    h.post(regent, h.url(pk, "start"))
    clock.move_to(h.wib(2026, 11, 18, 0, 0), tick=False)
    sweep(now=h.wib(2026, 11, 18, 0, 0))
    clock.move_to(h.wib(2026, 11, 19, 15, 0), tick=False)
    h.post(regent, h.url(pk, "submit"), {"note": "Selesai"})
    clock.move_to(h.wib(2026, 11, 20, 9, 0), tick=False)
    h.post(officer, h.url(pk, "return"), {"reason": "Lampirkan data"})

    assert timeline(regent, pk) == [
        ("notification", "2026-11-02T10:00:00+07:00", "directive_issued to bupati.merangin"),
        ("step", "2026-11-04T10:00:00+07:00", "ack-reminder"),
        ("notification", "2026-11-04T10:00:00+07:00", "step_reminder to regent.merangin"),
        ("state_change", "2026-11-04T11:30:00+07:00", "issued->acknowledged"),
        ("state_change", "2026-11-09T08:00:00+07:00", "acknowledged->in_progress"),
        ("step", "2026-11-18T00:00:00+07:00", "due-reminder"),
        ("notification", "2026-11-18T00:00:00+07:00", "step_reminder to regent.merangin"),
        ("state_change", "2026-11-19T15:00:00+07:00", "in_progress->submitted"),
        ("state_change", "2026-11-20T09:00:00+07:00", "submitted->returned"),
    ]


def test_a_late_sweep_still_reads_in_the_order_the_steps_were_due(clock, officer):
    pk = h.assignment(h.issue(officer), h.TEBO)
    clock.move_to(h.wib(2026, 11, 30, 9, 0), tick=False)
    sweep(now=h.wib(2026, 11, 30, 9, 0))  # one sweep climbs four steps at once
    auditor = official("auditor")
    assert timeline(auditor, pk) == [
        ("notification", "2026-11-02T10:00:00+07:00", "directive_issued to bupati.tebo"),
        ("step", "2026-11-04T10:00:00+07:00", "ack-reminder"),
        ("notification", "2026-11-04T10:00:00+07:00", "step_reminder to bupati.tebo"),
        ("step", "2026-11-18T00:00:00+07:00", "due-reminder"),
        ("notification", "2026-11-18T00:00:00+07:00", "step_reminder to bupati.tebo"),
        # Due Friday: the notice and the warning fall on Saturdays and wait for Monday.
        ("step", "2026-11-23T08:00:00+07:00", "overdue-notice"),
        ("notification", "2026-11-23T08:00:00+07:00", "step_overdue_notice to bupati.tebo"),
        ("notification", "2026-11-23T08:00:00+07:00", "step_overdue_notice to gubernur.jambi"),
        ("step", "2026-11-30T08:00:00+07:00", "written-warning-1"),
        # The warning is proposed to its signatory; nothing reaches the regent until he signs.
        ("notification", "2026-11-30T09:00:00+07:00", "sanction_proposed to gubernur.jambi"),
    ]
    step = h.get(auditor, h.url(pk, "timeline"))[1]["step"]
    assert step == {
        "step": "ack-reminder",
        "action": "reminder",
        "level": 1,
        "planned_at": "2026-11-04T10:00:00+07:00",
        "fired_at": "2026-11-30T09:00:00+07:00",
        "skipped": False,
    }


def test_a_skipped_step_shows_as_skipped_without_a_notice(clock, officer):
    pk = h.assignment(h.issue(officer), h.MERANGIN)
    regent = official("regent", h.MERANGIN)
    h.post(regent, h.url(pk, "acknowledge"))
    clock.move_to(h.wib(2026, 11, 5, 0, 0), tick=False)
    sweep(now=h.wib(2026, 11, 5, 0, 0))
    assert timeline(regent, pk)[1:] == [
        ("state_change", "2026-11-02T10:00:00+07:00", "issued->acknowledged"),
        ("step", "2026-11-04T10:00:00+07:00", "ack-reminder (skipped)"),
    ]


def test_notifications_carry_their_delivery_state(clock, officer):
    pk = h.assignment(h.issue(officer), h.MERANGIN)
    notice = Notification.objects.get(assignment_id=pk)
    Notification.objects.filter(pk=notice.pk).update(
        state="sent", attempts=2, sent_at=h.wib(2026, 11, 2, 10, 5)
    )
    [entry] = h.get(officer, h.url(pk, "timeline"))
    assert entry == {
        "at": "2026-11-02T10:00:00+07:00",
        "kind": "notification",
        "state_change": None,
        "step": None,
        "notification": {
            "id": notice.pk,
            "template": "directive_issued",
            "recipient_email": "bupati.merangin@pemda.example.go.id",
            "state": "sent",
            "attempts": 2,
            "created_at": "2026-11-02T10:00:00+07:00",
            "sent_at": "2026-11-02T10:05:00+07:00",
        },
    }


def test_a_state_change_names_who_did_it_and_through_which_office(clock, officer):
    pk = h.assignment(h.issue(officer), h.MERANGIN)
    head = official("regency_dukcapil_head", h.MERANGIN, username="kadis-merangin")
    h.post(head, h.url(pk, "acknowledge"))
    change = h.get(officer, h.url(pk, "timeline"))[1]["state_change"]
    assert change == {
        "transition": "acknowledge",
        "from_state": "issued",
        "to_state": "acknowledged",
        "actor": "kadis-merangin",
        "office": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin",
        "reason": "",
        "payload": {},
    }
