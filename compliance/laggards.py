"""Which regencies lag behind the path to the year-end recording target (numbers only;
workflow.laggards keeps their acceleration tracks).

The target is 100 % realisation (recorded / obliged) on 31 December. A regency is lagging
at date D when **both**
- its realisation is below LAGGARD_FLOOR_PERCENT (exactly the floor is not below), and
- its realisation is below the straight path from its level on 1 January of D's year to
  100 % on 31 December by more than LAGGARD_TOLERANCE_POINTS percentage points (exactly
  the tolerance below is not lagging).

A regency under the floor that keeps to its path is catching up as planned; one behind
its path but above the floor is near complete (the last points of a year come slowest).
Neither is flagged: the alarm is for the regencies that are low and falling behind.

This is a ministry policy choice, not a rule of law: no instrument sets the floor, the
tolerance or the straight path. The Directorate General of Dukcapil sets the two figures
(settings LAGGARD_FLOOR_PERCENT, default 80, and LAGGARD_TOLERANCE_POINTS, default 5;
docs/configuration.md) and may change them without a code change.

Missing data:
- no report on or before 1 January: the path starts from 0 % (`start` is None); the
  expectation is then the most lenient one;
- no report on or before D, or nobody obliged: the regency is not judged (not listed).

Realisations are computed in the database by compliance.recording, two queries in all
(D and 1 January); the comparison runs on exact decimals so that the boundary is exact.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from .models import Regency
from .recording import regency_realisation

HUNDRED = Decimal(100)
# Why a regency is listed: under the floor and behind its path (both, always). Notices
# written before issue 14 carry "path" or "floor", when either one sufficed.
FLOOR_AND_PATH = "floor_and_path"


@dataclass(frozen=True)
class Laggard:
    regency: Regency
    realisation: Decimal  # percent, at the date
    expected: Decimal  # percent, on the path at the date
    start: Decimal | None  # percent on 1 January; None without a report then
    reason: str  # FLOOR_AND_PATH; empty for a regency that does not lag (find_standings)
    obliged: int
    recorded: int

    @property
    def lagging(self):
        return bool(self.reason)


def _percent(recorded, obliged):
    if recorded is None or not obliged:
        return None
    return Decimal(recorded) * HUNDRED / Decimal(obliged)


def expected_on_path(start, at):
    """The realisation on the straight line from `start` % on 1 January to 100 % on
    31 December of the same year, at date `at`."""
    first, last = dt.date(at.year, 1, 1), dt.date(at.year, 12, 31)
    base = start if start is not None else Decimal(0)
    elapsed = Decimal((at - first).days) / Decimal((last - first).days)
    return base + (HUNDRED - base) * elapsed


def judge(*, realisation, start, at, tolerance=None, floor=None):
    """(reason or None, expected) for one regency's numbers: FLOOR_AND_PATH when it is
    both under the floor and behind its path by more than the tolerance."""
    tolerance = Decimal(str(settings.LAGGARD_TOLERANCE_POINTS if tolerance is None else tolerance))
    floor = Decimal(str(settings.LAGGARD_FLOOR_PERCENT if floor is None else floor))
    expected = expected_on_path(start, at)
    if realisation < floor and expected - realisation > tolerance:
        return FLOOR_AND_PATH, expected
    return None, expected


def judged(at, *, regencies=None):
    """Every regency with figures at `at` (of the given ones, or all), by code:
    [(regency, realisation, start, reason or None, expected)]; two queries."""
    now = regency_realisation(at, regencies)
    then = regency_realisation(dt.date(at.year, 1, 1), regencies)
    return judge_all(at, now.select_related("province").order_by("code"), then)


def judge_all(at, now, then):
    """judged() on figures already read: `now` the regencies annotated at `at` (in the
    order wanted), `then` on 1 January (compliance.summary stores what this returns)."""
    starts = {r.pk: _percent(r.recorded, r.obliged) for r in then}
    rows = []
    for r in now:
        realisation = _percent(r.recorded, r.obliged)
        if realisation is None:
            continue
        start = starts.get(r.pk)
        reason, expected = judge(realisation=realisation, start=start, at=at)
        rows.append((r, realisation, start, reason, expected))
    return rows


def standing(regency, realisation, start, reason, expected):
    return Laggard(
        regency=regency,
        realisation=realisation,
        expected=expected,
        start=start,
        reason=reason or "",
        obliged=regency.obliged,
        recorded=regency.recorded,
    )


def find_laggards(at, *, regencies=None):
    """The lagging regencies at date `at`, by code: a constant number of queries."""
    return [standing(*row) for row in judged(at, regencies=regencies) if row[3]]


def find_standings(at, *, regencies=None):
    """Every judged regency at `at`, by code, as a Laggard whose `reason` is empty when it
    does not lag (what closes an acceleration track: the figures it caught up with)."""
    return [standing(*row) for row in judged(at, regencies=regencies)]
