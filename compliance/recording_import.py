"""Import recording reports from a CSV or XLSX file: read, check every row, write all or
nothing.

The file's header is exactly `district_code,date,obliged,recorded,printed`. Every bad row
is reported with its line number and the reason (an error code and its parameters, shown
in the reader's language); one bad row and nothing is written. A later report of the same
(district, date) replaces the earlier one.

Memory stays flat whatever the file size: on PostgreSQL the file streams through COPY into
a temporary staging table (one text column per line, numbered in file order) and set-based
SQL checks it and writes it (recording_import_pg); elsewhere (SQLite, the embedded
default) rows stream through the same checks in Python into a temporary table in batches
(recording_import_py). Both give the same errors.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from xml.parsers.expat import ExpatError, ParserCreate

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

HEADER = ("district_code", "date", "obliged", "recorded", "printed")
NUMBER_FIELDS = ("obliged", "recorded", "printed")
COLUMNS = len(HEADER)
# Around every field: spaces, tabs, a carriage return, and the quotes of a quoted CSV field.
STRIP = ' \t\r"'
# Bytes no report contains, removed before parsing: COPY uses two of them as its delimiter
# and quote (so that one line is one staging row); carriage returns go too, so CRLF files
# read like LF ones.
NOISE = b"\x00\x01\x02\r"
NUMBER = re.compile(r"[0-9]{1,9}")
NEGATIVE = re.compile(r"-[0-9]{1,9}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BPS_LIKE = re.compile(r"[0-9]{6,7}")
BLOCK_BYTES = 4 * 1024 * 1024
# A report line is under 100 bytes; one over this is not a report's (a pasted document, a
# file with no line breaks), refused before it is held in memory whole.
MAX_LINE_BYTES = 4096

# The order of a line's errors: by column, then the row-level ones.
ORDER = {
    "column_count": 0,
    "unknown_district": 1,
    "bps_code": 1,
    "malformed_date": 2,
    "future_date": 2,
    "obliged": 3,
    "recorded": 4,
    "printed": 5,
    "recorded_above_obliged": 6,
    "printed_above_recorded": 7,
    "duplicate": 8,
}

# English msgids (pages translate them) and the Indonesian text (the command and the API
# show both languages, like every other API message).
MESSAGES = {
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
        gettext_noop("The line is longer than %(limit)s bytes: not a line of a recording report."),
        "Baris ini lebih panjang dari %(limit)s bita: bukan baris laporan perekaman.",
    ),
}


def message(error):
    """The error's reason in the active language (pages)."""
    return gettext(MESSAGES[error["code"]][0]) % error["params"]


def bilingual(error):
    """'Bahasa Indonesia / English' (the command and the API)."""
    english, indonesian = MESSAGES[error["code"]]
    return f"{indonesian % error['params']} / {english % error['params']}"


def error(line, field, code, /, **params):
    return {"line": line, "field": field, "code": code, "params": params}


@dataclass
class ImportResult:
    rows_total: int = 0  # data lines read (blank lines aside)
    rows_written: int = 0
    error_count: int = 0
    errors: list = field(default_factory=list)  # the first max_listed_errors(), in order

    @property
    def ok(self):
        return self.error_count == 0


def max_listed_errors():
    return settings.RECORDING_IMPORT_MAX_LISTED_ERRORS


# --- the header and the checks of one row (the Python path; the SQL mirrors them) -------


def check_header(first_line):
    found = tuple(f.strip(STRIP) for f in first_line.lstrip("\ufeff").rstrip("\r\n").split(","))
    if found == HEADER:
        return None
    return error(1, None, "wrong_header", expected=",".join(HEADER), found=",".join(found))


def district_error(line, code):
    if BPS_LIKE.fullmatch(code):
        example = f"{code[0:2]}.{code[2:4]}.{code[4:6]}"
        return error(line, "district_code", "bps_code", code=code, example=example)
    return error(line, "district_code", "unknown_district", code=code)


