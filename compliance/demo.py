"""The Jambi demo: the 2017 story of ../shared/reference/jambi-2017-news.txt, replayed at
its dates through the service functions, with one demo user per office kind holding it
today and, for the seats that changed hands since 2016, the earlier holders who acted then.

The article (17 October 2017) says Merangin (an HR violation) and Tebo (an
organisational one) had their network to the centre cut for about three months and
were reconnected once they complied, Tebo after its regent fixed the office regulation
and raised the office to type A. It gives no day for any step: the dates below are
chosen (working days in WIB, see docs/lifecycle.md) so that each cut lasts 91 days and
everything is over well before the article. What the demo invents is listed in
docs/lifecycle.md ("What the demo invents").
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import services
from .demo_pdf import evidence_pdf
from .demo_recording import load_recording_reports
from .demo_seats import (
    HOLDINGS_START,
    MERANGIN_HEAD_APPOINTED,
    MERANGIN_HEAD_MOVED,
    PROVINCIAL_OFFICE_TITLE,
    SEAT_HISTORY,
    WIB,
    demo_seats,
    earlier_terms,
    holder_finder,
    took_office,
)
from .models import (
    ComplianceCase,
    OfficeHolding,
    Regency,
    Violation,
)
from .offices import appoint_official
from .selectors import downtime_days, regency_downtime
from .signals import demo_loaded, demo_past_loaded

# Named here too: seed_demo, the other apps' demos and the tests know them as the demo's.
__all__ = [
    "DEMO_PASSWORD",
    "HOLDINGS_START",
    "MERANGIN_HEAD_APPOINTED",
    "MERANGIN_HEAD_MOVED",
    "STORY",
    "demo_seats",
    "evidence_pdf",
    "load_demo",
    "load_recording_reports",
    "took_office",
    "wib",
]

# Documented in the README: the demo is for a laptop, never for a real database.
DEMO_PASSWORD = "Demo-KTPel-2017"  # noqa: S105
EMAIL_DOMAIN = "demo.example.go.id"


def wib(month, day, hour=10, minute=0):
    return datetime(2017, month, day, hour, minute, tzinfo=WIB)


STORY = {
    "15.02": {
        "flag": wib(3, 6),
        "request_suspension": wib(3, 17),
        "approve_suspension": wib(3, 20),
        "cut": wib(3, 20, 14),  # the network operators carry the order out that afternoon
        "upload_evidence": wib(6, 8),
        "submit_remediation": wib(6, 9),
        "reconnect": wib(6, 19),
        "restore": wib(6, 19, 14),
    },
    "15.09": {
        "flag": wib(4, 10),
        "request_suspension": wib(4, 21),
        "approve_suspension": wib(4, 25),
        "cut": wib(4, 25, 15),
        "upload_evidence": wib(7, 13),
        "submit_remediation": wib(7, 14),
        "reconnect": wib(7, 25),
        "restore": wib(7, 25, 15),
    },
}


def is_loaded():
    return get_user_model().objects.filter(username="menteri").exists() and (
        ComplianceCase.objects.filter(regency__code__in=STORY).exists()
    )


def blocking_data():
    """Why the demo cannot be loaded here (other compliance data or users), or None."""
    if ComplianceCase.objects.exists():
        return "the database already holds compliance cases"
    names = [s.username for s in demo_seats()] + [t.username for t in earlier_terms()]
    taken = get_user_model().objects.filter(username__in=names)
    if taken.exists():
        return f"users already exist: {', '.join(taken.values_list('username', flat=True))}"
    return None


@dataclass
class DemoResult:
    users: list  # (username, office title)
    downtime_days: dict  # regency code: days


@transaction.atomic
def load_demo(*, password=DEMO_PASSWORD):
    """The past first, while each seat is held by its holder of the time (the services
    check authority against the offices held now): the story of 2017 here, the rest of
    it in the other apps (demo_past_loaded); then the later holders take their seats,
    and today's work is added (demo_loaded)."""
    if Regency.objects.filter(code__in=STORY).count() != len(STORY):
        raise LookupError("regions are not loaded (python manage.py load_regions)")
    users, table, offices = {}, [], {}
    hashed = make_password(password)  # once: hashing is slow on purpose
    today = timezone.localdate()
    for seat in demo_seats():
        user, office, _ = appoint_official(
            username=seat.username,
            kind=seat.kind,
            region_code=seat.region,
            email=f"{seat.username}@{EMAIL_DOMAIN}",
            starts_on=min(took_office(seat.username), today),
        )
        if seat.username == "kadisdukcapil.jambi":
            office.title = PROVINCIAL_OFFICE_TITLE
            office.save(update_fields=["title"])
        user.password = hashed
        user.save(update_fields=["password"])
        users[seat.username], offices[seat.username] = user, office
        table.append((seat.username, office.title))
    # The Minister's demo account also opens the admin (/admin/), so that a new user can
    # browse the regions and the story at once; its actions there act as the Minister.
    get_user_model().objects.filter(username="menteri").update(is_staff=True, is_superuser=True)
    earlier, terms = _earlier_holders(offices)
    everyone = {**users, **earlier}
    holder = holder_finder(everyone)
    _story(users, holder)
    load_recording_reports()
    demo_past_loaded.send(sender=load_demo, users=everyone, holder=holder)
    _hand_over(terms, today)
    _practice_case(users)
    demo_loaded.send(sender=load_demo, users=users, at=timezone.now())
    merangin, tebo = (Regency.objects.get(code=c) for c in STORY)
    downtime = {r.code: downtime_days(regency_downtime(r)) for r in (merangin, tebo)}
    return DemoResult(users=table, downtime_days=downtime)


