"""A written warning is proposed by the ladder and decided by the official the law names
(PP 12/2017 Pasal 38): the governor for a regent, the Minister for a governor. Nothing is
numbered or sent before he signs; his refusal, with its reason, stops the ladder; the
next step counts from his signature. Only the signatory office (holder or Plt./Plh.)
decides; whoever merely prepares it, or is outside, is refused and nothing changes."""

import datetime as dt
import zoneinfo

import pytest
from rest_framework.test import APIClient

from tests.factories import PSN, official
from workflow import services
from workflow.escalation import sweep
from workflow.models import (
    Assignment,
    AssignmentEvent,
    Letter,
    Notification,
    ProposalState,
    SanctionProposal,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # Monday
DUE = dt.date(2026, 11, 20)
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB)  # warning I (Sat.) waits for Monday 08:00
MONDAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WIB)


@pytest.fixture
def proposal(officer):
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis="UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38",
        due_date=DUE,
        scope={"regions": ["15.02"]},
        **PSN,
    )
    services.issue_directive(directive=directive, actor=officer, at=ISSUED)
    sweep(now=WARNING_1)
    return SanctionProposal.objects.get()


def api(user):
    client = APIClient()
    client.force_login(user)
    return client


def state(proposal):
    proposal.refresh_from_db()
    return proposal.state


def test_the_sweep_proposes_to_the_governor_and_tells_only_him(proposal):
    assert proposal.state == ProposalState.PROPOSED
    assert proposal.signatory_office.title == "Gubernur Jambi"
    assert not Letter.objects.exists()
    [notice] = Notification.objects.filter(template="sanction_proposed")
    assert notice.recipient_office == proposal.signatory_office
    assert notice.context["proposal_path"] == f"/usulan-sanksi/{proposal.pk}/"
    assert not Notification.objects.filter(template="step_written_warning_1").exists()
    assert Assignment.objects.get().next_step_at is None  # the ladder waits


def test_the_governor_signs_the_letter_is_numbered_dated_sent_and_the_ladder_goes_on(
    proposal, time_machine
):
    governor = official("governor", "15")
    time_machine.move_to(MONDAY, tick=False)

    response = api(governor).post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/")

    assert response.status_code == 200
    letter = Letter.objects.get()
    assert response.json() == {"id": letter.pk, "number": letter.number, "date": "2026-11-30"}
    assert letter.number == "100.3.4/0001/Gub.15/2026"
    assert state(proposal) == ProposalState.SIGNED and proposal.decided_by == governor
    sent = Notification.objects.filter(template="step_written_warning_1")
    assert {n.context["role"] for n in sent} == {"assignee", "governor", "ministry"}
    assert {n.context["letter"] for n in sent} == {letter.pk}
    a = Assignment.objects.get()
    assert a.next_step.slug == "written-warning-2" and a.next_step_at > MONDAY
    assert AssignmentEvent.objects.get(transition="sign_warning").payload["number"] == (
        letter.number
    )


def test_declining_needs_a_reason_and_stops_the_ladder(proposal, time_machine):
    governor = official("governor", "15")
    time_machine.move_to(MONDAY, tick=False)
    url = f"/api/v1/sanction-proposals/{proposal.pk}/decline/"

    assert api(governor).post(url, {"reason": ""}, format="json").status_code == 400
    assert state(proposal) == ProposalState.PROPOSED

    reason = "Bupati sudah menyampaikan rencana aksi; verifikasi belum cukup."
    response = api(governor).post(url, {"reason": reason}, format="json")

    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert state(proposal) == ProposalState.DECLINED and proposal.reason == reason
    a = Assignment.objects.get()
    assert (a.next_step_id, a.next_step_at) == (None, None)
    assert AssignmentEvent.objects.get(transition="decline_warning").reason == reason
    assert sweep(now=dt.datetime(2027, 6, 1, tzinfo=WIB)).total == 0
    assert not Letter.objects.exists()


def test_an_acting_governor_signs(proposal, time_machine):
    plt = official("governor", "15", acting=True)
    time_machine.move_to(MONDAY, tick=False)
    assert api(plt).post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/").status_code == 200


@pytest.mark.parametrize(
    ("kind", "region", "status"),
    [
        ("provincial_dukcapil_head", "15", 403),  # prepares it, does not sign it
        ("regent", "15.02", 404),
        ("ministry_officer", None, 404),
        ("governor", "14", 404),  # another province's governor
        ("minister", None, 404),  # signs governors' warnings, not regents'
    ],
)
def test_only_the_signatory_decides(proposal, kind, region, status):
    user = official(kind, region)
    for action, data in (("sign", {}), ("decline", {"reason": "tidak"})):
        url = f"/api/v1/sanction-proposals/{proposal.pk}/{action}/"
        assert api(user).post(url, data, format="json").status_code == status
    assert state(proposal) == ProposalState.PROPOSED
    assert not Letter.objects.exists()


def test_a_decided_proposal_is_not_decided_again(proposal, time_machine):
    governor = official("governor", "15")
    time_machine.move_to(MONDAY, tick=False)
    api(governor).post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/")
    again = api(governor).post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/")
    assert again.status_code == 409
    assert Letter.objects.count() == 1


