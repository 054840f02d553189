"""The sweep climbs the legal ladder: each step fires at exactly its instant, once.

Time is explicit: services take `at=`, the sweep takes `now=`; nothing reads the clock."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import services as compliance
from compliance.models import Event, Office, RequestStatus, SuspensionRequest
from tests.factories import PSN, official, regency
from tests.workflow.proposal_helpers import sign_all, sign_each_when_due
from workflow import services
from workflow.escalation import sweep
from workflow.models import Assignment, Notification, StepEvent

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MINUTE = dt.timedelta(minutes=1)
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # Monday
DUE = dt.date(2026, 11, 20)  # Friday


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


# (step, instant, action, recipients, escalation level) for a regent issued ISSUED, due DUE.
LADDER = [
    ("ack-reminder", wib(2026, 11, 4, 10, 0), "reminder", {"assignee"}, 1),
    ("due-reminder", wib(2026, 11, 18), "reminder", {"assignee"}, 2),
    # The end of Friday's due day is a Saturday: the notice waits for Monday's opening.
    ("overdue-notice", wib(2026, 11, 23, 8, 0), "overdue_notice", {"assignee", "governor"}, 3),
    (
        "written-warning-1",
        wib(2026, 11, 30, 8, 0),  # five working days after due end on Saturday 28th
        "written_warning_1",
        {"assignee", "governor", "ministry"},
        4,
    ),
    (
        "written-warning-2",
        wib(2026, 12, 14, 8, 0),  # 14 days after warning I was signed
        "written_warning_2",
        {"assignee", "governor", "ministry"},
        5,
    ),
    (
        "escalate-to-minister",
        wib(2026, 12, 28, 8, 0),
        "escalate_to_minister",
        {"governor", "ministry"},
        6,
    ),
]


def issue(officer, scope, *, due=DUE, at=ISSUED, policy=None):
    extra = {"policy": policy} if policy else PSN
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38",
        due_date=due,
        scope=scope,
        **extra,
    )
    directive, _ = services.issue_directive(directive=directive, actor=officer, at=at)
    return list(directive.assignments.select_related("office", "regency").order_by("id"))


def merangin(officer, **kwargs):
    (assignment,) = issue(officer, {"regions": ["15.02"]}, **kwargs)
    return assignment


def fired_steps(assignment):
    return list(
        StepEvent.objects.filter(assignment=assignment)
        .order_by("planned_at", "id")
        .values_list("step__slug", flat=True)
    )


def recipients(assignment, step):
    """{role: e-mail} of the notices a step wrote for the assignment."""
    notices = Notification.objects.filter(
        dedupe_key__startswith=f"assignment:{assignment.pk}:step:{step}:"
    )
    return {n.context["role"]: n.recipient_email for n in notices}


def level(assignment):
    return Assignment.objects.values_list("escalation_level", flat=True).get(pk=assignment.pk)


def test_each_step_of_the_ladder_fires_at_exactly_its_instant(officer):
    a = merangin(officer)
    governor = Office.objects.get(kind="governor", province__code="15").email
    emails = {"assignee": a.office.email, "governor": governor, "ministry": settings.MINISTRY_EMAIL}
    assert a.office.email == "bupati.merangin@pemda.example.go.id"

    for slug, at, action, roles, escalation_level in LADDER:
        assert sweep(now=at - MINUTE).total == 0, f"{slug} fired early"
        result = sweep(now=at)
        assert dict(result.fired) == {action: 1}, slug
        if action.startswith("written_warning"):
            assert recipients(a, slug) == {}  # nothing sent before the signatory signs
            sign_all(at)  # the governor signs at once: the ladder keeps its instants
        event = StepEvent.objects.get(assignment=a, step__slug=slug)
        assert (event.planned_at, event.fired_at, event.skipped) == (at, at, False)
        assert recipients(a, slug) == {role: emails[role] for role in roles}
        assert level(a) == escalation_level

    assert fired_steps(a) == [slug for slug, *_ in LADDER]
    assert sweep(now=wib(2027, 6, 1)).total == 0  # the ladder ends with the Minister


def test_the_ladder_counts_past_christmas_and_its_joint_leave(officer):
    a = merangin(officer, at=wib(2026, 12, 1, 9, 0), due=dt.date(2026, 12, 22))
    assert sweep(now=wib(2026, 12, 23)).fired == {"reminder": 2, "overdue_notice": 1}
    # Five working days after Tuesday 22 December: 23, (24 joint leave, 25 Christmas,
    # weekend) 28, 29, 30, 31; without the holidays it would have been the 29th. They end
    # on New Year's Day, and a weekend follows: the warning waits for Monday 4 January.
    assert sweep(now=wib(2026, 12, 30)).total == 0
    assert sweep(now=wib(2027, 1, 4, 8, 0) - MINUTE).total == 0
    assert sweep(now=wib(2027, 1, 4, 8, 0)).fired == {"written_warning_1": 1}
    sign_all(wib(2027, 1, 4, 8, 0))
    assert sweep(now=wib(2027, 1, 18, 8, 0) - MINUTE).total == 0
    assert sweep(now=wib(2027, 1, 18, 8, 0)).fired == {"written_warning_2": 1}
    assert level(a) == 5


def test_the_acknowledgement_reminder_skips_christmas(officer):
    merangin(officer, at=wib(2026, 12, 23, 10, 0), due=dt.date(2027, 1, 29))
    # Two working days after Wednesday 23 December: (24, 25, weekend) 28, 29.
    assert sweep(now=wib(2026, 12, 29, 10, 0) - MINUTE).total == 0
    assert sweep(now=wib(2026, 12, 29, 10, 0)).fired == {"reminder": 1}


def test_a_wit_recipient_climbs_two_hours_earlier_in_utc(officer):
    by_code = {a.regency.code: a for a in issue(officer, {"regions": ["15.02", "91.71"]})}
    jambi, papua = by_code["15.02"], by_code["91.71"]  # Kota Jayapura: WIT
    sweep(now=wib(2026, 11, 18))  # both reminders
    # Due Friday: its end is a Saturday, so Monday 08:00 in each zone (WIT = WIB + 2 h).
    overdue_papua = dt.datetime(2026, 11, 23, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura"))
    assert sweep(now=overdue_papua - MINUTE).total == 0
    assert sweep(now=overdue_papua).fired == {"overdue_notice": 1}
    assert fired_steps(papua)[-1] == "overdue-notice"
    assert sweep(now=overdue_papua + dt.timedelta(hours=2) - MINUTE).total == 0
    assert sweep(now=overdue_papua + dt.timedelta(hours=2)).fired == {"overdue_notice": 1}

    for _ in range(3):  # each written warning waits for its signature
        sweep(now=wib(2027, 6, 1))
        sign_each_when_due()
    planned = {
        a.regency.code: dict(
            StepEvent.objects.filter(assignment=a).values_list("step__slug", "planned_at")
        )
        for a in (jambi, papua)
    }
    # Issue-anchored: the same instant. Due-anchored (and those after them): 2 h earlier.
    assert planned["15.02"]["ack-reminder"] == planned["91.71"]["ack-reminder"]
    for slug, *_ in LADDER[1:]:
        assert planned["15.02"][slug] - planned["91.71"][slug] == dt.timedelta(hours=2), slug


def test_the_acknowledgement_reminder_is_skipped_once_acknowledged(officer):
    a = merangin(officer)
    services.acknowledge_assignment(
        assignment=a, actor=official("regent", "15.02"), at=wib(2026, 11, 3, 9, 0)
    )
    result = sweep(now=wib(2026, 11, 4, 10, 0))
    assert (dict(result.fired), dict(result.skipped)) == ({}, {"reminder": 1})
    event = StepEvent.objects.get(assignment=a)
    assert (event.step.slug, event.skipped) == ("ack-reminder", True)
    assert recipients(a, "ack-reminder") == {}
    assert level(a) == 0
    assert sweep(now=wib(2026, 11, 18)).fired == {"reminder": 1}  # the due reminder still comes


@pytest.mark.parametrize("final", ["submitted", "verified"])
def test_a_submitted_or_verified_assignment_stops_escalating(officer, final):
    a = merangin(officer)
    regent = official("regent", "15.02")
    services.acknowledge_assignment(assignment=a, actor=regent, at=wib(2026, 11, 3))
    services.submit_assignment(
        assignment=a, actor=regent, note="Perekaman 100 %", at=wib(2026, 11, 19)
    )
    if final == "verified":
        services.verify_assignment(assignment=a, actor=officer, at=wib(2026, 11, 20))
    a.refresh_from_db()
    # Submitted, the ladder waits (a return resumes it); verified, it ends with the transition.
    assert (a.next_step_id is None) == (final == "verified")
    assert sweep(now=wib(2027, 6, 1)).total == 0
    assert fired_steps(a) == []


def test_a_withdrawn_directive_stops_escalating(officer):
    a = merangin(officer)
    sweep(now=wib(2026, 11, 18))
    services.withdraw_directive(directive=a.directive, actor=officer, at=wib(2026, 11, 19))
    a.refresh_from_db()
    assert (a.next_step, a.next_step_at) == (None, None)
    assert sweep(now=wib(2027, 6, 1)).total == 0
    assert fired_steps(a) == ["ack-reminder", "due-reminder"]


def test_a_returned_assignment_resumes_escalating(officer):
    a = merangin(officer)
    regent = official("regent", "15.02")
    services.acknowledge_assignment(assignment=a, actor=regent, at=wib(2026, 11, 3))
    sweep(now=wib(2026, 11, 18))
    services.submit_assignment(assignment=a, actor=regent, note="Selesai", at=wib(2026, 11, 19))
    assert sweep(now=wib(2026, 11, 23, 10, 0)).total == 0  # overdue, but in the ministry's hands

    services.return_assignment(
        assignment=a, actor=officer, reason="Data belum lengkap", at=wib(2026, 11, 23, 10, 0)
    )
    assert sweep(now=wib(2026, 11, 23, 10, 0)).fired == {"overdue_notice": 1}
    assert sweep(now=wib(2026, 11, 30, 8, 0)).fired == {"written_warning_1": 1}
    assert level(a) == 4


def test_an_approved_extension_moves_every_later_step(officer):
    a = merangin(officer)
    regent = official("regent", "15.02")
    sweep(now=wib(2026, 11, 4, 10, 0))  # ack reminder
    request = services.request_extension(
        assignment=a,
        actor=regent,
        new_due_date=dt.date(2026, 12, 4),
        reason="Alat perekaman rusak",
        at=wib(2026, 11, 10),
    )
    services.approve_extension(request=request, actor=officer, at=wib(2026, 11, 10, 9, 0))

    assert sweep(now=wib(2026, 11, 28)).total == 0  # the old due reminder, overdue, warning I
    # New due Friday 4 December: reminder 3 working days before, overdue at its end (a
    # Saturday: Monday 08:00), warning I five working days after (7-11 December; Monday).
    assert sweep(now=wib(2026, 12, 2) - MINUTE).total == 0
    assert sweep(now=wib(2026, 12, 2)).fired == {"reminder": 1}
    assert sweep(now=wib(2026, 12, 7, 8, 0) - MINUTE).total == 0
    assert sweep(now=wib(2026, 12, 7, 8, 0)).fired == {"overdue_notice": 1}
    assert sweep(now=wib(2026, 12, 14, 8, 0) - MINUTE).total == 0
    assert sweep(now=wib(2026, 12, 14, 8, 0)).fired == {"written_warning_1": 1}
    a.refresh_from_db()
    assert a.due_at == wib(2026, 12, 5)


def test_an_approved_extension_is_an_event_of_the_assignment_and_the_feed(officer):
    a = merangin(officer)
    regent = official("regent", "15.02")
    request = services.request_extension(
        assignment=a,
        actor=regent,
        new_due_date=dt.date(2026, 12, 4),
        reason="Alat perekaman rusak",
        at=wib(2026, 11, 10),
    )
    services.approve_extension(
        request=request, actor=officer, reason="Disetujui", at=wib(2026, 11, 10, 9, 0)
    )

    moved = a.events.get(transition="extend_due")
    assert (moved.from_state, moved.to_state) == (a.state, a.state)  # only the deadline moved
    assert (moved.actor, moved.at, moved.reason) == (officer, wib(2026, 11, 10, 9, 0), "Disetujui")
    assert moved.payload == {
        "extension": request.pk,
        "from_due_date": "2026-11-20",
        "to_due_date": "2026-12-04",
    }
    assert Event.objects.filter(type="assignment.extend_due", data__assignment=a.pk).exists()


def test_a_second_sweep_at_the_same_instant_fires_nothing(officer):
    issue(officer, {"province": "15"})
    assert sweep(now=wib(2026, 11, 23, 8, 0)).fired == {"reminder": 22, "overdue_notice": 11}
    assert sweep(now=wib(2026, 11, 23, 8, 0)).total == 0
    assert StepEvent.objects.count() == 33


def test_a_sweep_a_month_late_fires_every_missed_step_once_in_order_up_to_a_warning(officer):
    a = merangin(officer)
    late = wib(2027, 1, 31)
    result = sweep(now=late)
    assert dict(result.fired) == {"reminder": 2, "overdue_notice": 1, "written_warning_1": 1}
    events = StepEvent.objects.filter(assignment=a).order_by("id")
    assert [(e.step.slug, e.planned_at) for e in events] == [(s, at) for s, at, *_ in LADDER[:4]]
    assert {e.fired_at for e in events} == {late}
    assert level(a) == 4
    # The warning waits for its signatory, however late the sweep runs.
    assert sweep(now=late).total == 0
    assert sweep(now=wib(2027, 6, 1)).total == 0


def test_hak_akses_siak_warns_at_issue_and_requests_suspension_of_a_flagged_regency(officer):
    compliance.flag_regency(
        regency=regency("15.02"),
        actor=officer,
        kind="hr",
        description="Kepala Dinas Dukcapil diangkat tanpa persetujuan Menteri",
        legal_basis="UU 24/2013 Pasal 83A",
        at=wib(2026, 11, 1),
    )
    flagged, compliant = issue(
        officer, {"regions": ["15.02", "15.09"]}, policy="hak-akses-siak", due=dt.date(2026, 11, 12)
    )
    assert sweep(now=ISSUED).fired == {"warning_letter": 2}
    assert set(recipients(flagged, "dg-warning-letter")) == {"assignee", "governor"}

    expiry = wib(2026, 11, 13)  # the end of the due day
    assert sweep(now=expiry - MINUTE).total == 0
    assert not SuspensionRequest.objects.exists()
    assert sweep(now=expiry).fired == {"suspension_request": 2}
    request = SuspensionRequest.objects.get()
    assert request.regency.code == "15.02"
    assert (request.requested_by, request.status) == (None, RequestStatus.PENDING)
    assert request.requested_office == flagged.directive.issuing_office
    assert request.requested_at == expiry
    assert set(recipients(flagged, "suspension-request")) == {"ministry"}
    assert not SuspensionRequest.objects.filter(regency__code="15.09").exists()


def test_the_query_count_of_a_sweep_does_not_grow_with_the_assignments(officer, postgres):
    # On PostgreSQL; SQLite's bound-parameter limit splits bulk inserts into batches.
    few = issue(officer, {"province": "15"})
    with CaptureQueriesContext(connection) as eleven:
        assert sweep(now=wib(2026, 11, 4, 10, 0)).fired == {"reminder": 11}
    services.withdraw_directive(directive=few[0].directive, actor=officer, at=wib(2026, 11, 4, 11))

    issue(officer, {"all_regencies": True}, at=wib(2026, 11, 5, 10, 0))
    with CaptureQueriesContext(connection) as national:
        assert sweep(now=wib(2026, 11, 9, 10, 0)).fired == {"reminder": 514}
    assert len(national) == len(eleven)


def test_step_notices_are_written_in_each_recipients_language(officer):
    Office.objects.filter(title="Gubernur Jambi").update(language="en")
    assignment = merangin(officer)
    sweep(now=wib(2026, 11, 23, 8, 0))  # the overdue notice, with the governor in copy
    notices = Notification.objects.filter(
        dedupe_key__startswith=f"assignment:{assignment.pk}:step:overdue-notice:"
    )
    assert {n.context["role"]: n.language for n in notices} == {"assignee": "id", "governor": "en"}