def parse_date(text):
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_row(line, fields, districts, today):
    """(errors, row) for one data line split on commas; row is (district_id, date,
    obliged, recorded, printed) with None where a value is bad."""
    if len(fields) != COLUMNS:
        return [error(line, None, "column_count", expected=COLUMNS, found=len(fields))], None
    code, day, *numbers = (f.strip(STRIP) for f in fields)
    errors = []
    district_id = districts.get(code)
    if district_id is None:
        errors.append(district_error(line, code))
    when = parse_date(day)
    if when is None:
        errors.append(error(line, "date", "malformed_date", value=day))
    elif when > today:
        errors.append(error(line, "date", "future_date", date=day))
    values = {}
    for name, text in zip(NUMBER_FIELDS, numbers, strict=True):
        if NUMBER.fullmatch(text):
            values[name] = int(text)
        else:
            code_ = "negative" if NEGATIVE.fullmatch(text) else "malformed_number"
            errors.append(error(line, name, code_, field=name, value=text))
    obliged, recorded, printed = (values.get(n) for n in NUMBER_FIELDS)
    if len(values) == COLUMNS - 2:
        if recorded > obliged:
            errors.append(
                error(
                    line, "recorded", "recorded_above_obliged", recorded=recorded, obliged=obliged
                )
            )
        if printed > recorded:
            errors.append(
                error(line, "printed", "printed_above_recorded", printed=printed, recorded=recorded)
            )
    return errors, (district_id, when, obliged, recorded, printed)


# --- reading the file -------------------------------------------------------------------


def count_rows(source, fmt):
    """The number of data lines (for progress), read without keeping the file; for a
    workbook, the first sheet's rows as read (never its declared dimension), or None when
    the workbook is refused."""
    if fmt == "xlsx":
        problem, rows = check_workbook(source)
        sheet = None if problem else _open_sheet(source)
        source.seek(0)
        if sheet is None:
            return None
        return max(rows.get(sheet._worksheet_path, 0) - 1, 0)  # noqa: SLF001 - its zip part
    newlines, last = 0, b"\n"
    while block := source.read(BLOCK_BYTES):
        newlines += block.count(b"\n")
        last = block[-1:]
    source.seek(0)
    lines = newlines + (last != b"\n")
    return max(lines - 1, 0)


def _open_sheet(source):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer
        return None
    if not workbook.worksheets:
        return None
    sheet = workbook.worksheets[0]
    # Read-only mode stops at the row and column its <dimension> declares, and a workbook
    # may declare anything (A1:E2 over ten rows): read every row there is instead.
    sheet.reset_dimensions()
    return sheet


# --- the limits of a workbook, checked before openpyxl parses it ------------------------
# openpyxl holds every shared string in memory at once and builds each cell's text whole,
# so a small upload (a 200 MiB string compresses to 200 KB) could take the worker's memory
# (and PostgreSQL's, as one staging line). The zip directory is checked first (sizes and
# compression ratios, nothing unpacked), then every part streams through expat, which
# keeps nothing, so that no value grows past its limit. Each limit is a setting of the
# same name, read when a file is checked.

# The largest legitimate workbook is one full sheet: 1,048,575 rows at 200-350 bytes of
# XML each is 250-370 MB unpacked (a national year of daily reports, 2.66 M rows, does
# not fit in one sheet: it comes as CSV). 1 GiB leaves room for styles, other sheets and
# verbose writers; the sheet itself streams, so this bounds time, not memory.
RECORDING_IMPORT_XLSX_MAX_UNPACKED_BYTES = 1024**3
# Real sheets compress 5-30 times (9 for distinct dates and figures); zip bombs, about
# 1,000 times. Parts under RATIO_FLOOR are not judged: they cannot hurt.
RECORDING_IMPORT_XLSX_MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
# openpyxl keeps the shared strings as one list; a file whose every figure is text has at
# most about a million distinct ones (~25 MB of XML).
RECORDING_IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
# A cell holds a district code, a date or a number: 1,000 characters is plenty.
RECORDING_IMPORT_MAX_CELL_CHARS = 1000
# Any other text or tag in any part (expat buffers a tag whole).
MAX_TOKEN_CHARS = 1024 * 1024
EXCEL_MAX_ROWS = 1_048_576
SCAN_BYTES = 64 * 1024


