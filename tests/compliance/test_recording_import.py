"""Importing recording reports: every bad row reported with its line and reason, all or
nothing, a later report replaces an earlier one. The same cases run on whichever database
the suite uses (PostgreSQL in CI: COPY and set-based SQL; SQLite: the Python path)."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance.models import RecordingReport
from compliance.recording_import import bilingual, import_file, message
from compliance.recording_import_staging import Staging
from tests.compliance.recording_files import run

pytestmark = pytest.mark.django_db

GOOD = "15.02.01,2017-09-01,1000,600,550"


def only_error(result):
    assert not result.ok and result.rows_written == 0
    assert result.error_count == len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("row", "field", "code", "params"),
    [
        ("99.99.99,2017-10-01,10,5,1", "district_code", "unknown_district", {"code": "99.99.99"}),
        (
            "1502010,2017-10-01,10,5,1",
            "district_code",
            "bps_code",
            {"code": "1502010", "example": "15.02.01"},
        ),
        (
            "150201,2017-10-01,10,5,1",
            "district_code",
            "bps_code",
            {"code": "150201", "example": "15.02.01"},
        ),
        (
            "15.02.01,2017-10-01,-10,5,1",
            "obliged",
            "negative",
            {"field": "obliged", "value": "-10"},
        ),
        (
            "15.02.01,2017-10-01,10,1O,1",
            "recorded",
            "malformed_number",
            {"field": "recorded", "value": "1O"},
        ),
        (
            "15.02.01,2017-10-01,10,5,1.5",
            "printed",
            "malformed_number",
            {"field": "printed", "value": "1.5"},
        ),
        (
            "15.02.01,2017-10-01,10,11,1",
            "recorded",
            "recorded_above_obliged",
            {"recorded": 11, "obliged": 10},
        ),
        (
            "15.02.01,2017-10-01,10,5,6",
            "printed",
            "printed_above_recorded",
            {"printed": 6, "recorded": 5},
        ),
        ("15.02.01,2017-11-01,10,5,1", "date", "future_date", {"date": "2017-11-01"}),
        ("15.02.01,2017-02-30,10,5,1", "date", "malformed_date", {"value": "2017-02-30"}),
        ("15.02.01,17/10/2017,10,5,1", "date", "malformed_date", {"value": "17/10/2017"}),
        ("15.02.01,2017-10-01,10,5", None, "column_count", {"expected": 5, "found": 4}),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_reason(fmt, row, field, code, params):
    result = run(GOOD, row, fmt=fmt)
    assert only_error(result) == {"line": 3, "field": field, "code": code, "params": params}
    assert RecordingReport.objects.count() == 0


def test_the_reasons_read_in_both_languages():
    [error] = run("1502010,2017-10-01,10,5,1").errors
    assert bilingual(error) == (
        "1502010 tampak seperti kode BPS: gunakan kode kecamatan Kemendagri bertitik, "
        "misalnya 15.02.01. / 1502010 looks like a BPS code: use the Kemendagri district "
        "code with dots, such as 15.02.01."
    )
    with translation.override("en"):
        assert message(error).startswith("1502010 looks like a BPS code")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_duplicate_inside_the_file_names_the_earlier_line(fmt):
    result = run(GOOD, "15.02.02,2017-10-01,10,5,1", GOOD, fmt=fmt)
    assert only_error(result) == {
        "line": 4,
        "field": None,
        "code": "duplicate",
        "params": {"first_line": 2},
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_wrong_header_refuses_the_file(fmt):
    result = run(GOOD, header="kode,tanggal,wajib,rekam,cetak", fmt=fmt)
    error = only_error(result)
    assert (error["line"], error["code"]) == (1, "wrong_header")
    assert "district_code,date,obliged,recorded,printed" in message(error)


def test_one_row_can_have_several_reasons_all_listed_in_column_order():
    result = run("1502010,2017-13-01,-1,x,5")
    assert [(e["line"], e["code"]) for e in result.errors] == [
        (2, "bps_code"),
        (2, "malformed_date"),
        (2, "negative"),
        (2, "malformed_number"),
    ]
    assert result.error_count == 4


def test_one_bad_row_among_many_and_nothing_is_written():
    good = [
        f"15.02.01,2017-{m:02}-{d:02},1000,{600 + d},{500 + d}"
        for m in range(1, 10)
        for d in range(1, 29)
    ]
    bad_line = 200
    lines = [*good[: bad_line - 2], "15.02.01,2017-10-01,1000,1001,0", *good[bad_line - 2 :]]
    result = run(*lines)
    assert only_error(result)["line"] == bad_line
    assert result.rows_total == len(lines)
    assert RecordingReport.objects.count() == 0


def test_a_good_file_is_written_and_a_later_import_replaces_the_same_district_and_date():
    first = run(GOOD, "15.02.02,2017-10-01,2000,1500,1000")
    assert first.ok and first.rows_written == 2
    second = run("15.02.01,2017-09-01,1000,700,650", "15.02.01,2017-10-15,1000,720,660")
    assert second.ok
    reports = RecordingReport.objects.filter(district__code="15.02.01").order_by("date")
    assert [(r.date, r.recorded, r.printed) for r in reports] == [
        (date(2017, 9, 1), 700, 650),
        (date(2017, 10, 15), 720, 660),
    ]
    assert RecordingReport.objects.count() == 3


def test_blank_lines_are_skipped_and_line_numbers_still_count_them():
    result = run(GOOD, "", "  ", "99.99.99,2017-10-01,10,5,1")
    assert only_error(result)["line"] == 5
    assert result.rows_total == 2


def test_quotes_spaces_and_crlf_around_values_are_ignored():
    source = io.BytesIO(
        b"\xef\xbb\xbfdistrict_code,date,obliged,recorded,printed\r\n"
        b'"15.02.01", 2017-10-01 ,"1000",600,550\r\n'
    )
    result = import_file(source, fmt="csv", today=date(2017, 10, 31))
    assert result.ok, result.errors
    assert RecordingReport.objects.get().recorded == 600


def test_a_file_that_is_not_utf8_is_refused_at_the_first_bad_line():
    source = io.BytesIO(
        b"district_code,date,obliged,recorded,printed\n15.02.01,2017-10-01,1,1,1\n\xff\xfe,x\n"
    )
    result = import_file(source, fmt="csv", today=date(2017, 10, 31))
    assert only_error(result) == {"line": 3, "field": None, "code": "not_utf8", "params": {}}


HEADER = b"district_code,date,obliged,recorded,printed\n"
ROW = b"15.02.01,2017-10-01,1000,600,550\n"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # A long line inside the file, whole in one block: named, nothing written.
        (ROW + b"15.02.02," + b"9" * 5000 + b",10,5,1\n" + ROW, 3),
        # A file with no line break after the header: refused before it is held whole
        # (the reader's blocks are 4 MiB; the line is longer than one).
        (b"x" * (5 * 1024 * 1024), 2),
    ],
)
def test_a_line_too_long_to_be_a_report_line_is_refused_with_its_number(body, line):
    result = import_file(io.BytesIO(HEADER + body), fmt="csv", today=date(2017, 10, 31))
    assert only_error(result) == {
        "line": line,
        "field": None,
        "code": "line_too_long",
        "params": {"limit": 4096},
    }
    assert not RecordingReport.objects.exists()
    assert "bukan baris laporan perekaman" in bilingual(only_error(result))


def test_a_line_that_would_end_a_copy_is_just_a_bad_line():
    result = run(GOOD, "\\.", "15.02.02,2017-10-01,10,5,1")
    assert only_error(result) == {
        "line": 3,
        "field": None,
        "code": "column_count",
        "params": {"expected": 5, "found": 1},
    }


def test_an_unreadable_workbook_is_refused():
    result = import_file(io.BytesIO(b"not a zip"), fmt="xlsx")
    assert only_error(result)["code"] == "unreadable"


def test_the_listed_errors_are_capped_but_all_are_counted(settings):
    settings.RECORDING_IMPORT_MAX_LISTED_ERRORS = 5
    result = run(*[f"99.99.{i:02},2017-10-01,10,5,1" for i in range(12)])
    assert result.error_count == 12
    assert [e["line"] for e in result.errors] == [2, 3, 4, 5, 6]


def test_progress_is_reported_as_the_file_streams():
    seen = []
    run(GOOD, "15.02.02,2017-10-01,10,5,1", on_progress=seen.append)
    assert seen and seen[-1] == 2


def _write_statements(captured):
    return [q["sql"] for q in captured if "compliance_recordingreport" in q["sql"]]


def test_a_good_file_with_nothing_standing_in_its_dates_is_copied_in_on_postgresql():
    # PostgreSQL's bulk path (recording_import_staging): one probe for reports standing
    # in the file's dates, then COPY instead of the upsert; SQLite writes with the upsert.
    with CaptureQueriesContext(connection) as captured:
        result = run(GOOD, "15.02.02,2017-10-01,2000,1500,1000")
    assert result.ok and result.rows_written == 2
    statements = _write_statements(captured.captured_queries)
    if connection.vendor == "postgresql":
        assert [sql.split()[0] for sql in statements] == ["SELECT", "COPY"]
        assert statements[1].startswith("COPY compliance_recordingreport")
    else:
        assert len(statements) == 1 and statements[0].lstrip().startswith("INSERT")
    assert RecordingReport.objects.count() == 2


def test_a_report_written_after_the_probe_is_replaced_all_the_same(monkeypatch):
    # Another import may write into the span between the probe and the COPY: the COPY
    # stops at the unique index, rolls back, and the upsert replaces the report.
    run(GOOD)
    monkeypatch.setattr(Staging, "_standing", lambda self: False)
    result = run("15.02.01,2017-09-01,1000,700,650", "15.02.02,2017-09-01,10,5,1")
    assert result.ok and result.rows_written == 2
    assert RecordingReport.objects.get(district__code="15.02.01").recorded == 700
    assert RecordingReport.objects.count() == 2