def _earlier_holders(offices):
    """The earlier holders, as users who cannot sign in, each holding his seat from his
    first day and, until _hand_over, without an end (so that he may act in the story)."""
    User = get_user_model()
    terms = [(seat, term) for seat, (history, _) in SEAT_HISTORY.items() for term in history]
    created = User.objects.bulk_create(
        [
            User(
                username=term.username,
                first_name=term.name,
                is_active=False,
                password=make_password(None),
            )
            for _, term in terms
        ]
    )
    holdings = OfficeHolding.objects.bulk_create(
        [
            OfficeHolding(
                office=offices[seat], user=user, acting=term.acting, starts_on=term.starts_on
            )
            for (seat, term), user in zip(terms, created, strict=True)
        ]
    )
    users = {user.username: user for user in created}
    return users, list(zip(holdings, (term for _, term in terms), strict=True))


def _hand_over(terms, today):
    """Each earlier holder's term ends (the day before today at the latest, should the
    clock say a day before the demo's later elections)."""
    for holding, term in terms:
        holding.ends_on = max(holding.starts_on, min(term.ends_on, today - timedelta(days=1)))
    OfficeHolding.objects.bulk_update([h for h, _ in terms], ["ends_on"])


# --- the story ----------------------------------------------------------------------

MERANGIN_VIOLATION = {
    "kind": "hr",
    "description": (
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin diangkat oleh "
        "Bupati dan pejabat sebelumnya dipindahkan, padahal pejabat tersebut diangkat dan "
        "diberhentikan oleh Menteri Dalam Negeri atas usul bupati melalui Gubernur Jambi; "
        "usul tiga nama melalui Gubernur Jambi tidak ditempuh."
    ),
    "legal_basis": "UU 24/2013 Pasal 83A; Permendagri 76/2015",
}
TEBO_VIOLATION = {
    "kind": "organisational",
    "description": (
        "Peraturan Bupati Tebo tentang kedudukan, susunan organisasi dan tata kerja Dinas "
        "Kependudukan dan Pencatatan Sipil tidak sesuai ketentuan: struktur dan tipe dinas "
        "tidak mengikuti beban kerja sebagaimana diatur PP 18/2016."
    ),
    "legal_basis": "PP 18/2016 tentang Perangkat Daerah",
}
REQUEST_REASON = (
    "Surat peringatan Direktur Jenderal Dukcapil dengan tenggat 10 hari tidak "
    "ditindaklanjuti; hak akses SIAK diusulkan diputus sampai pelanggaran diperbaiki."
)


# Merangin's evidence: the Minister's decision appointing the new head (an illustration;
# its number and date are not known).
MERANGIN_EVIDENCE = (
    "kepmendagri-pengangkatan-kadis-dukcapil-merangin.pdf",
    "Keputusan Menteri Dalam Negeri tentang pengangkatan Kepala Dinas Kependudukan dan "
    "Pencatatan Sipil Kabupaten Merangin, atas usul Bupati Merangin (tiga nama) melalui "
    "Gubernur Jambi",
)