def _limit(name):
    return getattr(settings, name, globals()[name])


class _Refused(Exception):
    def __init__(self, error):
        super().__init__(error["code"])
        self.error = error


def check_workbook(source):
    """(error or None, {part: rows read}) for the open XLSX file `source`, rewound after.
    A file that is not a zip is left to openpyxl (which refuses it as unreadable)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        source.seek(0)
        return None, {}
    try:
        with archive:
            _check_directory(archive.infolist())
            return None, {info.filename: _scan_part(archive, info) for info in archive.infolist()}
    except _Refused as e:
        return e.error, {}
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return None, {}  # openpyxl will say unreadable
    finally:
        source.seek(0)


def _check_directory(infos):
    size, limit = (
        sum(i.file_size for i in infos),
        _limit("RECORDING_IMPORT_XLSX_MAX_UNPACKED_BYTES"),
    )
    if size > limit:
        raise _Refused(error(None, None, "workbook_too_large", size=size, limit=limit))
    most = _limit("RECORDING_IMPORT_XLSX_MAX_RATIO")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > most * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _Refused(
                error(
                    None, None, "workbook_compression", part=info.filename, ratio=ratio, limit=most
                )
            )


def _scan_part(archive, info):
    """The rows of one part (0 unless it is a sheet), its values checked as it streams;
    raises _Refused. A part expat cannot read is not XML: openpyxl does not parse it
    either (or refuses it the same way)."""
    scan, fed = _PartScan(info), 0
    with archive.open(info) as part:
        try:
            while chunk := part.read(SCAN_BYTES):
                scan.parser.Parse(chunk, False)
                fed += len(chunk)
                # Bytes read that expat has not reported yet: a tag in progress, held whole.
                if fed - scan.parser.CurrentByteIndex > MAX_TOKEN_CHARS:
                    scan.refuse("value_too_long", limit=MAX_TOKEN_CHARS)
            scan.parser.Parse(b"", True)
        except ExpatError:
            pass
    return scan.rows


def _local(name):
    return name[name.rfind(":") + 1 :]


class _PartScan:
    """Counts a part's rows and the characters of each value as expat reads it."""

    def __init__(self, info):
        self.info, self.rows, self.root = info, 0, None
        self.cell_chars = _limit("RECORDING_IMPORT_MAX_CELL_CHARS")
        self.in_value, self.value, self.text = False, 0, 0
        self.parser = ParserCreate()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.characters

    def refuse(self, code, line=None, **params):
        raise _Refused(error(line, None, code, part=self.info.filename, **params))

    def start(self, name, attrs):
        name, self.text = _local(name), 0
        if self.root is None:
            self.root = name
            most = _limit("RECORDING_IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES")
            if name == "sst" and self.info.file_size > most:
                self.refuse("shared_strings_too_large", size=self.info.file_size, limit=most)
        if name == "row":
            r = attrs.get("r", "")
            self.rows = int(r) if r.isdigit() else self.rows + 1
            if self.rows > EXCEL_MAX_ROWS:
                self.refuse("too_many_rows", limit=EXCEL_MAX_ROWS)
        elif name in ("c", "si"):
            self.value = 0
        elif name in ("v", "t"):
            self.in_value = True

    def end(self, name):
        self.text = 0
        if _local(name) in ("v", "t"):
            self.in_value = False

    def characters(self, data):
        self.text += len(data)
        if self.in_value:
            self.value += len(data)
            if self.value > self.cell_chars:
                line = self.rows if self.root == "worksheet" else None
                self.refuse("value_too_long", line, limit=self.cell_chars)
        if self.text > MAX_TOKEN_CHARS:
            self.refuse("value_too_long", limit=MAX_TOKEN_CHARS)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        # A date cell, or a datetime at midnight, is the day it shows.
        if hasattr(value, "hour") and (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r", " ").replace("\n", " ")


def xlsx_lines(source):
    """The sheet's rows as CSV text lines ('' for a blank row), header first; raises
    UnreadableFile. Trailing empty cells do not count as columns."""
    sheet = _open_sheet(source)
    if sheet is None:
        raise UnreadableFile("XLSX")
    for cells in sheet.iter_rows(values_only=True):
        texts = [_cell_text(v) for v in cells]
        while texts and texts[-1] == "":
            texts.pop()
        yield ",".join(texts)


class UnreadableFile(Exception):
    def __init__(self, fmt):
        super().__init__(fmt)
        self.format = fmt


def csv_blocks(source, first_line_number):
    """Blocks of whole lines as bytes, checked to be UTF-8 (raises NotUtf8 with the line)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, rest = first_line_number, b""
    while block := source.read(BLOCK_BYTES):
        block = block.translate(None, NOISE)
        try:
            decoder.decode(block)
        except UnicodeDecodeError as e:
            raise NotUtf8(line + (rest + block)[: len(rest) + e.start].count(b"\n")) from None
        data = rest + block
        cut = data.rfind(b"\n") + 1
        data, rest = data[:cut], data[cut:]
        if data:
            _check_line_lengths(data, line)
            yield data
            line += data.count(b"\n")
        if len(rest) > MAX_LINE_BYTES:
            raise LineTooLong(line)
    if rest:
        yield rest + b"\n"


def _check_line_lengths(data, first_line_number):
    if max(map(len, data.split(b"\n"))) <= MAX_LINE_BYTES:
        return
    for number, text in enumerate(data.split(b"\n"), start=first_line_number):
        if len(text) > MAX_LINE_BYTES:
            raise LineTooLong(number)


class LineTooLong(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


class NotUtf8(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


def read_header(source, fmt):
    """(header error or None, the rest of the file as blocks of CSV bytes, one line each)."""
    if fmt == "xlsx":
        lines = xlsx_lines(source)
        try:
            first = next(lines, "")
        except UnreadableFile as e:
            return error(None, None, "unreadable", format=e.format), iter(())
        return check_header(first), _encode_lines(lines)
    first = source.readline(64 * 1024)
    try:
        text = first.translate(None, NOISE).decode("utf-8")
    except UnicodeDecodeError:
        return error(1, None, "not_utf8"), iter(())
    return check_header(text), csv_blocks(source, 2)


def _encode_lines(lines, batch=20_000):
    buffer = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= batch:
            yield ("\n".join(buffer) + "\n").encode("utf-8").translate(None, NOISE)
            buffer = []
    if buffer:
        yield ("\n".join(buffer) + "\n").encode("utf-8").translate(None, NOISE)


# --- the import -------------------------------------------------------------------------


def import_file(source, *, fmt, today=None, on_progress=None, on_written=None):
    """Check every row of the open binary file `source` (fmt 'csv' or 'xlsx') and, when
    none is bad, write them all in one transaction. on_progress(rows_read) is called as
    the file streams; on_written(result) inside the writing transaction. Returns an
    ImportResult."""
    from django.db import connection

    today = today or timezone.localdate()
    if fmt == "xlsx":
        problem, _ = check_workbook(source)
        if problem:
            return ImportResult(error_count=1, errors=[problem])
    header_error, blocks = read_header(source, fmt)
    if header_error:
        return ImportResult(error_count=1, errors=[header_error])
    if connection.vendor == "postgresql":
        from .recording_import_pg import PostgresImport as Import
    else:
        from .recording_import_py import PythonImport as Import
    try:
        return Import(today=today, on_progress=on_progress, on_written=on_written).run(blocks)
    except NotUtf8 as e:
        return ImportResult(error_count=1, errors=[error(e.line, None, "not_utf8")])
    except LineTooLong as e:
        return ImportResult(
            error_count=1, errors=[error(e.line, None, "line_too_long", limit=MAX_LINE_BYTES)]
        )
    except UnreadableFile as e:
        return ImportResult(
            error_count=1, errors=[error(None, None, "unreadable", format=e.format)]
        )
