"""Which regencies lag behind the path to the year-end recording target (numbers only;
workflow.laggards issues the acceleration directives).

The target is 100 % realisation (recorded / obliged) on 31 December. A regency is lagging
at date D when
- its realisation is below the straight path from its level on 1 January of D's year to
  100 % on 31 December by more than LAGGARD_TOLERANCE_POINTS percentage points (reason
  'path'; exactly the tolerance below is not lagging), or
- its realisation is below LAGGARD_FLOOR_PERCENT (reason 'floor', which wins when both
  hold: it does not depend on where the year started).

Missing data:
- no report on or before 1 January: the path starts from 0 % (`start` is None); the
  expectation is then the most lenient one, and the floor still applies;
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
PATH, FLOOR = "path", "floor"


@dataclass(frozen=True)
class Laggard:
    regency: Regency
    realisation: Decimal  # percent, at the date
    expected: Decimal  # percent, on the path at the date
    start: Decimal | None  # percent on 1 January; None without a report then
    reason: str  # 'path' or 'floor'
    obliged: int
    recorded: int


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
    """(reason or None, expected) for one regency's numbers."""
    tolerance = Decimal(str(settings.LAGGARD_TOLERANCE_POINTS if tolerance is None else tolerance))
    floor = Decimal(str(settings.LAGGARD_FLOOR_PERCENT if floor is None else floor))
    expected = expected_on_path(start, at)
    if realisation < floor:
        return FLOOR, expected
    if expected - realisation > tolerance:
        return PATH, expected
    return None, expected


def find_laggards(at, *, regencies=None):
    """The lagging regencies at date `at`, by code: a constant number of queries."""
    now = regency_realisation(at, regencies)
    then = regency_realisation(dt.date(at.year, 1, 1), regencies)
    starts = {r.pk: _percent(r.recorded, r.obliged) for r in then}
    laggards = []
    for r in now.select_related("province").order_by("code"):
        realisation = _percent(r.recorded, r.obliged)
        if realisation is None:
            continue
        start = starts.get(r.pk)
        reason, expected = judge(realisation=realisation, start=start, at=at)
        if reason:
            laggards.append(
                Laggard(
                    regency=r,
                    realisation=realisation,
                    expected=expected,
                    start=start,
                    reason=reason,
                    obliged=r.obliged,
                    recorded=r.recorded,
                )
            )
    return laggards
