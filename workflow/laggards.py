"""Acceleration directives for the regencies that lag behind the recording target
(compliance.laggards finds them; this issues).

One directive per lagging regency and ISO week, addressed to its regent or mayor, with
the province's governor in copy. Its origin key `acceleration:<code>:<year>-W<week>` is
unique, and the governor's copy is written in the same transaction with its own dedupe
key: running the weekly task twice, or two at once, issues each one once. Both e-mails
carry the numbers (realisation, expected, tolerance, floor, obliged, recorded).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compliance.errors import InvalidInput, NotAllowed
from compliance.laggards import Laggard, find_laggards
from compliance.models import MINISTRY_KINDS, Office, OfficeKind
from compliance.offices import active_offices

from .models import Directive, Notification
from .notifications import outbox
from .system_directives import open_system_directive

TEMPLATE = "acceleration_directive"
LEGAL_BASIS = "UU 24/2013 Pasal 63; UU 23/2014 Pasal 67-68; PP 12/2017 Pasal 38"


def period(day):
    """The ISO week of a date, e.g. 2026-W44: one directive per regency per period."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def origin_key(regency, day):
    return f"acceleration:{regency.code}:{period(day)}"


@dataclass(frozen=True)
class Issued:
    laggard: Laggard
    directive: Directive | None  # None: already issued for this regency and period


def _rounded(value):
    return None if value is None else float(round(value, 2))


def numbers(laggard, day):
    """The figures both e-mails show (JSON-safe)."""
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


def _body(laggard, day):
    name = laggard.regency.name
    return (
        f"Realisasi perekaman KTP-el {name} per {day.isoformat()} adalah "
        f"{laggard.realisation:.1f} % ({laggard.recorded} dari {laggard.obliged} wajib KTP-el), "
        f"sedangkan jalur menuju 100 % pada 31 Desember mengharapkan {laggard.expected:.1f} % "
        f"(toleransi {settings.LAGGARD_TOLERANCE_POINTS:g} poin, batas minimal "
        f"{settings.LAGGARD_FLOOR_PERCENT:g} %). Percepat perekaman: tambah jam layanan, "
        "jemput bola ke sekolah dan desa, dan pastikan perangkat perekaman berfungsi."
    )


def _issue_one(laggard, day, now, governors):
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
        return None
    directive, assignment = opened
    figures = numbers(laggard, day)
    # The fan-out wrote the regent's generic "directive issued" notice; in this same
    # transaction it becomes the acceleration e-mail, with the numbers.
    notice = Notification.objects.get(assignment=assignment, template="directive_issued")
    notice.template, notice.context = TEMPLATE, {**notice.context, **figures}
    notice.save(update_fields=["template", "context"])
    governor = governors.get(regency.province_id)
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
    return directive


def issue_acceleration_directives(*, at=None, now=None):
    """Find the laggards at date `at` (default: today in WIB) and issue each its
    directive for the week of `at`. Returns [Issued], one per laggard."""
    now = now or timezone.now()
    day = at or timezone.localdate(now)
    laggards = find_laggards(day)
    governors = {
        o.province_id: o
        for o in Office.objects.filter(
            kind=OfficeKind.GOVERNOR, province_id__in={lg.regency.province_id for lg in laggards}
        )
    }
    issued = []
    for laggard in laggards:
        with transaction.atomic():  # the directive, its notices and the copy, or nothing
            directive = _issue_one(laggard, day, now, governors)
        issued.append(Issued(laggard, directive))
    return issued


def issue_acceleration_directives_now(*, actor, at, now=None):
    """What the weekly task does, asked for by a ministry office (the console's button
    under the laggards): the same directives, the same once-per-week rule."""
    now = now or timezone.now()
    if not any(o.kind in MINISTRY_KINDS for o in active_offices(actor)):
        raise NotAllowed(
            "Hanya jabatan kementerian yang dapat menerbitkan direktif percepatan / "
            "Only ministry offices may issue acceleration directives"
        )
    if at > timezone.localdate(now):
        raise InvalidInput(
            f"Tanggal {at.isoformat()} belum tiba / the date {at.isoformat()} is in the future",
            errors={"at": ["future"]},
        )
    return issue_acceleration_directives(at=at, now=now)
