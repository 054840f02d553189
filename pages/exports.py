"""CSV and XLSX downloads of long lists, in flat memory: rows come from a database
iterator and leave at once (CSV streamed to the client; XLSX through openpyxl's write-only
workbook, which spools its rows to a temporary file). Shared by the directive tracking
page and the auditor's exports.

A table is a header (column titles) and an iterable of rows (lists of plain values).

Every text in a table is data, never a formula, whoever wrote it (a directive's title, a
reason, a username): a spreadsheet must not run `=HYPERLINK(...)` typed into a form. XLSX
cells of text are written as strings (and marked quote-prefixed when they look like a
formula, so that editing the cell keeps it text); in CSV, which has no types, text that
begins like a formula gets a leading apostrophe (OWASP's advice on CSV injection). Numbers
the system writes (ids, counts, levels) stay numbers. The rule lives here alone
(_looks_like_formula, _csv_cell, _xlsx_cell); views only hand over rows."""

import csv
import datetime as dt
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from workflow.selectors import ZONE_LABELS

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500  # rows fetched from the database at a time: bounds the memory an export holds
# What a spreadsheet reads as the start of a formula when it opens a CSV file (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back to the generator."""

    def write(self, value):
        return value


def _cell(value):
    # Instants are written in ISO 8601 with their offset, so that no reader has to guess
    # the zone; spreadsheets get them as text for the same reason (Excel has no zones).
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_cell(value):
    value = _cell(value)
    return f"'{value}" if _looks_like_formula(value) else value


def _xlsx_cell(sheet, value):
    value = _cell(value)
    if isinstance(value, str):
        # Control characters XML cannot hold (a pasted \x07): openpyxl would refuse the whole
        # export; each becomes U+FFFD, visibly replaced, the rest of the text kept.
        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would make a formula of a leading "="
        if _looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def csv_response(filename, header, rows):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a BOM, so that spreadsheets open the file as UTF-8
        yield writer.writerow([_csv_cell(v) for v in header])
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, header, rows, *, title="data"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_xlsx_cell(sheet, v) for v in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )


def table_response(fmt, filename, header, rows, *, title="data"):
    """The table as a download in `fmt` ("csv" or "xlsx")."""
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, title=title)
    return csv_response(filename, header, rows)


def iterate(queryset):
    """Rows from the database a chunk at a time (a server-side cursor on PostgreSQL)."""
    return queryset.iterator(chunk_size=CHUNK)


# --- the tables ------------------------------------------------------------------------


def assignment_header():
    return [
        str(_("Directive")),
        str(_("Directive title")),
        str(_("Office")),
        str(_("Province code")),
        str(_("Province")),
        str(_("Region code")),
        str(_("State")),
        str(_("Issued at")),
        str(_("Acknowledged at")),
        str(_("Submitted at")),
        str(_("Due at")),
        str(_("Time zone")),
        str(_("Overdue")),
        str(_("Escalation level")),
        str(_("Last notification")),
        str(_("Delivery")),
        str(_("Notified at")),
    ]


def assignment_rows(assignments):
    """Rows of assignments annotated by pages.directives.tracking (is_overdue and the
    last notice); instants in the recipient's zone."""
    for a in iterate(assignments):
        tz = a.province.zoneinfo
        yield [
            a.directive_id,
            a.directive.title,
            a.office.title,
            a.province.code,
            a.province.name,
            a.regency.code if a.regency_id else a.province.code,
            a.state,
            _local(a.issued_at, tz),
            _local(a.acknowledged_at, tz),
            _local(a.submitted_at, tz),
            _local(a.due_at, tz),
            ZONE_LABELS[a.province.time_zone],
            bool(a.is_overdue),
            a.escalation_level,
            a.last_notice_template,
            a.last_notice_state,
            _local(a.last_notice_at, tz),
        ]


def transition_header():
    return [
        str(_("At")),
        str(_("Time zone")),
        str(_("Regency code")),
        str(_("Regency")),
        str(_("Province code")),
        str(_("Transition")),
        str(_("From")),
        str(_("To")),
        str(_("Actor")),
        str(_("Office")),
        str(_("Reason")),
    ]


def transition_rows(logs):
    """Rows of compliance TransitionLog entries (select_related regency__province, actor,
    office); `at` in the regency's zone."""
    for log in iterate(logs):
        province = log.regency.province
        yield [
            _local(log.at, province.zoneinfo),
            ZONE_LABELS[province.time_zone],
            log.regency.code,
            log.regency.name,
            province.code,
            log.transition,
            log.from_state,
            log.to_state,
            log.actor.username if log.actor_id else "",
            log.office.title if log.office_id else "",
            log.reason,
        ]


def _local(instant, tz):
    return instant.astimezone(tz) if instant else None
