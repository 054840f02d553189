"""The demo's seats: the demo users, one per office they hold today, and who held each
seat before them, from the demo's first day (HOLDINGS_START) on."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from .models import (
    OfficeKind,
    Regency,
    RegencyKind,
)

HOLDINGS_START = date(2016, 1, 1)  # the demo's first day: every seat has a holder from here
WIB = ZoneInfo("Asia/Jakarta")
K = OfficeKind


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
