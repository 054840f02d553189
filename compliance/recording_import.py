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
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from .recording_messages import bilingual, error, message
from .recording_xlsx import UnreadableFile, check_workbook, open_sheet, xlsx_lines

# Named here too: the command, the API, the pages and the jobs read them from the import.
__all__ = ["ImportResult", "bilingual", "count_rows", "error", "import_file", "message"]

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
        sheet = None if problem else open_sheet(source)
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
