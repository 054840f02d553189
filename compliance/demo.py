"""The Jambi demo: the 2017 story of ../shared/reference/jambi-2017-news.txt, replayed at
its dates through the service functions, with one demo user per office kind.

The article (17 October 2017) says Merangin (an HR violation) and Tebo (an
organisational one) had their network to the centre cut for about three months and
were reconnected once they complied, Tebo after its regent fixed the office regulation
and raised the office to type A. It gives no day for any step: the dates below are
chosen (working days in WIB, see docs/lifecycle.md) so that each cut lasts 91 days and
everything is over well before the article.
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
from .models import ComplianceCase, OfficeKind, Regency, RegencyKind, Violation
from .offices import appoint_official
from .selectors import downtime_days, regency_downtime
from .signals import demo_loaded

# Documented in the README: the demo is for a laptop, never for a real database.
DEMO_PASSWORD = "Demo-KTPel-2017"  # noqa: S105
EMAIL_DOMAIN = "demo.example.go.id"
HOLDINGS_START = date(2016, 1, 1)  # every demo official holds office throughout 2017
WIB = ZoneInfo("Asia/Jakarta")
K = OfficeKind


def wib(month, day, hour=10, minute=0):
    return datetime(2017, month, day, hour, minute, tzinfo=WIB)


STORY = {
    "15.02": {
        "flag": wib(3, 6),
        "request_suspension": wib(3, 17),
        "approve_suspension": wib(3, 20),
        "upload_evidence": wib(6, 8),
        "submit_remediation": wib(6, 9),
        "reconnect": wib(6, 19),
    },
    "15.09": {
        "flag": wib(4, 10),
        "request_suspension": wib(4, 21),
        "approve_suspension": wib(4, 25),
        "upload_evidence": wib(7, 13),
        "submit_remediation": wib(7, 14),
        "reconnect": wib(7, 25),
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


def is_loaded():
    return get_user_model().objects.filter(username="menteri").exists() and (
        ComplianceCase.objects.filter(regency__code__in=STORY).exists()
    )


def blocking_data():
    """Why the demo cannot be loaded here (other compliance data or users), or None."""
    if ComplianceCase.objects.exists():
        return "the database already holds compliance cases"
    taken = get_user_model().objects.filter(username__in=[s.username for s in demo_seats()])
    if taken.exists():
        return f"users already exist: {', '.join(taken.values_list('username', flat=True))}"
    return None


@dataclass
class DemoResult:
    users: list  # (username, office title)
    downtime_days: dict  # regency code: days


@transaction.atomic
def load_demo(*, password=DEMO_PASSWORD):
    if Regency.objects.filter(code__in=STORY).count() != len(STORY):
        raise LookupError("regions are not loaded (python manage.py load_regions)")
    users, table = {}, []
    hashed = make_password(password)  # once: hashing is slow on purpose
    for seat in demo_seats():
        user, office, _ = appoint_official(
            username=seat.username,
            kind=seat.kind,
            region_code=seat.region,
            email=f"{seat.username}@{EMAIL_DOMAIN}",
            starts_on=HOLDINGS_START,
        )
        user.password = hashed
        user.save(update_fields=["password"])
        users[seat.username] = user
        table.append((seat.username, office.title))
    # The Minister's demo account also opens the admin (/admin/), so that a new user can
    # browse the regions and the story at once; its actions there act as the Minister.
    get_user_model().objects.filter(username="menteri").update(is_staff=True, is_superuser=True)
    _story(users)
    _practice_case(users)
    load_recording_reports()
    demo_loaded.send(sender=load_demo, users=users, at=timezone.now())
    merangin, tebo = (Regency.objects.get(code=c) for c in STORY)
    downtime = {r.code: downtime_days(regency_downtime(r)) for r in (merangin, tebo)}
    return DemoResult(users=table, downtime_days=downtime)


# --- the story ----------------------------------------------------------------------

MERANGIN_VIOLATION = {
    "kind": "hr",
    "description": (
        "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin diangkat dan "
        "pejabat sebelumnya dipindahkan tanpa persetujuan Menteri Dalam Negeri; usul tiga "
        "nama melalui Gubernur Jambi tidak ditempuh."
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


def _story(u):
    merangin, tebo = Regency.objects.get(code="15.02"), Regency.objects.get(code="15.09")
    m, t = STORY["15.02"], STORY["15.09"]
    _flag_and_suspend(merangin, MERANGIN_VIOLATION, u["petugas1"], u["direktur1"], m)
    _flag_and_suspend(tebo, TEBO_VIOLATION, u["petugas2"], u["direktur2"], t)
    _remediate(
        merangin,
        u["bupati.merangin"],
        [
            (
                u["kadisdukcapil.merangin"],
                "sk-bupati-merangin-kadis-dukcapil.pdf",
                "Keputusan Bupati Merangin: pengangkatan Kepala Dinas Dukcapil setelah "
                "persetujuan Menteri Dalam Negeri atas usul tiga nama melalui Gubernur Jambi",
            )
        ],
        "Pengangkatan yang menyalahi aturan dibatalkan; Kepala Dinas Dukcapil diangkat "
        "kembali sesuai UU 24/2013 Pasal 83A dengan persetujuan Menteri.",
        m,
    )
    services.reconnect_regency(
        regency=merangin,
        actor=u["direktur1"],
        reason="Perbaikan diterima: pengangkatan pejabat Dukcapil telah sesuai ketentuan.",
        at=m["reconnect"],
    )
    _remediate(
        tebo,
        u["bupati.tebo"],
        [
            (
                u["bupati.tebo"],
                "perbup-tebo-sotk-dukcapil.pdf",
                "Peraturan Bupati Tebo (perubahan) tentang susunan organisasi dan tata kerja "
                "Dinas Kependudukan dan Pencatatan Sipil",
            ),
            (
                u["kadisdukcapil.tebo"],
                "penetapan-tipe-a-dinas-dukcapil-tebo.pdf",
                "Penetapan Dinas Kependudukan dan Pencatatan Sipil Kabupaten Tebo sebagai "
                "dinas tipe A",
            ),
        ],
        "Peraturan bupati tentang perangkat daerah telah diperbaiki dan Dinas Dukcapil "
        "Kabupaten Tebo dinaikkan menjadi tipe A sesuai PP 18/2016.",
        t,
    )
    _sweep(m["reconnect"], expected="15.02")
    services.reconnect_regency(
        regency=tebo,
        actor=u["direktur2"],
        reason="Perbaikan diterima: struktur dan tipe Dinas Dukcapil telah sesuai.",
        at=t["reconnect"],
    )
    _sweep(t["reconnect"], expected="15.09")


# --- today: a practice case for the pages ---------------------------------------------

PRACTICE_REGENCY = "15.01"  # Kabupaten Kerinci
PRACTICE_VIOLATION = {
    "kind": "hr",
    "description": (
        "[Kasus latihan / practice case] Kepala Dinas Kependudukan dan Pencatatan Sipil "
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
    services.approve_suspension(
        request=request,
        actor=director,
        reason="Disetujui: akses SIAK diputus sampai perbaikan diterima.",
        at=when["approve_suspension"],
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
