"""The recording import's errors: each a code with its parameters, and its reason in
English and in Bahasa Indonesia, registered with the other messages (compliance.i18n):
the pages render it in the reader's language, the command and the API in both."""

from django.utils.translation import gettext_noop

from .i18n import Message, catalogue

# English msgids (pages translate them) and the Indonesian text (the command and the API
# show both languages, like every other API message).
MESSAGES = catalogue(
    {
        "wrong_header": (
            gettext_noop("The first line must be exactly %(expected)s (found: %(found)s)."),
            "Baris pertama harus persis %(expected)s (ditemukan: %(found)s).",
        ),
        "not_utf8": (
            gettext_noop("The file is not UTF-8 text from this line on."),
            "Berkas bukan teks UTF-8 mulai baris ini.",
        ),
        "unreadable": (
            gettext_noop("The file cannot be read as %(format)s."),
            "Berkas tidak dapat dibaca sebagai %(format)s.",
        ),
        "import_failed": (
            gettext_noop("The import stopped on an internal error; nothing was written."),
            "Impor terhenti karena galat internal; tidak ada yang ditulis.",
        ),
        "import_abandoned": (
            gettext_noop(
                "The import was taken up %(attempts)s times and never finished (a worker lost, "
                "or the %(minutes)s-minute time limit reached); nothing was written. Split the "
                "file, or ask the operator to look at the worker."
            ),
            "Impor sudah dijalankan %(attempts)s kali dan tidak pernah selesai (pekerja hilang "
            "atau batas waktu %(minutes)s menit tercapai); tidak ada yang ditulis. Pecah berkas, "
            "atau minta operator memeriksa pekerja.",
        ),
        "column_count": (
            gettext_noop("Expected %(expected)s columns, found %(found)s."),
            "Seharusnya %(expected)s kolom, ditemukan %(found)s.",
        ),
        "unknown_district": (
            gettext_noop("Unknown district code %(code)s."),
            "Kode kecamatan %(code)s tidak dikenal.",
        ),
        "bps_code": (
            gettext_noop(
                "%(code)s looks like a BPS code: use the Kemendagri district code with dots, "
                "such as %(example)s."
            ),
            "%(code)s tampak seperti kode BPS: gunakan kode kecamatan Kemendagri bertitik, "
            "misalnya %(example)s.",
        ),
        "malformed_date": (
            gettext_noop("%(value)s is not a date written YYYY-MM-DD."),
            "%(value)s bukan tanggal berformat YYYY-MM-DD.",
        ),
        "future_date": (
            gettext_noop("The date %(date)s is in the future."),
            "Tanggal %(date)s belum tiba.",
        ),
        "malformed_number": (
            gettext_noop("%(field)s is not a whole number: %(value)s."),
            "%(field)s bukan bilangan bulat: %(value)s.",
        ),
        "negative": (
            gettext_noop("%(field)s is negative: %(value)s."),
            "%(field)s bernilai negatif: %(value)s.",
        ),
        "recorded_above_obliged": (
            gettext_noop("recorded (%(recorded)s) is above obliged (%(obliged)s)."),
            "Kolom recorded (%(recorded)s) melebihi kolom obliged (%(obliged)s).",
        ),
        "printed_above_recorded": (
            gettext_noop("printed (%(printed)s) is above recorded (%(recorded)s)."),
            "Kolom printed (%(printed)s) melebihi kolom recorded (%(recorded)s).",
        ),
        "duplicate": (
            gettext_noop("The same district and date as line %(first_line)s."),
            "Kecamatan dan tanggal yang sama dengan baris %(first_line)s.",
        ),
        "workbook_too_large": (
            gettext_noop("The workbook unpacks to %(size)s bytes, more than %(limit)s."),
            "Buku kerja ini berukuran %(size)s bita setelah diekstrak, melebihi %(limit)s.",
        ),
        "workbook_compression": (
            gettext_noop(
                "%(part)s in the workbook is compressed %(ratio)s times, more than %(limit)s: "
                "refused as a possible zip bomb."
            ),
            "%(part)s dalam buku kerja dimampatkan %(ratio)s kali, melebihi %(limit)s: "
            "ditolak karena dapat berupa bom zip.",
        ),
        "shared_strings_too_large": (
            gettext_noop(
                "The workbook's shared strings (%(part)s) unpack to %(size)s bytes, "
                "more than %(limit)s."
            ),
            "Teks bersama buku kerja (%(part)s) berukuran %(size)s bita setelah diekstrak, "
            "melebihi %(limit)s.",
        ),
        "value_too_long": (
            gettext_noop("A value in %(part)s is longer than %(limit)s characters."),
            "Sebuah nilai di %(part)s lebih panjang dari %(limit)s karakter.",
        ),
        "too_many_rows": (
            gettext_noop("The sheet %(part)s has more than %(limit)s rows."),
            "Lembar %(part)s memiliki lebih dari %(limit)s baris.",
        ),
        "line_too_long": (
            gettext_noop(
                "The line is longer than %(limit)s bytes: not a line of a recording report."
            ),
            "Baris ini lebih panjang dari %(limit)s bita: bukan baris laporan perekaman.",
        ),
    }
)


def message(error):
    """The error's reason in the active language (pages)."""
    return Message(error["code"], **error["params"]).render()


def bilingual(error):
    """'Bahasa Indonesia / English' (the command and the API)."""
    return Message(error["code"], **error["params"]).bilingual()


def error(line, field, code, /, **params):
    return {"line": line, "field": field, "code": code, "params": params}
