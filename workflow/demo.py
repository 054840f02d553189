"""The workflow's part of the demo (seed_demo, sent through compliance's demo_loaded
signal): work waiting today for the demo users whose job starts from a directive, an
overdue directive whose written warnings the governor of Jambi has signed, and the
story's e-mails recorded as delivered when their cause happened rather than sent today.
And, in the story's past (demo_past_loaded), the Minister's call of 2017 to every
governor, regent and mayor, answered in Jambi by the heads in office then."""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from compliance.models import OfficeKind
from compliance.offices import active_offices
from compliance.recording import regency_realisation

from . import proposals, services
from .calendar import BusinessCalendar
from .escalation import sweep
from .models import (
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
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
    # A report request: no sanction ladder, so no sanctions article (PP 12/2017 Pasal 38).
    "legal_basis": "UU 24/2013 Pasal 63",
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
    # Its ladder ends in sanctions: the instrument making e-KTP a national programme.
    "policy": "program-strategis-nasional",
    "programme_basis": (
        "Perpres 26/2009 tentang Penerapan Kartu Tanda Penduduk Berbasis Nomor Induk "
        "Kependudukan secara Nasional"
    ),
}
OVERDUE_ISSUED_DAYS_AGO = 42  # due 14 days later; warnings I and II have fired since
OVERDUE_DUE_AFTER_DAYS = 14


# --- the past: the Minister's call of 2017 -------------------------------------------
# The article: "Menteri Dalam Negeri Tjahjo Kumolo meminta semua kepala daerah baik
# gubernur, wali kota maupun bupati mendesak Kepala Dinas Dukcapil untuk menyelesaikan
# semua perekaman data KTP elektronik", before 17 October 2017, with the centre's target
# of 100 % by the end of the year. A directive has one scope, so the call is two: one to
# the 38 governors, one to the 514 regents and mayors. Invented (docs/lifecycle.md): the
# day, the wording, the due date, the answers and their days.
MINISTERS_CALL = {
    "title": "Penyelesaian perekaman KTP-el sampai akhir tahun 2017",
    "body": (
        "Menteri Dalam Negeri meminta para gubernur, bupati dan wali kota mendesak Kepala "
        "Dinas Kependudukan dan Pencatatan Sipil di daerahnya untuk menyelesaikan "
        "perekaman KTP-el seluruh penduduk wajib KTP-el paling lambat akhir tahun 2017 "
        "(perekaman keliling ke desa dan sekolah, penambahan jam layanan, perbaikan "
        "perangkat yang rusak), dan melaporkan capaiannya."
    ),
    "legal_basis": "UU 24/2013 Pasal 63",
    "priority": "high",
}
CALL_SCOPES = [
    ({"all_provinces": True}, "para gubernur"),
    ({"all_regencies": True}, "para bupati dan wali kota"),
]
CALL_ISSUED = dt.datetime(2017, 10, 3, 10, tzinfo=WIB)
CALL_DUE = dt.date(2017, 12, 29)  # the last working day of 2017
CALL_ACKNOWLEDGED = dt.datetime(2017, 10, 5, 10, tzinfo=WIB)
CALL_ANSWERED = dt.datetime(2017, 12, 15, 10, tzinfo=WIB)
CALL_FIGURES_ON = dt.date(2017, 12, 10)
CALL_VERIFIED = dt.datetime(2018, 1, 8, 10, tzinfo=WIB)
# Outside Jambi the demo does not follow the story: those answers are recorded together.
ELSEWHERE = (
    "[Demo] Jawaban daerah di luar Jambi dicatat sekaligus; tanggal dan isinya rekaan. / "
    "The answers outside Jambi are recorded together; their days and content are invented."
)


def on_demo_past_loaded(sender, users, holder, **kwargs):
    ministers_call(holder)


def ministers_call(holder):
    """The call, issued by the Minister of 2017; in Jambi each head in office then
    acknowledges it and reports the figures of 10 December, and a ministry officer
    verifies the reports in January 2018; the rest of the country is recorded as done
    on the same days (ELSEWHERE). Both directives end closed, nothing left to escalate,
    their issue e-mails recorded as delivered in 2017. Returns the two directives."""
    minister = holder("menteri", CALL_ISSUED)
    verifier = holder("petugas2", CALL_VERIFIED)
    figures = {
        r.code: (r.recorded, r.obliged)
        for r in regency_realisation(CALL_FIGURES_ON).filter(province__code="15")
    }
    directives = []
    for scope, addressees in CALL_SCOPES:
        directive = services.create_directive(
            actor=minister,
            due_date=CALL_DUE,
            scope=scope,
            **{**MINISTERS_CALL, "title": f"{MINISTERS_CALL['title']}: kepada {addressees}"},
        )
        services.issue_directive(directive=directive, actor=minister, at=CALL_ISSUED)
        Notification.objects.filter(assignment__directive=directive).update(
            state=NotificationState.SENT, created_at=CALL_ISSUED, sent_at=CALL_ISSUED
        )
        for assignment in Assignment.objects.filter(
            directive=directive, province__code="15"
        ).select_related("office", "regency"):
            _answer_in_jambi(assignment, holder, verifier, figures)
        _record_elsewhere(directive, verifier)
        directive = Directive.objects.get(pk=directive.pk)
        directive.close()
        directive.save(update_fields=["state"])
        directives.append(directive)
    return directives


