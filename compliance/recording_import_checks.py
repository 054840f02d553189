"""The checks of a recording report's data lines, written once, in Python, for every
database: the column count, each field's verdict (district code, date, the three whole
numbers), the figures' order (printed <= recorded <= obliged). Duplicates need the whole
file: recording_import_staging finds them.

A field's verdict depends only on its text (and the import's `today`), so each distinct
district code and date is judged once per import and remembered (a year of reports for
every district has 2.66 million lines but 7,285 codes and 365 dates; the memories are
bounded, so memory stays flat whatever the file).

check_text() takes a block of lines column by column when it can: the remembered
verdicts of the codes and dates, the numbers matched by one regular expression per
column, the figures' order compared with map() (the same verdicts, rules and comparison,
applied at C speed). A block with anything wrong in it goes line by line through
check_row(), which says what is wrong, where, in column order.
"""

import operator
import re
from datetime import date

from .recording_messages import error

HEADER = ("district_code", "date", "obliged", "recorded", "printed")
NUMBER_FIELDS = ("obliged", "recorded", "printed")
COLUMNS = len(HEADER)
# Around every field: spaces, tabs, a carriage return, and the quotes of a quoted CSV field.
STRIP = ' \t\r"'
NUMBER = "[0-9]{1,9}"  # a whole number (the database's integer holds nine digits)
NUMBER_TEXT = re.compile(NUMBER)
NEGATIVE = re.compile(f"-{NUMBER}")
NUMBER_COLUMN = re.compile(f"(?:{NUMBER}\n)*{NUMBER}")  # a column's numbers, one a line
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BPS_LIKE = re.compile(r"[0-9]{6,7}")
# The figures' order: each (figure, bound) with figure at most its bound.
AT_MOST = operator.le
FIGURE_ORDER = (("recorded", "obliged"), ("printed", "recorded"))
# Distinct texts remembered per field before the memory is emptied and starts again.
REMEMBERED = 1 << 16
NO_ERRORS = ()


class Bad:
    """A field's bad verdict: its error code and parameters, without the line."""

    __slots__ = ("code", "params")

    def __init__(self, code, /, **params):
        self.code = code
        self.params = params


def parse_date(text):
    """The date written YYYY-MM-DD in `text`, or None."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def district_verdict(districts, text):
    """The district's id for the code in `text`, or why not."""
    code = text.strip(STRIP)
    district_id = districts.get(code)
    if district_id is not None:
        return district_id
    if BPS_LIKE.fullmatch(code):
        return Bad("bps_code", code=code, example=f"{code[0:2]}.{code[2:4]}.{code[4:6]}")
    return Bad("unknown_district", code=code)


def day_verdict(today, text):
    """The date in `text` as YYYY-MM-DD (as it is stored), or why not."""
    day = text.strip(STRIP)
    when = parse_date(day)
    if when is None:
        return Bad("malformed_date", value=day)
    if when > today:
        return Bad("future_date", date=day)
    return day


def number_verdict(field, text):
    """The whole number in `text`, or why not."""
    value = text.strip(STRIP)
    if NUMBER_TEXT.fullmatch(value):
        return int(value)
    code = "negative" if NEGATIVE.fullmatch(value) else "malformed_number"
    return Bad(code, field=field, value=value)


def order_errors(line, figures):
    """The figures' order broken, for a line whose three numbers are good."""
    return [
        error(
            line,
            figure,
            f"{figure}_above_{bound}",
            **{figure: figures[figure], bound: figures[bound]},
        )
        for figure, bound in FIGURE_ORDER
        if not AT_MOST(figures[figure], figures[bound])
    ]


class Verdicts(dict):
    """A field's verdicts by text, each judged once (`judge(text)`), at most REMEMBERED."""

    def __init__(self, judge):
        super().__init__()
        self.judge = judge

    def __missing__(self, text):
        if len(self) >= REMEMBERED:
            self.clear()
        verdict = self[text] = self.judge(text)
        return verdict


