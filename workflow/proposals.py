"""Written warnings (teguran tertulis I/II): the ladder proposes, the official the law names
decides. PP 12/2017 Pasal 38: a sanction is imposed on the basis of a careful, objective
verification (ayat 3 and 6) and is the act of the governor, as the central government's
representative, for regents and mayors, and of the Minister for governors. So the sweep
only puts the case before that official (a SanctionProposal); nothing is numbered or sent
until he signs, and his refusal, with its reason, stops the assignment's ladder. Later
steps count from the day he signed."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import cast

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.models import Office, OfficeKind
from compliance.offices import active_offices

from . import feed, letters, timeline
from .calendar import BusinessCalendar
from .messages import Message
from .models import (
    ESCALATION_STOPPED,
    Assignment,
    EscalationStep,
    Letter,
    Notification,
    ProposalState,
    SanctionProposal,
    StepEvent,
)
from .notifications import outbox
from .seats import zone_of

PAGE = "/usulan-sanksi/{pk}/"  # pages.proposals: where the signatory opens it
# Who prepares a signatory's letters without signing them (Ministry policy choice: the
# province's Dukcapil head for the governor, the Director General for the Minister).
DRAFTERS: dict[str, str] = {
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD: OfficeKind.GOVERNOR,
    OfficeKind.DIRECTOR_GENERAL: OfficeKind.MINISTER,
}


def proposes(step: EscalationStep, skipped: bool) -> bool:
    """Whether a fired step is a written warning, which waits for its signatory."""
    return not skipped and step.action in letters.ROMAN


# --- the sweep's side --------------------------------------------------------------


def propose_for(
    events: Iterable[StepEvent], *, governors: Mapping[int, Office] | None = None
) -> list[Notification]:
    """The proposals of the fired written-warning events (saved, with their ids) and the
    notices telling each signatory (not saved: the sweep writes them with its own)."""
    minister: Office | None = None
    proposals: list[SanctionProposal] = []
    for event in events:
        if not proposes(event.step, event.skipped):
            continue
        a = event.assignment
        if a.regency_id is None:
            minister = minister or letters.minister_office()  # one query per round
        proposals.append(
            SanctionProposal(
                step_event=event,
                assignment=a,
                signatory_office=letters.signatory_for(a, governors, minister),
                proposed_at=event.fired_at,
            )
        )
    SanctionProposal.objects.bulk_create(proposals)
    feed.proposals_changed(proposals, "proposed", None)
    return [signatory_notice(p) for p in proposals if p.signatory_office.email]


def lapse_for(assignment_ids: Iterable[int], *, at: dt.datetime) -> int:
    """The proposals still waiting for these assignments lapse: each was answered or
    withdrawn before its signatory decided, so there is nothing left to sign (a warning
    for a directive already carried out would have no ground, PP 12/2017 Pasal 38 ayat 3).
    Returns how many lapsed."""
    waiting = list(
        SanctionProposal.objects.filter(
            assignment_id__in=assignment_ids, state=ProposalState.PROPOSED
        ).select_related("step_event__step", "signatory_office")
    )
    for proposal in waiting:
        proposal.state, proposal.decided_at = ProposalState.LAPSED, at
    SanctionProposal.objects.bulk_update(waiting, ["state", "decided_at"])
    feed.proposals_changed(waiting, "lapsed", at)
    return len(waiting)


def revive_for(assignment: Assignment, *, at: dt.datetime) -> SanctionProposal | None:
    """An assignment returned for rework puts its lapsed proposal, if its ladder was still
    waiting on it, before the signatory again (told anew). Returns the proposal or None."""
    proposal = assignment.sanction_proposals.order_by("-id").first()
    if proposal is None or proposal.state != ProposalState.LAPSED:
        return None
    proposal.state, proposal.decided_at = ProposalState.PROPOSED, None
    proposal.proposed_at, proposal.reminded_at = at, None
    proposal.save(update_fields=["state", "decided_at", "proposed_at", "reminded_at"])
    feed.proposals_changed([proposal], "proposed", at)
    if proposal.signatory_office.email:
        notice = signatory_notice(proposal, again_at=at)
        notice.save()
        outbox.dispatch_on_commit([notice.pk])
    return proposal


def signatory_notice(
    proposal: SanctionProposal,
    *,
    reminder_on: dt.date | None = None,
    again_at: dt.datetime | None = None,
) -> Notification:
    office, a = proposal.signatory_office, proposal.assignment
    key = f"reminder:{reminder_on:%Y-%m-%d}" if reminder_on else "proposed"
    if again_at is not None:
        key = f"proposed-again:{again_at:%Y%m%dT%H%M%S}"
    return Notification(
        dedupe_key=f"proposal:{proposal.pk}:{key}",
        recipient_office=office,
        recipient_email=office.email,
        language=office.language,
        template="sanction_proposed",
        assignment=a,
        context={
            "directive": a.directive_id,
            "title": a.directive.title,
            "office": office.title,
            "addressee": a.office.title,
            "due_at": a.due_at.isoformat(),
            # ROMAN is keyed by StepAction members, equal to the stored str.
            "roman": letters.ROMAN[proposal.step_event.step.action],
            "role": "signatory",
            "proposal": proposal.pk,
            "proposal_path": PAGE.format(pk=proposal.pk),
            "reminder": reminder_on is not None,
        },
    )


# --- who sees and who signs ----------------------------------------------------------


def visible_proposals(user: User | AnonymousUser) -> QuerySet[SanctionProposal]:
    """The proposals the user's offices sign, or prepare for their signatory."""
    condition = Q(pk__in=[])
    for office in active_offices(user):
        condition |= Q(signatory_office=office)
        signatory_kind = DRAFTERS.get(office.kind)
        if signatory_kind == OfficeKind.GOVERNOR:
            condition |= Q(
                signatory_office__kind=signatory_kind,
                signatory_office__province_id=office.province_id,
            )
        elif signatory_kind:
            condition |= Q(signatory_office__kind=signatory_kind)
    return SanctionProposal.objects.filter(condition).select_related(
        "step_event__step",
        "assignment__office",
        "assignment__directive",
        "assignment__province",
        "assignment__regency",
        "signatory_office",
        "letter",
        "decided_by",
    )


