"""Run only by test_the_test_run.py, in a pytest of its own (not collected otherwise)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.project.helpers import run_python


def test_this_process_and_its_children_read_the_given_day():
    assert timezone.localtime().strftime("%Y-%m-%d %H:%M") == "2031-05-05 10:00"  # WIB
    child = run_python("import datetime; print(datetime.date.today())")
    assert child.stdout.strip() == "2031-05-05", child.stderr
    assert dt.datetime.now(dt.UTC).date() == dt.date(2031, 5, 5)


def test_a_skip():
    pytest.skip("not here")
