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
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import services
from .models import (
    ComplianceCase,
    OfficeHolding,
    OfficeKind,
    Regency,
    RegencyKind,
    Violation,
)
from .offices import appoint_official
from .selectors import downtime_days, regency_downtime
from .signals import demo_loaded, demo_past_loaded

# Documented in the README: the demo is for a laptop, never for a real database.
DEMO_PASSWORD = "Demo-KTPel-2017"  # noqa: S105
EMAIL_DOMAIN = "demo.example.go.id"
HOLDINGS_START = date(2016, 1, 1)  # the demo's first day: every seat has a holder from here
WIB = ZoneInfo("Asia/Jakarta")
K = OfficeKind


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

NATIONAL_SEATS = [
    ("menteri", K.MINISTER),
    ("dirjen", K.DIRECTOR_GENERAL),
    ("petugas1", K.MINISTRY_OFFICER),
    ("petugas2", K.MINISTRY_OFFICER),
    ("direktur1", K.MINISTRY_DIRECTOR),
    ("direktur2", K.MINISTRY_DIRECTOR),
    ("auditor", K.AUDITOR),
    # The Directorate General's network operations, who carry out access orders.
    ("operator.jaringan", K.NETWORK_OPERATOR),
]


@dataclass(frozen=True)
class Seat:
    username: str
    kind: str
    region: str | None = None


def demo_seats():
    """The demo users, one or more per office kind: the ministry, the governor and the
    provincial Dukcapil head of Jambi, every regent and mayor of Jambi, the Dukcapil heads
    of Merangin and Tebo, an auditor."""
    seats = [Seat(username, kind) for username, kind in NATIONAL_SEATS]
    seats.append(Seat("gubernur.jambi", K.GOVERNOR, "15"))
    # The article's speaker: the head of Jambi's provincial Dukcapil office.
    seats.append(Seat("kadisdukcapil.jambi", K.PROVINCIAL_DUKCAPIL_HEAD, "15"))
    for r in Regency.objects.filter(province__code="15").order_by("code"):
        kota = r.kind == RegencyKind.KOTA
        prefix, kind = ("walikota", K.MAYOR) if kota else ("bupati", K.REGENT)
        name = r.name.removeprefix("Kota " if kota else "Kabupaten ")
        seats.append(Seat(f"{prefix}.{slugify(name).replace('-', '')}", kind, r.code))
    seats.append(Seat("kadisdukcapil.merangin", K.REGENCY_DUKCAPIL_HEAD, "15.02"))
    seats.append(Seat("kadisdukcapil.tebo", K.REGENCY_DUKCAPIL_HEAD, "15.09"))
    return seats


# --- who held each seat, 2016 to today ------------------------------------------------

# The article's provincial office (the demo's title for the seat of its head).
PROVINCIAL_OFFICE_TITLE = "Kepala Dinas Sosial, Kependudukan dan Pencatatan Sipil Provinsi Jambi"
# Merangin's Dukcapil head: the regent moved the head without the Minister (the HR
# violation); the Minister's decision appointed the new one (UU 24/2013 Pasal 83A), who
# uploads it as evidence. The head the regent installed meanwhile was never recognised
# by the ministry: no holding. Both dates are invented.
MERANGIN_HEAD_MOVED = date(2017, 2, 13)
MERANGIN_HEAD_APPOINTED = date(2017, 6, 5)
ELECTED_2024_TAKE_OFFICE = date(2025, 2, 20)  # every head elected on 27 November 2024


@dataclass(frozen=True)
class Term:
    """An earlier holder of a demo user's seat: a user who cannot sign in."""

    username: str
    name: str  # invented unless named_in_article
    starts_on: date
    ends_on: date
    acting: bool = False  # a Pj. (acting head) between two elected ones
    named_in_article: bool = False


