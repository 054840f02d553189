"""A directive issued to Jambi's eleven regents and mayors, with its outbox rows."""

import datetime as dt

import pytest
import time_machine

from tests.factories import official
from workflow import services

WIB = dt.timezone(dt.timedelta(hours=7))
# A Monday already past when this was written: a worker on the real clock finds the
# notices due at once.
ISSUED = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)
DUE = dt.date(2027, 1, 29)


@pytest.fixture
def at_issue(time_machine):
    """The clock at ISSUED, ticking: the test reads the notices just after they were written."""
    time_machine.move_to(ISSUED)
    return time_machine


def issue_to(scope, *, at=ISSUED, title="Percepatan perekaman KTP-el"):
    """Drafted and issued at `at` (Monday 30 November 2026 unless told), due DUE, whatever
    the clock says when the test runs; its notices are due at once."""
    officer = official("ministry_officer")
    with time_machine.travel(at):  # ticking: a hand-off that retries must see time pass
        directive = services.create_directive(
            actor=officer,
            title=title,
            body="Selesaikan perekaman KTP-el penduduk wajib KTP-el.",
            legal_basis="UU 24/2013 Pasal 63; UU 23/2014 Pasal 67",
            due_date=DUE,
            scope=scope,
        )
        return services.issue_directive(directive=directive, actor=officer, at=at)
