"""Import recording reports from a CSV or XLSX file: read, check every row, write all or
nothing.

The file's header is exactly `district_code,date,obliged,recorded,printed`. Every bad row
is reported with its line number and the reason (an error code and its parameters, shown
in the reader's language); one bad row and nothing is written. A later report of the same
(district, date) replaces the earlier one.

One path on every database: the file is read in blocks of whole lines, each block checked
in Python (recording_import_checks, the only place the checks are written), the checked
rows kept in a temporary table (recording_import_staging: COPY on PostgreSQL, INSERTs
elsewhere, its one vendor branch), where one SQL statement finds the duplicates and
another writes them all. Memory stays flat whatever the file size.
"""

import codecs
import heapq
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .recording_import_checks import HEADER, STRIP, RowChecker
from .recording_import_staging import Staging
from .recording_messages import bilingual, error, message
from .recording_xlsx import UnreadableFile, check_workbook, open_sheet, xlsx_lines

# Named here too: the command, the API, the pages and the jobs read them from the import.
__all__ = ["ImportResult", "bilingual", "count_rows", "error", "import_file", "message"]

# Bytes no report contains, removed before parsing (NUL and two control characters, as
# the import always has), and carriage returns, so that CRLF files read like LF ones.
NOISE = b"\x00\x01\x02\r"
BLOCK_BYTES = 4 * 1024 * 1024
PIECE_BYTES = 512 * 1024  # checked and staged at a time (a few MiB of Python objects)
# A report line is under 100 bytes; one over this is not a report's (a pasted document, a
# file with no line breaks), refused before it is held in memory whole.
MAX_LINE_BYTES = 4096


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


# --- the header ---------------------------------------------------------------------------


def check_header(first_line):
    found = tuple(f.strip(STRIP) for f in first_line.lstrip("\ufeff").rstrip("\r\n").split(","))
    if found == HEADER:
        return None
    return error(1, None, "wrong_header", expected=",".join(HEADER), found=",".join(found))


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
    today = today or timezone.localdate()
    if fmt == "xlsx":
        problem, _ = check_workbook(source)
        if problem:
            return ImportResult(error_count=1, errors=[problem])
    header_error, blocks = read_header(source, fmt)
    if header_error:
        return ImportResult(error_count=1, errors=[header_error])
    try:
        with connection.cursor() as cursor, Staging(cursor) as staging:
            return _import(blocks, staging, today, on_progress, on_written)
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


def _import(blocks, staging, today, on_progress, on_written):
    from .models import District

    checker = RowChecker(dict(District.objects.values_list("code", "pk")), today)
    result, limit, line, kept = ImportResult(), max_listed_errors(), 2, 0
    for block in blocks:
        for text in _pieces(block):
            rows, count, errors, data_lines = checker.check_text(line, text)
            staging.add(rows)
            kept += count
            result.rows_total += data_lines
            result.error_count += len(errors)
            result.errors += errors[: limit - len(result.errors)]
            line += text.count("\n")
        staging.flush()
        if on_progress:
            on_progress(line - 2)
    if not result.error_count and _write(staging, kept, result, on_written):
        return result
    with transaction.atomic():
        staging.sort_memory()
        _duplicates(staging, result, limit)
    return result


class _Repeated(Exception):
    """The rows repeat a (district, date): roll the write back."""


def _pieces(block):
    """The block's text in pieces of whole lines of about PIECE_BYTES."""
    start = 0
    while start < len(block):
        end = block.rfind(b"\n", start, start + PIECE_BYTES) + 1 or block.find(b"\n", start) + 1
        yield block[start:end].decode("utf-8")
        start = end


def _write(staging, kept, result, on_written):
    """Write every row; False (and nothing written) when the file repeats a (district,
    date), which the caller then reports line by line."""
    try:
        with transaction.atomic():
            staging.sort_memory()
            if staging.write() != kept:
                raise _Repeated
            result.rows_written = kept
            if on_written:
                on_written(result)
    except _Repeated:
        return False
    return True


def _duplicates(staging, result, limit):
    """Count the duplicates in and list them among the first `limit` errors, by line
    (after the other errors of their line)."""
    count, found = staging.duplicates(limit)
    if not count:
        return
    duplicates = [error(line, None, "duplicate", first_line=first) for line, first in found]
    merged = heapq.merge(result.errors, duplicates, key=lambda e: e["line"])
    result.errors = list(merged)[:limit]
    result.error_count += count
