"""The recording import's checks taken a block at a time (column by column) agree with
check_row() line by line: a block is taken whole only when every line is good as it
stands."""

from datetime import date

import pytest

from compliance.recording_import_checks import RowChecker

DISTRICTS = {"15.02.01": 1, "15.02.02": 2}
TODAY = date(2017, 10, 31)
GOOD = "15.02.01,2017-10-01,10,5,1"


def line_by_line(lines, first_line=2):
    checker = RowChecker(DISTRICTS, TODAY)
    rows, errors = [], []
    for line, text in enumerate(lines, start=first_line):
        if not text.strip(" \t"):
            continue
        row_errors, row = checker.check_row(line, text.split(","))
        errors += row_errors
        rows += [row] if row else []
    return rows, errors


def by_block(lines, first_line=2):
    checker = RowChecker(DISTRICTS, TODAY)
    rows, kept, errors, _ = checker.check_text(first_line, "".join(f"{t}\n" for t in lines))
    rows = list(rows)
    assert kept == len(rows)
    return rows, list(errors)


@pytest.mark.parametrize(
    "lines",
    [
        [GOOD, "15.02.02,2017-10-02,20,20,20"],
        # A line short of a field and one with a field too many: as many commas in all.
        ["15.02.01,2017-10-01,10,5,1,15.02.02", "2017-10-02,20,20,20"],
        ["15.02.01,2017-10-01,10,5", "1,15.02.02,2017-10-02,20,20,20"],
        [GOOD, "", "  ", GOOD],
        ['"15.02.01", 2017-10-01 ,"10",5,1'],
        [
            "15.02.01,2017-10-01,١٠,5,1",
            "15.02.01,2017-10-01,+10,5,1",
            "15.02.01,2017-10-01,1_0,5,1",
        ],
        ["15.02.01,2017-10-01,1234567890,5,1", "15.02.01,2017-10-01,-3,5,1"],
        ["15.02.01,2017-10-01,10,11,1", "15.02.01,2017-10-01,10,5,6"],
        ["1502010,2017-02-30,10,5,1", "15.02.01,2017-11-01,10,5,1"],
    ],
)
def test_a_block_gives_what_its_lines_give_one_by_one(lines):
    assert by_block(lines) == line_by_line(lines)


def test_a_good_block_is_kept_whole_with_its_line_numbers():
    rows, errors = by_block([GOOD, "15.02.02,2017-10-02,20,20,20"], first_line=7)
    assert errors == []
    assert rows == [(7, 1, "2017-10-01", 10, 5, 1), (8, 2, "2017-10-02", 20, 20, 20)]
