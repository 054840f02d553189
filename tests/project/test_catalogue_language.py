"""Each language whole: no English word inside an Indonesian text, no Indonesian word
inside an English one. Names are not words of either language (KTP-el, SIAK, Dukcapil,
NIK, the instruments' citations: UU 23/2014 Pasal 67), and neither are what a reader
types or reads as a code: placeholders, file and command names, the column names of the
recording file (`kolom recorded`)."""

import re
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"

# Words of everyday English an Indonesian text would have its own word for (status,
# token, audit, filter and the like are Indonesian too, and are not listed).
ENGLISH_WORDS = """
    a an and are as at back be by can cancel clear cleared click closed days day do does
    down due for from has have here is it its no not of on or please reason rejected
    approved broken repaired repair revoke selected send sent submit the this that to
    under was were will with yes your you
    approve reject reconnect reconnected lifecycle compliance ministry minister governor
    regent mayor head officer director directive directives assignment assignments
    office offices report reports warning letter letters file files upload region regency
    province district recording printed obliged recorded state action actions request
    page user users error errors field step steps evidence remediation suspension
    violation violations policy deadline inbox approvals signed sign name password
    """
ENGLISH = set(ENGLISH_WORDS.split())
# Words of everyday Indonesian an English text would have its own word for (the
# instruments' Pasal and ayat are part of their citation and are not listed).
INDONESIAN_WORDS = """
    dan yang untuk tidak dari dengan ini itu atau pada ke di sudah belum harus oleh akan
    dalam kepada sebagai surat hari jabatan pengguna berkas baris kolom tanggal direktif
    penugasan tenggat alasan ditolak disetujui perangkat rusak kode bupati wali gubernur
    menteri kementerian cabut terpilih pemutusan teguran tertulis perekaman kepala dinas
    pejabat usulan tembusan laporan bukti pelanggaran kembali simpan kirim masuk keluar
    kabupaten kecamatan provinsi perihal yth hormat kami batas waktu konfirmasi
    penerimaan direktur jenderal kependudukan pencatatan sipil dipulihkan diperbaiki
    """
INDONESIAN = set(INDONESIAN_WORDS.split())
CODE = re.compile(
    r"%\(\w+\)[sdf]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}|<[^>]*>|&\w+;"  # placeholders, markup
    r"|`[^`]*`|\S*[/_@=]\S*|\S+\.(?=\w)\S*"  # code, paths, commands, addresses
    r"|(?i:\bkolom \w+|\b\w+ column\b)"  # the recording file's column names
    r"|\b[A-Z]{2,}\b"  # acronyms and constants (NIK, SIAK, API_TOKEN_DAYS)
)


def entries(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return [e for e in po if not e.obsolete and e.translated()]


def foreign_words(text, words):
    plain = CODE.sub(" ", text)
    tokens = re.findall(r"[\w-]+", plain)  # 83A, KTP-el and the like are not words
    return sorted({w for w in tokens if w.isalpha() and w.lower() in words})


def mixed(language, words):
    found = {}
    for e in entries(language):
        for text in [e.msgstr, *e.msgstr_plural.values()] if e.msgid_plural else [e.msgstr]:
            hits = foreign_words(text, words)
            if hits:
                found[text] = hits
    return found


def test_no_english_word_inside_an_indonesian_text():
    assert mixed("id", ENGLISH) == {}


def test_no_indonesian_word_inside_an_english_text():
    assert mixed("en", INDONESIAN) == {}


def test_the_check_finds_a_mixed_text():
    assert foreign_words("Dipulihkan / cleared", ENGLISH) == ["cleared"]
    assert foreign_words("hari terputus / days down", ENGLISH) == ["days", "down"]
    assert foreign_words("Revoke the selected tokens / cabut token terpilih", INDONESIAN) == [
        "cabut",
        "terpilih",
    ]
    assert foreign_words("Regent (bupati)", INDONESIAN) == ["bupati"]
    assert foreign_words("Perangkat rusak: broken.", ENGLISH) == ["broken"]
    # names, citations, codes and the file's columns are neither language's words
    assert foreign_words("Kolom recorded (%(recorded)s) melebihi kolom obliged", ENGLISH) == []
    assert foreign_words("NIK dan SIAK; lihat docs/state-diagram.svg", ENGLISH) == []
    assert foreign_words("under PP 12/2017 Pasal 38 ayat 3 (KTP-el, Dukcapil)", INDONESIAN) == []
