"""Recording report files for tests: CSV text or an XLSX workbook, in memory."""

import io
from datetime import date

import openpyxl

from compliance.recording_import import import_file

HEADER = "district_code,date,obliged,recorded,printed"
TODAY = date(2017, 10, 31)


def csv_file(*lines, header=HEADER):
    text = "\n".join([header, *lines] if header is not None else lines) + "\n"
    return io.BytesIO(text.encode("utf-8"))


def xlsx_file(*lines, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in [header, *lines]:
        sheet.append([_cell(v) for v in line.split(",")] if line else [])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _cell(text):
    # Numbers as numbers and dates as dates, as a spreadsheet would hold them.
    if text.isdigit():
        return int(text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def run(*lines, fmt="csv", header=HEADER, today=TODAY, **kwargs):
    source = (xlsx_file if fmt == "xlsx" else csv_file)(*lines, header=header)
    return import_file(source, fmt=fmt, today=today, **kwargs)