def get_visible_proposal(user: User | AnonymousUser, pk: int) -> SanctionProposal:
    try:
        return visible_proposals(user).get(pk=pk)
    except SanctionProposal.DoesNotExist:
        raise NotFound(Message("proposal_not_found", pk=pk)) from None


def may_sign(user: User | AnonymousUser, proposal: SanctionProposal) -> bool:
    return any(o.pk == proposal.signatory_office_id for o in active_offices(user))


def _decidable(user: User | AnonymousUser, pk: int) -> SanctionProposal:
    """The proposal, locked, when the user holds its signatory office (404 when he cannot
    see it, 403 when he only prepares it, 409 once decided)."""
    visible = get_visible_proposal(user, pk)
    if not may_sign(user, visible):
        raise NotAllowed(Message("signatory_only"))
    proposal = (
        SanctionProposal.objects.select_for_update()
        .select_related("step_event__step", "signatory_office", "assignment")
        .get(pk=pk)
    )
    if proposal.state != ProposalState.PROPOSED:
        raise Conflict(Message("proposal_already_decided", state=proposal.state))
    if proposal.assignment.state in ESCALATION_STOPPED:
        raise Conflict(Message("nothing_left_to_sign"))
    return proposal


def _locked_assignment(proposal: SanctionProposal) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("office", "province", "directive", "next_step")
        .get(pk=proposal.assignment_id)
    )


# --- the decisions ---------------------------------------------------------------------


def sign(*, proposal_id: int, actor: User, at: dt.datetime | None = None) -> Letter:
    """The signatory signs: the letter is numbered now, dated today (the signatory's
    region), rendered and kept, and sent with the step's notices; the ladder goes on from
    today. Returns the letter."""
    with transaction.atomic():
        proposal = _decidable(actor, proposal_id)
        assignment = _locked_assignment(proposal)
        now = at or timezone.now()  # `at`: the demo replays the past
        _require_working_day(proposal.signatory_office, now)
        letter = _number(proposal, assignment, now)
        proposal.state, proposal.decided_at, proposal.decided_by = ProposalState.SIGNED, now, actor
        proposal.letter = letter
        proposal.save(update_fields=["state", "decided_at", "decided_by", "letter"])
        _send(proposal, assignment, letter)
        _resume_ladder(assignment, now)
        _record(proposal, assignment, actor, now, "sign_warning", letter=letter)
        feed.proposals_changed([proposal], "signed", now)
        feed.letter_issued(letter, now)
        letters.sign_and_keep(letter, signed_at=now)
    return letter


