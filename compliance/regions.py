"""Loading the official region list shipped in compliance/data/idn-area-data/."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import District, Province, Regency, RegencyKind, TimeZone

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data"

# Provinces outside WIB (UU/Keppres on the three time zones of Indonesia).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def time_zone_for_province(code: str) -> str:
    if code in _WIT:
        return TimeZone.WIT
    if code in _WITA:
        return TimeZone.WITA
    return TimeZone.WIB


def kind_for_regency_name(name: str) -> str:
    return RegencyKind.KOTA if name.startswith("Kota ") else RegencyKind.KABUPATEN


def _read(filename):
    with open(DATA_DIR / filename, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass
class LoadResult:
    created: dict
    updated: dict

    @property
    def changed(self):
        return any(self.created.values()) or any(self.updated.values())


def _sync(model, rows, fields, make):
    """Insert missing rows and update changed ones, in bulk; return (created, updated)."""
    existing = {obj.code: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        wanted = make(row)
        current = existing.get(wanted.code)
        if current is None:
            to_create.append(wanted)
        elif any(getattr(current, f) != getattr(wanted, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(wanted, f))
            to_update.append(current)
    model.objects.bulk_create(to_create, batch_size=2000)
    model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(to_create), len(to_update)


@transaction.atomic
def load_regions() -> LoadResult:
    created, updated = {}, {}
    created["provinces"], updated["provinces"] = _sync(
        Province,
        _read("provinces.csv"),
        ["name", "time_zone"],
        lambda r: Province(
            code=r["code"], name=r["name"], time_zone=time_zone_for_province(r["code"])
        ),
    )
    province_ids = dict(Province.objects.values_list("code", "id"))
    created["regencies"], updated["regencies"] = _sync(
        Regency,
        _read("regencies.csv"),
        ["name", "kind", "province_id"],
        lambda r: Regency(
            code=r["code"],
            name=r["name"],
            kind=kind_for_regency_name(r["name"]),
            province_id=province_ids[r["province_code"]],
        ),
    )
    regency_ids = dict(Regency.objects.values_list("code", "id"))
    created["districts"], updated["districts"] = _sync(
        District,
        _read("districts.csv"),
        ["name", "regency_id"],
        lambda r: District(
            code=r["code"], name=r["name"], regency_id=regency_ids[r["regency_code"]]
        ),
    )
    from .offices import ensure_head_of_region_offices

    created["head-of-region offices"] = ensure_head_of_region_offices()
    updated["head-of-region offices"] = 0
    return LoadResult(created, updated)
