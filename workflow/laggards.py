"""Acceleration tracks for the regencies that lag behind the recording target
(compliance.laggards judges them; this keeps their tracks).

One track per regency: at most one open acceleration directive, addressed to its regent
or mayor with the province's governor in copy. Each run (weekly, or the console's button)
judges every regency with figures at its date and, per regency:

- lagging, without an open track: opens one, a system directive whose origin key
  `acceleration:<code>:<ISO year>-W<week>` names the week it opened; the key is unique, so
  a run repeated, or two at once, open it once. The regent's notice becomes the
  `acceleration_directive` e-mail with the numbers; the governor gets a copy.
- lagging, with its track open since an earlier week: updates it, once per ISO week, in
  one transaction: a progress entry on the assignment (transition `acceleration_update`,
  by the system's account, the figures in its reason and payload) and a reminder
  (`acceleration_update`, the new figures) to the regent and the governor in copy. The
  directive, its deadline and its escalation ladder stay as they are: a regency that stays
  behind climbs one ladder, not a new one each week.
- no longer lagging, with an open track: closes it with the figures that closed it: the
  assignment acknowledged, submitted and verified by the system's account
  (system_directives.complete_system_assignments), the directive closed, and an
  `acceleration_closed` notice to the regent and the governor. If it falls behind again
  later, a new track opens.

A regency without figures at the date is not judged: its track stays as it is.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compliance.errors import InvalidInput, NotAllowed
from compliance.laggards import Laggard, find_standings
from compliance.models import MINISTRY_KINDS, Office, OfficeKind
from compliance.offices import active_offices

from . import timeline
from .messages import Message
from .models import (
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    DirectiveState,
    Notification,
)
from .notifications import outbox
from .system_directives import complete_system_assignments, open_system_directive, system_user

TEMPLATE = "acceleration_directive"
UPDATE_TEMPLATE = "acceleration_update"
CLOSED_TEMPLATE = "acceleration_closed"
UPDATE = "acceleration_update"  # the progress entry's transition name
PREFIX = "acceleration:"
LEGAL_BASIS = "UU 24/2013 Pasal 63; UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38"

# What a run did for one regency.
OPENED, UPDATED, UNCHANGED, CLOSED = "opened", "updated", "unchanged", "closed"


def period(day):
    """The ISO week of a date, e.g. 2026-W44: a track opens, or is updated, once a week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def regency_prefix(regency):
    return f"{PREFIX}{regency.code}:"


def origin_key(regency, day):
    """The key of the track a regency opens in the week of `day`."""
    return f"{regency_prefix(regency)}{period(day)}"


@dataclass(frozen=True)
class Issued:
    laggard: Laggard  # the regency's figures at the date (not lagging when closed)
    directive: Directive | None  # the directive this run opened; None otherwise
    outcome: str = OPENED  # opened, updated, unchanged (done this week already), closed
    track: Directive | None = None  # the regency's acceleration directive, if any


def _rounded(value):
    return None if value is None else float(round(value, 2))


def numbers(laggard, day):
    """The figures the e-mails and the progress entries show (JSON-safe)."""
    return {
        "regency": laggard.regency.name,
        "regency_code": laggard.regency.code,
        "date": day.isoformat(),
        "reason": laggard.reason,
        "realisation": _rounded(laggard.realisation),
        "expected": _rounded(laggard.expected),
        "start": _rounded(laggard.start),
        "tolerance": float(settings.LAGGARD_TOLERANCE_POINTS),
        "floor": float(settings.LAGGARD_FLOOR_PERCENT),
        "obliged": laggard.obliged,
        "recorded": laggard.recorded,
    }


def _figures(code, laggard, day):
    """The progress entry's reason ("still_lagging", "no_longer_lagging") with its figures."""
    return Message(
        code,
        realisation=f"{laggard.realisation:.1f}",
        recorded=laggard.recorded,
        obliged=laggard.obliged,
        day=day,
        expected=f"{laggard.expected:.1f}",
        floor=f"{settings.LAGGARD_FLOOR_PERCENT:g}",
        tolerance=f"{settings.LAGGARD_TOLERANCE_POINTS:g}",
    )