def decline(*, proposal_id: int, actor: User, reason: str) -> SanctionProposal:
    """The signatory declines, with his reason: no letter, and the ladder stops for this
    assignment (the reason is in its timeline and the audit trail)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            Message("decline_reason_required"),
            errors={"reason": ["required"]},
        )
    with transaction.atomic():
        proposal = _decidable(actor, proposal_id)
        assignment = _locked_assignment(proposal)
        now = timezone.now()
        proposal.state, proposal.decided_at, proposal.decided_by = (
            ProposalState.DECLINED,
            now,
            actor,
        )
        proposal.reason = reason
        proposal.save(update_fields=["state", "decided_at", "decided_by", "reason"])
        assignment.stop_escalation()  # the signatory ended the ladder
        assignment.save(update_fields=["next_step", "next_step_at"])
        _record(proposal, assignment, actor, now, "decline_warning", reason=reason)
        feed.proposals_changed([proposal], "declined", now)
    return proposal


def _require_working_day(office: Office, now: dt.datetime) -> None:
    """A letter is dated the day it is signed, and never on a non-working day at the
    signatory's seat (tata naskah dinas; see docs/workflow.md): the proposal waits."""
    calendar = BusinessCalendar.from_database()
    day = timezone.localdate(now, zone_of(office))
    if not calendar.is_working_day(day):
        opens = calendar.shift(day, 1)
        raise Conflict(
            Message("letters_on_working_days", day=day, opens=opens),
            errors={"date": ["non_working_day"]},
        )


def _number(proposal: SanctionProposal, assignment: Assignment, now: dt.datetime) -> Letter:
    office = proposal.signatory_office
    date = timezone.localdate(now, zone_of(office))
    [sequence] = letters.take_numbers(office=office, year=date.year)
    return Letter.objects.create(
        step_event=proposal.step_event,
        signatory_office=office,
        addressee_office=assignment.office,
        year=date.year,
        sequence=sequence,
        number=letters.format_number(office, sequence, date.year),
        date=date,
    )


def _send(proposal: SanctionProposal, assignment: Assignment, letter: Letter) -> None:
    """The step's own notices (the regent, the governor's copy, the ministry), carrying the
    letter, as the sweep would have sent them."""
    from .escalation import governors_by_province, step_notices

    event = proposal.step_event
    notices = step_notices(assignment, event.step, governors_by_province())
    for notice in notices:
        notice.context["letter"] = letter.pk
    Notification.objects.bulk_create(notices)
    outbox.dispatch_on_commit([n.pk for n in notices])


def _resume_ladder(assignment: Assignment, signed_at: dt.datetime) -> None:
    """The next step counts from the signing, not from when the step fell due."""
    assignment.last_step_at = signed_at
    if assignment.next_step_id is not None:
        next_step = cast(EscalationStep, assignment.next_step)  # next_step_id is set
        assignment.next_step_at = next_step.instant(
            issued_at=assignment.issued_at,
            due_date=assignment.due_date,
            previous_at=signed_at,
            tz=assignment.province.zoneinfo,
            calendar=BusinessCalendar.from_database(),
        )
    assignment.save(update_fields=["last_step_at", "next_step_at"])


def _record(
    proposal: SanctionProposal,
    assignment: Assignment,
    actor: User,
    now: dt.datetime,
    transition: str,
    *,
    reason: str = "",
    letter: Letter | None = None,
) -> None:
    payload = {"proposal": proposal.pk, "step": proposal.step_event.step.slug}
    if letter is not None:
        payload.update(letter=letter.pk, number=letter.number)
    timeline.record(
        assignment,
        transition,
        at=now,
        actor=actor,
        office=proposal.signatory_office,
        reason=reason,
        payload=payload,
    )