def _story(u, holder):
    """Replayed by the holders of 2017: the regents of Merangin and Tebo then (Tebo's
    took office in May 2017, after its election), the Dukcapil heads."""
    merangin, tebo = Regency.objects.get(code="15.02"), Regency.objects.get(code="15.09")
    m, t = STORY["15.02"], STORY["15.09"]
    cut = _flag_and_suspend(merangin, MERANGIN_VIOLATION, u["petugas1"], u["direktur1"], m)
    _carry_out(cut, u, m["cut"])
    cut = _flag_and_suspend(tebo, TEBO_VIOLATION, u["petugas2"], u["direktur2"], t)
    _carry_out(cut, u, t["cut"])
    _remediate(
        merangin,
        holder("bupati.merangin", m["submit_remediation"]),
        [(holder("kadisdukcapil.merangin", m["upload_evidence"]), *MERANGIN_EVIDENCE)],
        "Pengangkatan oleh Bupati yang menyalahi aturan dibatalkan; Kepala Dinas Dukcapil "
        "Kabupaten Merangin diangkat dengan Keputusan Menteri Dalam Negeri atas usul tiga "
        "nama melalui Gubernur Jambi, sesuai UU 24/2013 Pasal 83A.",
        m,
    )
    order = services.reconnect_regency(
        regency=merangin,
        actor=u["direktur1"],
        reason=(
            "Perbaikan diterima: Kepala Dinas Dukcapil diangkat dengan Keputusan Menteri "
            "Dalam Negeri sesuai ketentuan."
        ),
        at=m["reconnect"],
    )
    _carry_out(order, u, m["restore"])
    _remediate(
        tebo,
        holder("bupati.tebo", t["submit_remediation"]),
        [
            (
                holder("bupati.tebo", t["upload_evidence"]),
                "perbup-tebo-sotk-dukcapil.pdf",
                "Peraturan Bupati Tebo (perubahan) tentang susunan organisasi dan tata kerja "
                "Dinas Kependudukan dan Pencatatan Sipil",
            ),
            (
                holder("kadisdukcapil.tebo", t["upload_evidence"]),
                "penetapan-tipe-a-dinas-dukcapil-tebo.pdf",
                "Penetapan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tebo sebagai "
                "dinas tipe A",
            ),
        ],
        "Peraturan bupati tentang perangkat daerah telah diperbaiki dan Dinas Dukcapil "
        "Kabupaten Tebo dinaikkan menjadi tipe A sesuai PP 18/2016.",
        t,
    )
    _sweep(m["restore"], expected="15.02")
    order = services.reconnect_regency(
        regency=tebo,
        actor=u["direktur2"],
        reason="Perbaikan diterima: struktur dan tipe Dinas Dukcapil telah sesuai.",
        at=t["reconnect"],
    )
    _carry_out(order, u, t["restore"])
    _sweep(t["restore"], expected="15.09")


# --- today: a practice case for the pages ---------------------------------------------

PRACTICE_REGENCY = "15.01"  # Kabupaten Kerinci
PRACTICE_VIOLATION = {
    "kind": "hr",
    "description": (
        "[Kasus latihan] Kepala Dinas Kependudukan dan Pencatatan Sipil "
        "Kabupaten Kerinci dipindahkan tanpa persetujuan Menteri Dalam Negeri."
    ),
    "legal_basis": "UU 24/2013 Pasal 83A; Permendagri 76/2015",
}


def _practice_case(u):
    """Work waiting for each group today, so that the demo users have something to do in
    the pages: Kerinci flagged an hour ago by petugas1, who also asked for the suspension;
    direktur1 (or direktur2) decides it; bupati.kerinci gets the remediation assignment
    (opened by workflow when the flag commits) and submits the remediation."""
    kerinci = Regency.objects.get(code=PRACTICE_REGENCY)
    now = timezone.now()
    services.flag_regency(
        regency=kerinci, actor=u["petugas1"], at=now - timedelta(hours=1), **PRACTICE_VIOLATION
    )
    services.request_suspension(
        regency=kerinci, actor=u["petugas1"], reason=REQUEST_REASON, at=now - timedelta(minutes=30)
    )


def _flag_and_suspend(regency, violation, officer, director, when):
    services.flag_regency(regency=regency, actor=officer, at=when["flag"], **violation)
    request = services.request_suspension(
        regency=regency, actor=officer, reason=REQUEST_REASON, at=when["request_suspension"]
    )
    order = services.approve_suspension(
        request=request,
        actor=director,
        reason="Disetujui: akses SIAK diputus sampai perbaikan diterima.",
        at=when["approve_suspension"],
    )
    return order


def _carry_out(order, u, at):
    """The network operators confirm the order that afternoon, with their change number:
    the suspension period runs from the confirmed cut to the confirmed restoration."""
    services.execute_access_order(
        order=order,
        actor=u["operator.jaringan"],
        at=at,
        reference=f"CHG-{at:%Y%m%d}-{order.regency.code.replace('.', '')}",
    )


def _remediate(regency, submitter, uploads, statement, when):
    docs = [
        services.upload_evidence(
            regency=regency,
            actor=uploader,
            file=ContentFile(evidence_pdf(title, regency), name=filename),
            description=title,
            at=when["upload_evidence"],
        )
        for uploader, filename, title in uploads
    ]
    statements = [
        {"violation": v.pk, "statement": statement, "evidence": [d.pk for d in docs]}
        for v in Violation.objects.filter(case__regency=regency, remediated_at__isnull=True)
    ]
    services.submit_remediation(
        regency=regency, actor=submitter, statements=statements, at=when["submit_remediation"]
    )


def probation_sweep_at(reconnected_at):
    """The first run of the daily probation sweep (00:05 WIB, settings.CELERY_BEAT_SCHEDULE)
    at or after the end of probation."""
    end = services.probation_ends(reconnected_at).astimezone(WIB)
    sweep = end.replace(hour=0, minute=5, second=0, microsecond=0)
    return sweep if sweep >= end else sweep + timedelta(days=1)


def _sweep(reconnected_at, *, expected):
    """What the daily task did that night: clear after probation, no actor."""
    at = probation_sweep_at(reconnected_at)
    cleared = services.clear_after_probation(now=at)
    if cleared != [expected]:
        raise RuntimeError(f"probation sweep at {at} cleared {cleared}, expected {expected}")