# Regional election waves (pilkada serentak): the terms of a seat whose head was elected
# in December 2015, February 2017 or June 2018 (each with its successor elected in 2020,
# or an acting head from the end of the term until the heads elected in 2024 took
# office). The first holder is in office from the demo's first day. Which wave a seat
# belongs to follows the national schedule; the days are the demo's.
ELECTED_2015 = [
    (HOLDINGS_START, date(2021, 2, 25), False),
    (date(2021, 2, 26), date(2025, 2, 19), False),
]
ELECTED_2017 = [
    (HOLDINGS_START, date(2017, 5, 21), False),
    (date(2017, 5, 22), date(2022, 5, 22), False),
    (date(2022, 5, 23), date(2025, 2, 19), True),
]
ELECTED_2018 = [
    (HOLDINGS_START, date(2018, 9, 23), False),
    (date(2018, 9, 24), date(2023, 9, 24), False),
    (date(2023, 9, 25), date(2025, 2, 19), True),
]


def _wave(seat, wave, *names):
    return [
        Term(f"{seat}.{start.year}", name, start, end, acting)
        for (start, end, acting), name in zip(wave, names, strict=True)
    ]


# Today's demo user: (the earlier holders of his seat, the day he took it). Seats not
# listed are held by their demo user from HOLDINGS_START. Every name is invented but the
# two the article gives (the Minister, Tjahjo Kumolo; the head of the provincial office,
# Arief Munandar); so are the days, but the Minister's (his cabinet's term ended on 20
# October 2019) and the national inauguration of the heads elected in 2024.
SEAT_HISTORY = {
    "menteri": (
        [
            Term(
                "menteri.2016",
                "Tjahjo Kumolo",
                HOLDINGS_START,
                date(2019, 10, 20),
                named_in_article=True,
            )
        ],
        date(2019, 10, 23),
    ),
    "gubernur.jambi": (
        [
            Term(
                "gubernur.jambi.2016",
                "H. Rizal Effendi Syahputra",
                HOLDINGS_START,
                date(2021, 2, 12),
            ),
            Term(
                "gubernur.jambi.2021",
                "Dr. Hendra Kusumajaya, M.Si.",
                date(2021, 2, 13),
                date(2021, 7, 6),
                acting=True,
            ),
        ],
        date(2021, 7, 7),  # elected in 2020; re-elected in 2024, the same holding
    ),
    "kadisdukcapil.jambi": (
        [
            Term(
                "kadisdukcapil.jambi.2016",
                "Arief Munandar",
                HOLDINGS_START,
                date(2020, 12, 31),
                named_in_article=True,
            )
        ],
        date(2021, 1, 1),
    ),
    "kadisdukcapil.merangin": (
        [
            Term(
                "kadisdukcapil.merangin.2016",
                "Drs. Syafrudin Lubis",
                HOLDINGS_START,
                MERANGIN_HEAD_MOVED,
            )
        ],
        MERANGIN_HEAD_APPOINTED,
    ),
    "bupati.kerinci": (
        _wave(
            "bupati.kerinci",
            ELECTED_2018,
            "H. Amirul Mukminin",
            "Drs. Jufri Hasibuan",
            "Dr. Ramlan Saputra, M.Si.",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.merangin": (
        _wave(
            "bupati.merangin",
            ELECTED_2018,
            "H. Nasrullah Hamzah",
            "H. Firdaus Alamsyah",
            "Drs. Eko Wahyudi, M.Si.",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.sarolangun": (
        _wave(
            "bupati.sarolangun",
            ELECTED_2017,
            "H. Bakhtiar Ilyas",
            "H. Marzuki Abdullah",
            "Dr. Taufik Hidayatullah, M.Si.",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.batanghari": (
        _wave("bupati.batanghari", ELECTED_2015, "H. Syahrial Kadir", "Hj. Nurhasanah Rahman"),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.muarojambi": (
        _wave(
            "bupati.muarojambi",
            ELECTED_2017,
            "H. Mukhlis Ramadhan",
            "Hj. Fitriani Zulkarnain",
            "Drs. Agus Salim Harahap",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.tanjungjabungbarat": (
        _wave("bupati.tanjungjabungbarat", ELECTED_2015, "H. Zulfikar Ahmad", "H. Irwansyah Daud"),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.tanjungjabungtimur": (
        _wave("bupati.tanjungjabungtimur", ELECTED_2015, "H. Rusdi Ismail", "Dr. Herman Sulaiman"),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.bungo": (
        _wave("bupati.bungo", ELECTED_2015, "H. Yusran Mahdi", "H. Ahmad Junaidi"),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "bupati.tebo": (
        _wave(
            "bupati.tebo",
            ELECTED_2017,
            "H. Sofyan Hadi",
            "H. Darmawan Yusuf",
            "Drs. Bambang Sutrisno, M.M.",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "walikota.jambi": (
        _wave(
            "walikota.jambi",
            ELECTED_2018,
            "H. Ridwan Saleh",
            "Dr. Faisal Akbar",
            "Drs. Syarifuddin Nur, M.Si.",
        ),
        ELECTED_2024_TAKE_OFFICE,
    ),
    "walikota.sungaipenuh": (
        _wave("walikota.sungaipenuh", ELECTED_2015, "H. Asril Dahlan", "H. Alfian Mardi"),
        ELECTED_2024_TAKE_OFFICE,
    ),
}


def took_office(username):
    """The day today's demo user took his seat."""
    return SEAT_HISTORY[username][1] if username in SEAT_HISTORY else HOLDINGS_START


def earlier_terms():
    return [term for terms, _ in SEAT_HISTORY.values() for term in terms]


def holder_finder(users):
    """holder(username, when): the user who held the seat of today's demo user
    `username` on that day (a date or an aware datetime, read in WIB)."""

    def holder(username, when):
        day = when.astimezone(WIB).date() if isinstance(when, datetime) else when
        for term in SEAT_HISTORY.get(username, ([], None))[0]:
            if term.starts_on <= day <= term.ends_on:
                return users[term.username]
        if day >= took_office(username):
            return users[username]
        raise LookupError(f"the demo has no holder of {username}'s seat on {day}")

    return holder


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


# --- recording reports ----------------------------------------------------------------

# The article: Sarolangun and Merangin near 60 % of their residents recorded in October
# 2017, the other regencies near the provincial average. Recorded shares on 1 January and
# in mid-October (day 287) per regency; each district varies by up to two points.
RECORDING_SHARES = {"15.02": (0.50, 0.60), "15.03": (0.49, 0.59)}
OTHER_SHARES = (0.78, 0.89)
RECORDING_DAYS = (1, 10, 20)  # reports on these days of every month of 2017


def recording_report_rows():
    """Jambi's districts through 2017 as (code, date, obliged, recorded, printed)."""
    from .models import District
    from .recording_generator import curve

    start, october = date(2017, 1, 1), date(2017, 10, 15)
    curves = [
        (code, curve(code, 2017, share=share, target=target, target_days=(october - start).days))
        for code, regency in District.objects.filter(regency__province__code="15")
        .order_by("code")
        .values_list("code", "regency__code")
        for share, target in [RECORDING_SHARES.get(regency, OTHER_SHARES)]
    ]
    for month in range(1, 13):
        for day in RECORDING_DAYS:
            when = date(2017, month, day)
            yield from ((code, when, *c.at((when - start).days)) for code, c in curves)


def load_recording_reports():
    """Through the importer, as a ministry officer's upload would be."""
    import io

    from .recording_generator import write_csv
    from .recording_import import import_file

    text = io.StringIO()
    write_csv(recording_report_rows(), text)
    result = import_file(io.BytesIO(text.getvalue().encode()), fmt="csv")
    if not result.ok:
        raise RuntimeError(f"demo recording reports refused: {result.errors[:3]}")
    return result.rows_written


# --- a small, valid PDF -------------------------------------------------------------


def _pdf_text(text):
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def evidence_pdf(title, regency):
    """A one-page PDF 1.4 naming the document: enough to be checked by content and opened."""
    lines = [
        "DOKUMEN BUKTI (DEMO) / EVIDENCE (DEMO)",
        str(regency),
        *_wrap(title, 80),
        "Dokumen contoh untuk demonstrasi; bukan dokumen resmi.",
    ]
    ops = ["BT", "/F1 11 Tf", "14 TL", "56 780 Td"]
    for line in lines:
        ops.append(f"({_pdf_text(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _wrap(text, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