def _jambi_seat(office):
    from compliance.demo import demo_seats

    kinds = {OfficeKind.GOVERNOR, OfficeKind.REGENT, OfficeKind.MAYOR}
    code = office.regency.code if office.regency_id else office.province.code
    return next(s.username for s in demo_seats() if s.kind in kinds and s.region == code)


def _answer_in_jambi(assignment, holder, verifier, figures):
    seat = _jambi_seat(assignment.office)
    services.acknowledge_assignment(
        assignment=assignment, actor=holder(seat, CALL_ACKNOWLEDGED), at=CALL_ACKNOWLEDGED
    )
    if assignment.regency_id:
        recorded, obliged = figures[assignment.regency.code]
    else:
        recorded, obliged = (sum(f[i] for f in figures.values()) for i in (0, 1))
    share = f"{recorded * 100 / obliged:.1f}".replace(".", ",")
    note = (
        f"Capaian perekaman KTP-el per {CALL_FIGURES_ON:%d-%m-%Y}: {_thousands(recorded)} "
        f"dari {_thousands(obliged)} penduduk wajib KTP-el ({share} %). Kepala Dinas "
        "Dukcapil telah diminta menuntaskan perekaman melalui perekaman keliling ke desa "
        "dan sekolah serta penambahan jam layanan."
    )
    services.submit_assignment(
        assignment=assignment, actor=holder(seat, CALL_ANSWERED), note=note, at=CALL_ANSWERED
    )
    services.verify_assignment(assignment=assignment, actor=verifier, at=CALL_VERIFIED)


def _thousands(number):
    return f"{number:,}".replace(",", ".")


def _record_elsewhere(directive, verifier):
    """Acknowledged, reported and verified on the days Jambi's were: one update and
    three history entries per assignment, in bulk."""
    office = services.managing_office(active_offices(verifier), directive)
    open_ones = directive.assignments.filter(state=AssignmentState.ISSUED)
    A = AssignmentState
    steps = (
        ("acknowledge", A.ISSUED, A.ACKNOWLEDGED, CALL_ACKNOWLEDGED, None, None),
        ("submit", A.ACKNOWLEDGED, A.SUBMITTED, CALL_ANSWERED, None, None),
        ("verify", A.SUBMITTED, A.VERIFIED, CALL_VERIFIED, verifier, office.pk),
    )
    AssignmentEvent.objects.bulk_create(
        [
            AssignmentEvent(
                assignment_id=pk,
                actor=actor,
                office_id=by or recipient,
                at=at,
                transition=name,
                from_state=from_state,
                to_state=to_state,
                reason=ELSEWHERE,
                payload={"demo": "recorded together"},
            )
            for pk, recipient in open_ones.values_list("pk", "office_id")
            for name, from_state, to_state, at, actor, by in steps
        ],
        batch_size=1000,
    )
    # The state is protected on the model: the transitions above are recorded, the
    # rows moved in one statement.
    open_ones.update(
        state=A.VERIFIED,
        acknowledged_at=CALL_ACKNOWLEDGED,
        submitted_at=CALL_ANSWERED,
        note=ELSEWHERE,
    )
    directive.assignments.update(next_step=None, next_step_at=None)


# --- today ----------------------------------------------------------------------------


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
            _delivered(notice, cause)
    # The access orders' notices (workflow.access_orders) carry their change's instant.
    orders = Notification.objects.filter(
        state=NotificationState.QUEUED, dedupe_key__startswith="access-order:"
    )
    for notice in orders:
        cause = dt.datetime.fromisoformat(notice.context["at"])
        if cause < before:
            _delivered(notice, cause)


def _delivered(notice, at):
    notice.state, notice.created_at, notice.sent_at = NotificationState.SENT, at, at
    notice.save(update_fields=["state", "created_at", "sent_at"])