class Columns:
    """A block's rows when every line is good, column by column as they were checked.
    Iterating gives the rows as check_row() gives them, (line, district_id, date,
    obliged, recorded, printed); `whens` is the dates' column (the staging reads the
    block's span of dates from it)."""

    __slots__ = ("district_ids", "figures", "first_line", "whens")

    def __init__(self, first_line, district_ids, whens, figures):
        self.first_line = first_line
        self.district_ids = district_ids
        self.whens = whens  # YYYY-MM-DD, as stored
        self.figures = figures  # obliged, recorded, printed: a list of ints each

    def __len__(self):
        return len(self.whens)

    def __iter__(self):
        lines = range(self.first_line, self.first_line + len(self))
        return zip(lines, self.district_ids, self.whens, *self.figures, strict=True)


class RowChecker:
    """The checks of one import: its districts (code -> id) and its today."""

    def __init__(self, districts, today):
        self.codes = Verdicts(lambda text: district_verdict(districts, text))
        self.days = Verdicts(lambda text: day_verdict(today, text))

    def check_text(self, first_line, text):
        """(rows, rows kept, errors, data lines) for `text`, whole lines each ending in a
        line break, numbered from first_line: rows as check_row() gives them (none for a
        blank line or one with a bad district or date), an iterable; errors in line and
        column order; blank lines not counted as data."""
        lines = text.count("\n")
        rows = self._all_good(first_line, lines, text)
        if rows is not None:
            return rows, lines, NO_ERRORS, lines
        rows, errors, data_lines = [], [], 0
        for line, line_text in enumerate(text.split("\n")[:lines], start=first_line):
            fields = line_text.split(",")
            if len(fields) == 1 and not line_text.strip(" \t"):
                continue  # a blank line
            data_lines += 1
            row_errors, row = self.check_row(line, fields)
            errors += row_errors
            if row is not None:
                rows.append(row)
        return rows, len(rows), errors, data_lines

    def _all_good(self, first_line, lines, text):
        """The rows of `text` when every line is good as it stands, else None. Split at
        once, a line break kept as a field of its own: the text has five fields a line
        when every sixth field is a line break (and only those: no field holds one)."""
        fields = text.replace("\n", ",\n,").split(",")
        if len(fields) != 6 * lines + 1 or fields[5::6].count("\n") != lines:
            return None
        codes, days, *numbers = (fields[i : 6 * lines : 6] for i in range(COLUMNS))
        del fields
        district_ids = list(map(self.codes.__getitem__, codes))
        whens = list(map(self.days.__getitem__, days))
        if Bad in set(map(type, district_ids)) or Bad in set(map(type, whens)):
            return None
        if not all(NUMBER_COLUMN.fullmatch("\n".join(column)) for column in numbers):
            return None
        figures = dict(zip(NUMBER_FIELDS, ([*map(int, c)] for c in numbers), strict=True))
        for figure, bound in FIGURE_ORDER:
            if not all(map(AT_MOST, figures[figure], figures[bound])):
                return None
        return Columns(first_line, district_ids, whens, list(figures.values()))

    def check_row(self, line, fields):
        """(errors, row) for one data line split on commas: the errors in column order,
        the row (line, district_id, date, obliged, recorded, printed) with None for a bad
        number, or None when the district or the date is bad or the line has not five
        columns."""
        if len(fields) != COLUMNS:
            return [error(line, None, "column_count", expected=COLUMNS, found=len(fields))], None
        code, day, *numbers = fields
        verdicts = (
            self.codes[code],
            self.days[day],
            *(number_verdict(f, text) for f, text in zip(NUMBER_FIELDS, numbers, strict=True)),
        )
        errors = [
            error(line, field, verdict.code, **verdict.params)
            for field, verdict in zip(HEADER, verdicts, strict=True)
            if type(verdict) is Bad
        ]
        values = [None if type(v) is Bad else v for v in verdicts]
        figures = dict(zip(NUMBER_FIELDS, values[2:], strict=True))
        if None not in values[2:]:
            errors += order_errors(line, figures)
        return errors, (None if None in values[:2] else (line, *values))
