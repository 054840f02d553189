"""Where a signatory office sits: the city on the place line of its letters.

The Minister signs in Jakarta; a governor in his province's seat (workflow/data/seats.csv,
38 provinces, with the source of each row: see workflow/data/README.md)."""

import csv
import zoneinfo
from functools import cache
from pathlib import Path

from compliance.models import OfficeKind

SEATS_FILE = Path(__file__).parent / "data" / "seats.csv"
MINISTRY_SEAT = "Jakarta"
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


@cache
def seats():
    """{province code: seat}, read once per process."""
    with SEATS_FILE.open(encoding="utf-8", newline="") as f:
        return {row["province_code"]: row["seat"] for row in csv.DictReader(f)}


def seat_of(office):
    """The city on `office`'s letters; a province missing from the data is an error (a
    new province needs its row), never a guess."""
    if office.kind != OfficeKind.GOVERNOR:
        return MINISTRY_SEAT
    code = office.province.code
    try:
        return seats()[code]
    except KeyError:
        raise LookupError(
            f"Ibu kota provinsi {code} tidak ada di {SEATS_FILE.name} / "
            f"no seat for province {code} in {SEATS_FILE.name}"
        ) from None


def zone_of(office):
    """The time zone of `office`'s seat: its province's, or WIB for the ministry."""
    return office.province.zoneinfo if office.province_id else WIB