def _body(laggard, day):
    name = laggard.regency.name
    return (
        f"Realisasi perekaman KTP-el {name} per {day.isoformat()} adalah "
        f"{laggard.realisation:.1f} % ({laggard.recorded} dari {laggard.obliged} wajib KTP-el), "
        f"di bawah batas minimal {settings.LAGGARD_FLOOR_PERCENT:g} % dan lebih dari "
        f"{settings.LAGGARD_TOLERANCE_POINTS:g} poin di bawah jalur menuju 100 % pada "
        f"31 Desember, yang mengharapkan {laggard.expected:.1f} %. Percepat perekaman: tambah "
        "jam layanan, jemput bola ke sekolah dan desa, dan pastikan perangkat perekaman "
        "berfungsi. Direktif ini tetap berlaku sampai realisasi tidak lagi tertinggal; "
        "angka terbaru disampaikan setiap pekan."
    )


def _governors(regencies):
    return {
        o.province_id: o
        for o in Office.objects.filter(
            kind=OfficeKind.GOVERNOR, province_id__in={r.province_id for r in regencies}
        )
    }


def _notify(assignment, template, key, figures, governor, *, with_due=True):
    """The regent's notice and the governor's copy, with the figures; written once each
    (dedupe keys `key` and `key:governor`), delivered after the commit."""
    due = {"due_at": assignment.due_at.astimezone(dt.UTC).isoformat()} if with_due else {}
    context = {
        "directive": assignment.directive_id,
        "title": assignment.directive.title,
        "office": assignment.office.title,
        **due,
        "opened": timezone.localdate(
            assignment.issued_at, assignment.province.zoneinfo
        ).isoformat(),
        **figures,
    }
    written = []
    recipients = [(assignment.office, key, context)]
    if governor is not None and governor.email:
        recipients.append((governor, f"{key}:governor", {**context, "role": "governor"}))
    for office, dedupe_key, ctx in recipients:
        if not office.email:
            continue
        notice, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "recipient_office": office,
                "recipient_email": office.email,
                "language": office.language,
                "template": template,
                "assignment": assignment,
                "context": ctx,
            },
        )
        if created:
            written.append(notice.pk)
    outbox.dispatch_on_commit(written)


def _open(laggard, day, now, governor):
    regency = laggard.regency
    due = timezone.localdate(now, regency.province.zoneinfo)
    opened = open_system_directive(
        origin_key=origin_key(regency, day),
        regency=regency,
        title=f"Percepatan perekaman KTP-el {regency.name}",
        body=_body(laggard, day),
        legal_basis=LEGAL_BASIS,
        due_date=due + dt.timedelta(days=settings.ACCELERATION_DUE_DAYS),
        at=now,
    )
    if opened is None or opened[1] is None:
        return Issued(laggard, None, UNCHANGED)
    directive, assignment = opened
    figures = numbers(laggard, day)
    # The fan-out wrote the regent's generic "directive issued" notice; in this same
    # transaction it becomes the acceleration e-mail, with the numbers.
    notice = Notification.objects.get(assignment=assignment, template="directive_issued")
    notice.template, notice.context = TEMPLATE, {**notice.context, **figures}
    notice.save(update_fields=["template", "context"])
    if governor is not None and governor.email:
        copy = Notification.objects.create(
            dedupe_key=f"{directive.origin_key}:governor",
            recipient_office=governor,
            recipient_email=governor.email,
            language=governor.language,
            template=TEMPLATE,
            assignment=assignment,
            context={**notice.context, "role": "governor"},
        )
        outbox.dispatch_on_commit([copy.pk])
    return Issued(laggard, directive, OPENED, directive)


def _open_track(assignment_id):
    """The track's assignment, locked, if it is still open."""
    return (
        Assignment.objects.select_for_update()
        .select_related("directive", "office", "province")
        .filter(pk=assignment_id, directive__state=DirectiveState.ISSUED)
        .exclude(state__in=[AssignmentState.VERIFIED, AssignmentState.WITHDRAWN])
        .first()
    )


def _update(laggard, track, day, now, governor):
    assignment = _open_track(track.pk)
    if assignment is None:  # closed meanwhile: the next run opens a new one
        return Issued(laggard, None, UNCHANGED, track.directive)
    directive, week = assignment.directive, period(day)
    done = (
        directive.origin_key.endswith(f":{week}")
        or assignment.events.filter(transition=UPDATE, payload__period=week).exists()
    )
    if done:
        return Issued(laggard, None, UNCHANGED, directive)
    figures = numbers(laggard, day)
    timeline.record(
        assignment,
        UPDATE,
        at=now,
        actor=system_user(),
        reason=_figures("still_lagging", laggard, day),
        payload={"automatic": True, "period": week, "figures": figures},
    )
    _notify(assignment, UPDATE_TEMPLATE, f"{directive.origin_key}:update:{week}", figures, governor)
    return Issued(laggard, None, UPDATED, directive)


