"""A workbook is read for what it holds, not for what it declares: every row is read
whatever its <dimension> says, and a workbook whose parts unpack too large, compress too
well or hold an overlong value is refused, naming the limit, before openpyxl parses it."""

import io
import random
import re
import string
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.models import RecordingReport
from compliance.recording_import import bilingual, count_rows, import_file
from compliance.recording_jobs import create_import, run_import
from tests.compliance.recording_files import TODAY, xlsx_file
from tests.factories import official

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
CLEAN = [f"15.02.{d:02},2017-10-01,{1000 + d},{600 + d},{500 + d}" for d in range(1, 11)]
# Line 5 records more than its obliged, lines 8 and 11 name districts that do not exist.
BAD = [*CLEAN[:3], "15.02.04,2017-10-01,1000,1001,0", *CLEAN[4:6], "99.99.01,2017-10-01,10,5,1"]
BAD += [*CLEAN[7:9], "99.99.02,2017-10-01,10,5,1"]


def with_part(source, name, change):
    """The workbook with one part replaced by change(its bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == name else data)
    out.seek(0)
    return out


def declaring(lines, ref="A1:E2"):
    """An XLSX of the lines whose sheet declares the dimension `ref` (stale)."""
    source = xlsx_file(*lines)
    return with_part(
        source,
        SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml),
    )


def with_shared_strings(source):
    """The workbook with its text cells in a shared strings part, as Excel writes them
    (openpyxl writes them inline)."""
    strings = []

    def to_index(match):
        strings.append(match[1])
        return b't="s"><v>%d</v>' % (len(strings) - 1)

    source = with_part(source, SHEET, lambda xml: INLINE.sub(to_index, xml))
    table = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", STRINGS_TYPE + b"</Types>")
            new.writestr(info.filename, data)
        new.writestr(STRINGS, SST % (len(strings), len(strings), table))
    out.seek(0)
    return out


INLINE = re.compile(rb't="inlineStr"><is><t>([^<]*)</t></is>')
STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SST = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'count="%d" uniqueCount="%d">%s</sst>'
)


def with_shared_string(text):
    """A workbook with shared strings whose first one (the header's first cell) is `text`."""
    return with_part(
        with_shared_strings(xlsx_file(*CLEAN[:2])),
        STRINGS,
        lambda xml: xml.replace(b"<t>district_code</t>", f"<t>{text}</t>".encode(), 1),
    )


def refusal(result):
    assert not result.ok and result.rows_written == 0
    assert result.error_count == len(result.errors) == 1, result.errors
    assert not RecordingReport.objects.exists()
    return result.errors[0]


def test_every_row_of_a_stale_dimension_workbook_is_checked_and_each_bad_one_listed():
    result = import_file(declaring(BAD), fmt="xlsx", today=TODAY)
    assert [(e["line"], e["code"]) for e in result.errors] == [
        (5, "recorded_above_obliged"),
        (8, "unknown_district"),
        (11, "unknown_district"),
    ]
    assert (result.rows_total, result.error_count, result.rows_written) == (10, 3, 0)
    assert not RecordingReport.objects.exists()


def test_a_clean_stale_dimension_workbook_is_imported_whole():
    source = declaring(CLEAN)
    with zipfile.ZipFile(source) as workbook:
        assert b'<dimension ref="A1:E2"' in workbook.read(SHEET)
    source.seek(0)
    assert count_rows(source, "xlsx") == 10
    result = import_file(source, fmt="xlsx", today=TODAY)
    assert result.ok, result.errors
    assert (result.rows_total, result.rows_written) == (10, 10)
    assert RecordingReport.objects.count() == 10


def test_a_stale_dimension_workbook_job_counts_and_writes_every_row():
    user = official("ministry_officer")
    upload = SimpleUploadedFile("rekam.xlsx", declaring(CLEAN).read())
    job = run_import(create_import(actor=user, file=upload).pk, today=TODAY)
    assert job.status == "succeeded"
    assert (job.rows_total, job.rows_done, job.rows_written, job.error_count) == (10, 10, 10, 0)


def test_columns_past_the_declared_dimension_are_read_too():
    result = import_file(declaring(BAD, ref="A1:C2"), fmt="xlsx", today=TODAY)
    assert [(e["line"], e["code"]) for e in result.errors] == [
        (5, "recorded_above_obliged"),
        (8, "unknown_district"),
        (11, "unknown_district"),
    ]


def test_a_shared_string_bomb_is_refused_before_anything_is_unpacked(monkeypatch):
    bomb = with_shared_string("A" * 4_000_000)  # 4 MB of text, a few KB of upload
    monkeypatch.setattr(openpyxl, "load_workbook", pytest.fail)  # never reached
    tracemalloc.start()
    try:
        result = import_file(bomb, fmt="xlsx", today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = refusal(result)
    assert (error["code"], error["params"]["part"]) == ("workbook_compression", STRINGS)
    assert error["params"]["ratio"] > error["params"]["limit"] == 100
    assert peak < 1_000_000, peak
    assert bilingual(error).startswith(
        "xl/sharedStrings.xml dalam buku kerja dimampatkan"
    ) and "refused as a possible zip bomb" in bilingual(error)


def test_an_overlong_shared_string_is_refused_as_it_streams(monkeypatch):
    # Random letters barely compress: only the length of the value gives it away.
    text = "".join(random.Random(16).choices(string.ascii_letters, k=2_000_000))  # noqa: S311
    source = with_shared_string(text)
    monkeypatch.setattr(openpyxl, "load_workbook", pytest.fail)
    tracemalloc.start()
    try:
        result = import_file(source, fmt="xlsx", today=TODAY)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = refusal(result)
    assert error == {
        "line": None,
        "field": None,
        "code": "value_too_long",
        "params": {"part": STRINGS, "limit": 1000},
    }
    assert peak < 1_000_000, peak
    assert bilingual(error) == (
        "Sebuah nilai di xl/sharedStrings.xml lebih panjang dari 1000 karakter. / "
        "A value in xl/sharedStrings.xml is longer than 1000 characters."
    )


def test_the_cell_limit_is_a_setting(settings):
    settings.RECORDING_IMPORT_MAX_CELL_CHARS = 10
    source = with_shared_strings(xlsx_file(*CLEAN))
    error = refusal(import_file(source, fmt="xlsx", today=TODAY))
    assert (error["code"], error["params"]) == ("value_too_long", {"part": STRINGS, "limit": 10})


def test_an_overlong_cell_in_the_sheet_is_refused_with_its_line():
    source = with_part(
        xlsx_file(*CLEAN[:3]),
        SHEET,
        lambda xml: xml.replace(b"<v>1002</v>", b"<v>" + b"7" * 5000 + b"</v>", 1),
    )
    assert refusal(import_file(source, fmt="xlsx", today=TODAY)) == {
        "line": 3,
        "field": None,
        "code": "value_too_long",
        "params": {"part": SHEET, "limit": 1000},
    }


def test_shared_strings_past_their_size_limit_are_refused(settings):
    settings.RECORDING_IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = 200
    source = with_shared_strings(xlsx_file(*CLEAN))
    error = refusal(import_file(source, fmt="xlsx", today=TODAY))
    assert error["code"] == "shared_strings_too_large"
    assert error["params"]["part"] == STRINGS and error["params"]["limit"] == 200
    assert error["params"]["size"] > 200


def test_a_workbook_that_unpacks_past_the_limit_is_refused(settings, monkeypatch):
    source = xlsx_file(*CLEAN)
    with zipfile.ZipFile(source) as workbook:
        size = sum(i.file_size for i in workbook.infolist())
    source.seek(0)
    settings.RECORDING_IMPORT_XLSX_MAX_UNPACKED_BYTES = size - 1
    monkeypatch.setattr(openpyxl, "load_workbook", pytest.fail)
    error = refusal(import_file(source, fmt="xlsx", today=TODAY))
    assert error == {
        "line": None,
        "field": None,
        "code": "workbook_too_large",
        "params": {"size": size, "limit": size - 1},
    }
    assert count_rows(source, "xlsx") is None


def test_a_row_past_the_last_excel_row_is_refused():
    source = with_part(
        declaring(CLEAN[:1], ref="A1:E2000000"),
        SHEET,
        lambda xml: xml.replace(b"</sheetData>", b'<row r="2000000"/></sheetData>'),
    )
    error = refusal(import_file(source, fmt="xlsx", today=TODAY))
    assert (error["code"], error["params"]) == ("too_many_rows", {"part": SHEET, "limit": 1048576})


def test_a_normal_workbook_within_tight_limits_still_imports(settings):
    source = with_shared_strings(xlsx_file(*CLEAN))
    with zipfile.ZipFile(source) as workbook:
        settings.RECORDING_IMPORT_XLSX_MAX_UNPACKED_BYTES = sum(
            i.file_size for i in workbook.infolist()
        )
        settings.RECORDING_IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = workbook.getinfo(
            STRINGS
        ).file_size
    source.seek(0)
    settings.RECORDING_IMPORT_MAX_CELL_CHARS = len("district_code")
    assert count_rows(source, "xlsx") == 10
    result = import_file(source, fmt="xlsx", today=TODAY)
    assert result.ok, result.errors
    assert (result.rows_total, result.rows_written) == (10, 10)
