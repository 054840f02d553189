"""Reading a recording workbook (XLSX): its limits, checked before openpyxl parses it,
and its first sheet's rows as CSV lines."""

import zipfile
from datetime import date
from xml.parsers.expat import ExpatError, ParserCreate

from django.conf import settings

from .recording_messages import error


def open_sheet(source):
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
    sheet = open_sheet(source)
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