def _close(standing, track, day, now, governor):
    figures = numbers(standing, day)
    reason = _figures("no_longer_lagging", standing, day)
    closed = complete_system_assignments(
        origin_prefix=regency_prefix(standing.regency),
        at=now,
        reason=reason,
        actor=system_user(),
        payload={"figures": figures},
    )
    if not closed:  # closed meanwhile
        return Issued(standing, None, UNCHANGED, track.directive)
    key = f"{track.directive.origin_key}:closed"
    _notify(track, CLOSED_TEMPLATE, key, figures, governor, with_due=False)
    return Issued(standing, None, CLOSED, track.directive)


def open_tracks(regencies=None):
    """{regency id: its open acceleration assignment} (the latest, should older ones
    from before the one-track rule still be open)."""
    tracks = (
        Assignment.objects.filter(
            directive__origin_key__startswith=PREFIX, directive__state=DirectiveState.ISSUED
        )
        .exclude(state__in=[AssignmentState.VERIFIED, AssignmentState.WITHDRAWN])
        .select_related("directive", "office", "province")
        .order_by("issued_at", "id")
    )
    if regencies is not None:
        tracks = tracks.filter(regency__in=regencies)
    return {a.regency_id: a for a in tracks}


@dataclass(frozen=True)
class Planned:
    laggard: Laggard  # the regency's figures at the date
    outcome: str  # OPENED, UPDATED, UNCHANGED or CLOSED
    track: Assignment | None  # its open acceleration assignment, if any


def plan(at, *, regencies=None):
    """What a run at date `at` would do, regency by regency (by code), writing nothing:
    a laggard without an open track gets one (OPENED; UNCHANGED when its track of that
    week exists already), a laggard whose track opened in an earlier week gets that
    week's update (UPDATED; UNCHANGED once done), an open track whose regency no longer
    lags is closed (CLOSED). Five queries, whatever the number of regencies."""
    standings = find_standings(at, regencies=regencies)
    tracks = open_tracks(regencies)
    week = period(at)
    keys = {origin_key(s.regency, at) for s in standings if s.lagging}
    opened = set(Directive.objects.filter(origin_key__in=keys).values_list("origin_key", flat=True))
    updated = set(
        AssignmentEvent.objects.filter(
            assignment__in=[t.pk for t in tracks.values()], transition=UPDATE, payload__period=week
        ).values_list("assignment_id", flat=True)
    )
    planned = []
    for standing in standings:
        track = tracks.get(standing.regency.pk)
        if not standing.lagging:
            if track is not None:
                planned.append(Planned(standing, CLOSED, track))
            continue
        if track is None:
            done = origin_key(standing.regency, at) in opened
            planned.append(Planned(standing, UNCHANGED if done else OPENED, None))
        else:
            done = track.directive.origin_key.endswith(f":{week}") or track.pk in updated
            planned.append(Planned(standing, UNCHANGED if done else UPDATED, track))
    return planned


def issue_acceleration_directives(*, at=None, now=None):
    """Judge every regency at date `at` (default: today in WIB) and keep each one's track:
    open, update or close it (module docstring; `plan` says what it will do). Returns
    [Issued] by regency code: one per laggard, and one per track closed."""
    now = now or timezone.now()
    day = at or timezone.localdate(now)
    planned = plan(day)
    governors = _governors(p.laggard.regency for p in planned)
    results = []
    for item in planned:
        standing, track = item.laggard, item.track
        governor = governors.get(standing.regency.province_id)
        with transaction.atomic():  # each regency's track, its entries and notices, or nothing
            if item.outcome == CLOSED:
                results.append(_close(standing, track, day, now, governor))
            elif track is None:
                # UNCHANGED too: another run may have closed this week's track meanwhile
                results.append(_open(standing, day, now, governor))
            else:
                results.append(_update(standing, track, day, now, governor))
    return results


def issue_acceleration_directives_now(*, actor, at, now=None):
    """What the weekly task does, asked for by a ministry office (the console's button
    under the laggards): the same tracks, the same once-per-week rule."""
    now = now or timezone.now()
    if not any(o.kind in MINISTRY_KINDS for o in active_offices(actor)):
        raise NotAllowed(Message("ministry_only_acceleration"))
    if at > timezone.localdate(now):
        raise InvalidInput(
            Message("date_in_future", date=at),
            errors={"at": ["future"]},
        )
    return issue_acceleration_directives(at=at, now=now)
