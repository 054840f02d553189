"""The workflow's part of the demo (seed_demo, sent through compliance's demo_loaded
signal): work waiting today for the demo users whose job starts from a directive, an
overdue directive whose written warnings the governor of Jambi has signed, and the
story's e-mails recorded as delivered when their cause happened rather than sent today."""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from . import proposals, services
from .calendar import BusinessCalendar
from .escalation import sweep
from .models import (
    Notification,
    NotificationState,
    ProposalState,
    SanctionProposal,
    StepAction,
    StepEvent,
)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")

GOVERNOR_DIRECTIVE = {
    "title": "Laporan capaian perekaman KTP-el Provinsi Jambi semester II",
    "body": (
        "Gubernur Jambi diminta menyampaikan laporan capaian perekaman KTP-el seluruh "
        "kabupaten/kota di Provinsi Jambi per 30 November, langkah percepatan yang telah "
        "ditempuh bersama para bupati dan wali kota, serta kendala perangkat perekaman.\n\n"
        "[Direktif latihan / practice directive]"
    ),
    "legal_basis": "UU 24/2013 Pasal 63; PP 12/2017 Pasal 38",
    "scope": {"regions": ["15"]},  # the governor of Jambi
    "priority": "high",
}

OVERDUE_DIRECTIVE = {
    "title": "Percepatan perekaman KTP-el Kabupaten Sarolangun dan Merangin",
    "body": (
        "Bupati Sarolangun dan Bupati Merangin diminta menyusun dan melaksanakan rencana "
        "percepatan perekaman KTP-el (perekaman keliling ke desa dan sekolah, penambahan "
        "jam layanan) dan melaporkan hasilnya.\n\n[Direktif latihan / practice directive]"
    ),
    # The written warnings cite PP 12/2017 Pasal 38 themselves.
    "legal_basis": "UU 24/2013 Pasal 63",
    "scope": {"regions": ["15.02", "15.03"]},
}
OVERDUE_ISSUED_DAYS_AGO = 42  # due 14 days later; warnings I and II have fired since
OVERDUE_DUE_AFTER_DAYS = 14


def on_demo_loaded(sender, users, at, **kwargs):
    # After the demo's commit: the story's remediation directives are opened on the commit
    # of its transitions (workflow listens to compliance's signal), and these come after.
    transaction.on_commit(lambda: _after_the_story(users["dirjen"], users["gubernur.jambi"], at))


@transaction.atomic
def _after_the_story(dirjen, governor, at):
    _overdue_directive(dirjen, at, governor)
    _record_past_deliveries(before=at - dt.timedelta(hours=12))
    _governor_directive(dirjen, at)


def _governor_directive(dirjen, at):
    """gubernur.jambi (or kadisdukcapil.jambi for him) finds a directive from the Director
    General in his inbox, issued two days ago and due in a week."""
    directive = services.create_directive(
        actor=dirjen, due_date=timezone.localdate(at) + dt.timedelta(days=7), **GOVERNOR_DIRECTIVE
    )
    services.issue_directive(directive=directive, actor=dirjen, at=at - dt.timedelta(days=2))


def _overdue_directive(dirjen, at, governor):
    """Issued six weeks ago to the regents of Merangin and Sarolangun, never acknowledged:
    the ladder is replayed day by day (a sweep each morning), so its reminders and overdue
    notice carry their own dates. Written warning I to Merangin was signed by the governor
    the working day after it was proposed (a signed letter that /verifikasi/ checks);
    warning II to Merangin and warning I to Sarolangun wait for him."""
    issued = at - dt.timedelta(days=OVERDUE_ISSUED_DAYS_AGO)
    due = timezone.localdate(issued, WIB) + dt.timedelta(days=OVERDUE_DUE_AFTER_DAYS)
    directive = services.create_directive(actor=dirjen, due_date=due, **OVERDUE_DIRECTIVE)
    services.issue_directive(directive=directive, actor=dirjen, at=issued)
    day = timezone.localdate(issued, WIB)
    while (morning := dt.datetime.combine(day, dt.time(8), tzinfo=WIB)) <= at:
        sweep(now=morning)
        _sign_merangins_first_warning(governor, morning)
        day += dt.timedelta(days=1)


def _sign_merangins_first_warning(governor, morning):
    waiting = SanctionProposal.objects.filter(
        state=ProposalState.PROPOSED,
        assignment__regency__code="15.02",
        step_event__step__action=StepAction.WRITTEN_WARNING_1,
        proposed_at__lt=morning - dt.timedelta(hours=12),
    ).first()
    # A letter is dated on a working day only (proposals.sign refuses any other).
    if waiting is not None and BusinessCalendar.from_database().is_working_day(morning.date()):
        proposals.sign(proposal_id=waiting.pk, actor=governor, at=morning + dt.timedelta(hours=1))


def _record_past_deliveries(*, before):
    """The demo replays the past at its dates; its e-mails went out then. Record each
        queued notice whose cause (the step that fired it, or the directive's issue) happened
        `before` as written and delivered at that moment, so that nothing of the past is mailed
    today, nor shown as if it had been."""
    past = Notification.objects.filter(
        state=NotificationState.QUEUED, assignment__issued_at__lt=before
    ).select_related("assignment")
    fired = {
        (assignment, step): at
        for assignment, step, at in StepEvent.objects.filter(
            assignment__issued_at__lt=before
        ).values_list("assignment_id", "step__slug", "fired_at")
    }
    for notice in past:
        step = notice.context.get("step")
        cause = fired.get((notice.assignment_id, step)) if step else notice.assignment.issued_at
        if cause is not None and cause < before:
            notice.state, notice.created_at = NotificationState.SENT, cause
            notice.sent_at = cause
            notice.save(update_fields=["state", "created_at", "sent_at"])
