"""Reminding signatories: a warning proposal left waiting its policy's reminder days
reminds its signatory once per local day (workflow.tasks.remind_signatories, daily); it
never decides for him."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .calendar import BusinessCalendar
from .models import ESCALATION_STOPPED, Notification, ProposalState, SanctionProposal
from .notifications import outbox
from .proposals import lapse_for, signatory_notice


def _lapse_stale(now: dt.datetime) -> None:
    """Whatever path stopped an assignment without lapsing its proposal (a bulk change),
    the daily run catches it: a signatory is never reminded of nothing to sign."""
    stopped = SanctionProposal.objects.filter(
        state=ProposalState.PROPOSED, assignment__state__in=ESCALATION_STOPPED
    ).values_list("assignment_id", flat=True)
    lapse_for(list(stopped), at=now)


def remind_signatories(*, now: dt.datetime | None = None) -> list[int]:
    """Daily: a proposal left waiting its policy's `proposal_reminder_business_days` since it
    was proposed (or last recalled) reminds its signatory, once per local day. It never
    decides for him. Returns the reminders written."""
    now = now or timezone.now()
    calendar = BusinessCalendar.from_database()
    _lapse_stale(now)
    waiting = SanctionProposal.objects.filter(state=ProposalState.PROPOSED).select_related(
        "assignment__directive__policy",
        "assignment__province",
        "assignment__office",
        "signatory_office",
        "step_event__step",
    )
    written = []
    with transaction.atomic():
        for proposal in waiting:
            a = proposal.assignment
            today = timezone.localdate(now, a.province.zoneinfo)
            since = timezone.localdate(
                proposal.reminded_at or proposal.proposed_at, a.province.zoneinfo
            )
            days = a.directive.policy.proposal_reminder_business_days
            if today < calendar.shift(since, days) or not proposal.signatory_office.email:
                continue
            notice = signatory_notice(proposal, reminder_on=today)
            fields = {f: getattr(notice, f) for f in REMINDER_FIELDS}
            notice, created = Notification.objects.get_or_create(
                dedupe_key=notice.dedupe_key, defaults=fields
            )
            if created:
                written.append(notice.pk)
            SanctionProposal.objects.filter(pk=proposal.pk).update(reminded_at=now)
        outbox.dispatch_on_commit(written)
    return written


REMINDER_FIELDS = (
    "recipient_office",
    "recipient_email",
    "language",
    "template",
    "assignment",
    "context",
)
