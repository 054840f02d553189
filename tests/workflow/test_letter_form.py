"""Written warnings in official form (tata naskah dinas, Permendagri 1/2023): the
signatory's own letterhead, the city of his seat on the place line, nomor, sifat,
lampiran, hal, the addressee, the legal bases in full, a window counted from the date of
the letter, the copies; and no letter is ever dated on a non-working day."""

import csv
import datetime as dt
import io
import shutil
import subprocess
import zoneinfo

import pytest
from rest_framework.test import APIClient

from compliance import instruments
from compliance.models import Office, OfficeKind, Province
from tests.conftest import missing_service
from tests.factories import PSN, official
from tests.workflow.proposal_helpers import sign_all, signatory_user
from workflow import letters, seats, services
from workflow.escalation import sweep
from workflow.models import Letter, LetterCounter, Notification, ProposalState, SanctionProposal

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
ISSUED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WIB)  # Monday
DUE = dt.date(2026, 11, 20)  # Friday
# Five working days after the due day end on Saturday 28th: Monday, when offices open.
WARNING_1 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=WITA)
SIGNED = dt.datetime(2026, 11, 30, 10, 0, tzinfo=WITA)
BASIS = "UU 24/2013 Pasal 63; PP 12/2017 Pasal 38"


def issue(regions):
    officer = official("ministry_officer")
    directive = services.create_directive(
        actor=officer,
        title="Percepatan perekaman KTP-el",
        body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
        legal_basis=BASIS,
        due_date=DUE,
        scope={"regions": regions},
        **PSN,
    )
    services.issue_directive(directive=directive, actor=officer, at=ISSUED)


def text_of(letter, tmp_path):
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "letter.pdf"
    path.write_bytes(letters.pdf_for(letter))
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


@pytest.fixture
def governors_letter(db, private_media):
    issue(["63.01"])  # Kabupaten Tanah Laut, Kalimantan Selatan (WITA), seat Banjarbaru
    sweep(now=WARNING_1)
    [letter] = sign_all(SIGNED)
    return letter


@pytest.fixture
def ministers_letter(db, private_media):
    issue(["15"])  # the governor of Jambi himself: the Minister warns him
    sweep(now=dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB))
    [letter] = sign_all(dt.datetime(2026, 11, 30, 10, 0, tzinfo=WIB))
    return letter


def test_the_governors_letter_has_his_letterhead_and_his_seat_on_the_place_line(
    governors_letter, tmp_path
):
    text = text_of(governors_letter, tmp_path)
    assert text.startswith("GUBERNUR KALIMANTAN SELATAN Banjarbaru, 30 November 2026")
    assert "Kalimantan Selatan, 30 November" not in text  # the seat, not the province
    assert "KEMENTERIAN" not in text and "DIREKTORAT" not in text
    assert f"Nomor : {governors_letter.number} Sifat : Penting Lampiran : - " in text
    assert "Hal : Teguran Tertulis I" in text
    assert "Yth. Bupati Tanah Laut di Tempat" in text
    assert "Gubernur Kalimantan Selatan selaku wakil Pemerintah Pusat" in text


def test_the_ministers_letter_is_his_own_not_the_directorates(ministers_letter, tmp_path):
    text = text_of(ministers_letter, tmp_path)
    assert text.startswith("MENTERI DALAM NEGERI REPUBLIK INDONESIA Jakarta, 30 November 2026")
    assert "DIREKTORAT JENDERAL" not in text and "Pasar Minggu" not in text
    assert "Yth. Gubernur Jambi di Jambi" in text  # a governor at his own seat
    assert "MENTERI DALAM NEGERI," in text  # the signature block


def test_the_legal_bases_are_cited_in_full_each_once(governors_letter, tmp_path):
    text = text_of(governors_letter, tmp_path)
    assert (
        "Pasal 67 dan Pasal 68 Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah "
        "sebagaimana telah beberapa kali diubah terakhir dengan Undang-Undang Nomor 6 Tahun "
        "2023" in text
    )
    assert (
        "Pasal 63 Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan "
        "sebagaimana telah diubah dengan Undang-Undang Nomor 24 Tahun 2013" in text
    )
    # The ladder's basis and the directive's both cite PP 12/2017 Pasal 38: once.
    assert text.count("Peraturan Pemerintah Nomor 12 Tahun 2017 tentang Pembinaan") == 1
    assert "UU 23/2014" not in text and "PP 12/2017" not in text


