"""Plausible recording reports for demos, tests and benchmarks.

Each district gets its own curve, drawn from the seed and its code (so a district's
figures do not depend on which others are generated): an obliged population growing a
little every year, a recorded share closing the gap to 100 % exponentially, and a printed
share of the recorded. All three only grow, so printed <= recorded <= obliged at every
date and a later report never goes backwards.
"""

import math
import random
from dataclasses import dataclass
from datetime import timedelta

HEADER = ("district_code", "date", "obliged", "recorded", "printed")
XLSX_MAX_ROWS = 1_048_576 - 1  # a sheet's rows, less the header


@dataclass(frozen=True)
class Curve:
    obliged: int  # at the start date
    growth: float  # share of obliged added per year
    share: float  # recorded / obliged at the start date
    rate: float  # per day: the gap to 100 % shrinks as exp(-rate * days)
    printed: float  # printed / recorded

    def at(self, days):
        obliged = int(self.obliged * (1 + self.growth * days / 365))
        recorded = int(obliged * (1 - (1 - self.share) * math.exp(-self.rate * days)))
        return obliged, recorded, int(recorded * self.printed)


def curve(code, seed, *, share=None, target=None, target_days=None):
    """The district's curve. `share` (at the start) and `target` (after target_days) pin
    its path, give or take two points; otherwise both are drawn."""
    rng = random.Random(f"{seed}:{code}")  # noqa: S311 - plausible data, not secrets
    obliged = int(min(200_000, max(2_000, rng.lognormvariate(math.log(20_000), 0.6))))
    growth = rng.uniform(0.005, 0.02)
    printed = rng.uniform(0.90, 0.98)
    if share is None:
        start = rng.uniform(0.60, 0.95)
        rate = math.log(2) / rng.uniform(180, 720)  # the gap halves in six months to two years
    else:
        start = min(0.99, max(0.0, share + rng.uniform(-0.02, 0.02)))
        end = min(0.995, max(start + 0.001, target + rng.uniform(-0.02, 0.02)))
        rate = math.log((1 - start) / (1 - end)) / target_days
    return Curve(obliged=obliged, growth=growth, share=start, rate=rate, printed=printed)


def dates(start, end, every=1):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=every)


def reports(curves, start, end, every=1):
    """(code, date, obliged, recorded, printed) for every date (then every district), in
    the order a national daily file lists them."""
    for day in dates(start, end, every):
        days = (day - start).days
        for code, c in curves:
            yield (code, day, *c.at(days))


def write_csv(rows, out):
    """Write the rows to a text stream; returns their number."""
    out.write(",".join(HEADER) + "\n")
    count = 0
    for code, day, obliged, recorded, printed in rows:
        out.write(f"{code},{day.isoformat()},{obliged},{recorded},{printed}\n")
        count += 1
    return count


def write_xlsx(rows, path):
    """Write the rows to an XLSX file through openpyxl's streaming writer."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("recording")
    sheet.append(HEADER)
    count = 0
    for row in rows:
        count += 1
        if count > XLSX_MAX_ROWS:
            raise ValueError(f"an XLSX sheet holds at most {XLSX_MAX_ROWS} rows")
        sheet.append(row)
    workbook.save(path)
    return count