def test_the_queue_lists_what_waits_for_the_signatory_and_his_drafter(proposal):
    governor = official("governor", "15")
    head = official("provincial_dukcapil_head", "15")
    for user, may_sign in ((governor, True), (head, False)):
        [row] = api(user).get("/api/v1/sanction-proposals/?state=proposed").json()["results"]
        assert (row["id"], row["state"], row["step"]) == (
            proposal.pk,
            "proposed",
            "written-warning-1",
        )
        assert row["may_sign"] is may_sign
    assert api(official("regent", "15.02")).get("/api/v1/sanction-proposals/").json()["count"] == 0


def test_the_governor_decides_in_the_pages(proposal, time_machine):
    from django.test import Client

    governor = official("governor", "15")
    time_machine.move_to(MONDAY, tick=False)
    client = Client()
    client.force_login(governor)

    queue = client.get("/usulan-sanksi/").content.decode()
    assert f'data-testid="proposal-{proposal.pk}"' in queue
    page = client.get(f"/usulan-sanksi/{proposal.pk}/").content.decode()
    assert "UU 23/2014 Pasal 67-68" in page and 'id="sign"' in page
    refused = client.post(f"/usulan-sanksi/{proposal.pk}/tolak/", {"decline-reason": ""})
    assert refused.status_code == 400 and state(proposal) == ProposalState.PROPOSED

    client.post(f"/usulan-sanksi/{proposal.pk}/tandatangani/")

    assert state(proposal) == ProposalState.SIGNED
    assert Letter.objects.get().date == dt.date(2026, 11, 30)


def test_a_proposal_left_waiting_reminds_its_signatory_and_never_signs_itself(proposal):
    from workflow.notifications.render import render_parts
    from workflow.proposal_reminders import remind_signatories

    # Proposed on Monday 30 November, 08:00; three business days later is Thursday 3rd.
    wednesday = dt.datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
    thursday = dt.datetime(2026, 12, 3, 8, 0, tzinfo=WIB)
    assert remind_signatories(now=wednesday) == []
    [first] = remind_signatories(now=thursday)
    assert remind_signatories(now=thursday + dt.timedelta(hours=2)) == []  # once a day
    reminder = Notification.objects.get(pk=first)
    assert reminder.recipient_office == proposal.signatory_office
    assert reminder.context["reminder"] is True
    subject, text, _ = render_parts(reminder)
    assert subject.startswith("Pengingat: usulan teguran tertulis I")
    assert f"/usulan-sanksi/{proposal.pk}/" in text
    # The next one three business days after it: Tuesday 8 December.
    assert remind_signatories(now=dt.datetime(2026, 12, 7, 8, 0, tzinfo=WIB)) == []
    assert len(remind_signatories(now=dt.datetime(2026, 12, 8, 8, 0, tzinfo=WIB))) == 1
    assert state(proposal) == ProposalState.PROPOSED
    assert not Letter.objects.exists()


def test_the_reminder_runs_daily_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["remind-signatories"]
    assert entry["task"] == "workflow.tasks.remind_signatories"


# --- a proposal whose assignment was answered meanwhile ---------------------------------


def answer(at=MONDAY):
    regent = official("regent", "15.02")
    a = Assignment.objects.get()
    services.acknowledge_assignment(assignment=a, actor=regent, at=at)
    return services.submit_assignment(
        assignment=a, actor=regent, note="Perekaman selesai 100 %", at=at
    )


def test_an_answered_assignment_lapses_its_proposal_and_nothing_is_left_to_sign(
    proposal, time_machine
):
    answer()
    assert state(proposal) == ProposalState.LAPSED
    time_machine.move_to(MONDAY + dt.timedelta(hours=1), tick=False)
    response = api(official("governor", "15")).post(
        f"/api/v1/sanction-proposals/{proposal.pk}/sign/"
    )
    assert response.status_code == 409
    assert not Letter.objects.exists()
    queue = api(official("governor", "15")).get("/api/v1/sanction-proposals/?state=proposed")
    assert queue.json()["count"] == 0


def test_a_withdrawn_directive_lapses_its_proposals(proposal, officer):
    directive = Assignment.objects.get().directive
    services.withdraw_directive(directive=directive, actor=officer, at=MONDAY)
    assert state(proposal) == ProposalState.LAPSED


def test_a_return_for_rework_puts_the_lapsed_proposal_before_the_signatory_again(
    proposal, officer, time_machine
):
    answer()
    later = MONDAY + dt.timedelta(days=1)
    services.return_assignment(
        assignment=Assignment.objects.get(), actor=officer, reason="Bukti kurang", at=later
    )
    assert state(proposal) == ProposalState.PROPOSED and proposal.proposed_at == later
    told = Notification.objects.filter(template="sanction_proposed").order_by("id")
    assert told.count() == 2 and told.last().dedupe_key.startswith(
        f"proposal:{proposal.pk}:proposed-again:"
    )
    time_machine.move_to(later + dt.timedelta(hours=1), tick=False)
    governor = official("governor", "15")
    assert api(governor).post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/").status_code == 200


def test_the_daily_run_lapses_what_another_path_left_waiting_and_reminds_nobody(proposal):
    from workflow.models import AssignmentState
    from workflow.proposal_reminders import remind_signatories

    Assignment.objects.update(state=AssignmentState.SUBMITTED)  # a bulk path, no service
    assert remind_signatories(now=dt.datetime(2026, 12, 8, 8, 0, tzinfo=WIB)) == []
    assert state(proposal) == ProposalState.LAPSED