def test_the_window_runs_from_the_date_of_the_letter_and_the_copies_are_listed(
    governors_letter, tmp_path
):
    text = text_of(governors_letter, tmp_path)
    assert "14 (empat belas) hari sejak tanggal surat ini" in text
    assert "diterima" not in text  # not from receipt: nobody can know when that was
    assert (
        "Tembusan: 1. Menteri Dalam Negeri; 2. Direktur Jenderal Kependudukan dan "
        "Pencatatan Sipil Kementerian Dalam Negeri." in text
    )


def test_a_short_citation_is_spelled_out_and_an_unknown_one_kept_as_written():
    assert instruments.cite("PP 12/2017 Pasal 36-38").startswith(
        "Pasal 36 sampai dengan Pasal 38 Peraturan Pemerintah Nomor 12 Tahun 2017 tentang"
    )
    assert instruments.cite("UU 23/2006") == instruments.ADMINDUK  # no article: the law
    assert instruments.cite("Permendagri 76/2015") == "Permendagri 76/2015"
    assert instruments.cite_all("UU 23/2006; UU 24/2013", " ; ") == [instruments.ADMINDUK]


@pytest.mark.django_db
def test_every_province_has_a_seat_and_the_minister_sits_in_jakarta():
    codes = set(Province.objects.values_list("code", flat=True))
    assert len(codes) == 38 and set(seats.seats()) == codes
    by_code = {o.province.code: o for o in Office.objects.filter(kind=OfficeKind.GOVERNOR)}
    assert seats.seat_of(by_code["63"]) == "Banjarbaru"
    assert seats.seat_of(by_code["95"]) == "Wamena"  # Papua Pegunungan, in Jayawijaya
    assert seats.seat_of(letters.minister_office()) == "Jakarta"
    with seats.SEATS_FILE.open(encoding="utf-8") as f:
        assert all(row["source"] for row in csv.DictReader(f))


@pytest.mark.django_db
def test_a_province_missing_from_the_seats_is_an_error_not_a_guess(monkeypatch):
    governor = Office.objects.get(kind=OfficeKind.GOVERNOR, province__code="15")
    monkeypatch.setattr(seats, "seats", lambda: {})
    with pytest.raises(LookupError, match="15"):
        seats.seat_of(governor)


# --- no letter on a non-working day ------------------------------------------------------


@pytest.fixture
def waiting(db, private_media):
    issue(["15.02"])
    sweep(now=dt.datetime(2026, 11, 30, 8, 0, tzinfo=WIB))
    return SanctionProposal.objects.get()


def sign_via_api(proposal, at, time_machine):
    time_machine.move_to(at, tick=False)
    client = APIClient()
    client.force_login(signatory_user(proposal.signatory_office))
    return client.post(f"/api/v1/sanction-proposals/{proposal.pk}/sign/")


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 12, 5, 10, 0, tzinfo=WIB),  # Saturday
        dt.datetime(2026, 12, 24, 10, 0, tzinfo=WIB),  # cuti bersama Natal
        dt.datetime(2026, 12, 25, 10, 0, tzinfo=WIB),  # Natal
        dt.datetime(2026, 12, 6, 23, 30, tzinfo=WIB),  # still Sunday in Jambi
    ],
)
def test_a_signature_on_a_non_working_day_is_refused_and_changes_nothing(waiting, at, time_machine):
    notices = Notification.objects.count()
    response = sign_via_api(waiting, at, time_machine)
    assert response.status_code == 409
    assert "hari kerja" in response.json()["detail"]
    waiting.refresh_from_db()
    assert waiting.state == ProposalState.PROPOSED
    assert not Letter.objects.exists() and not LetterCounter.objects.filter(last__gt=0).exists()
    assert Notification.objects.count() == notices


def test_the_next_working_day_the_letter_is_signed_and_dated_that_day(waiting, time_machine):
    response = sign_via_api(waiting, dt.datetime(2026, 12, 28, 8, 30, tzinfo=WIB), time_machine)
    assert response.status_code == 200
    assert response.json()["date"] == "2026-12-28"  # Monday after Christmas and its leave


def test_the_signature_sits_in_the_room_the_letter_left_for_it_on_one_page(governors_letter):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from workflow.signing import STAMP_HEIGHT, STAMP_WIDTH

    signed = letters.pdf_for(governors_letter)
    reader = PdfFileReader(io.BytesIO(signed))
    assert reader.root["/Pages"]["/Count"] == 1
    [field] = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]]
    page, left, top = letters.render(governors_letter)[1]
    assert page == 0
    assert [int(v) for v in field["/Rect"]] == [
        int(left),
        int(top - STAMP_HEIGHT),
        int(left + STAMP_WIDTH),
        int(top),
    ]
