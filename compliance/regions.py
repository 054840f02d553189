"""Loading the official region list shipped in compliance/data/idn-area-data/.

The copied source files stay unchanged; corrections live in compliance/data/overrides/
(one CSV per source file: code, field, value, source) and are applied as the files are
read. An override that names an unknown code or column, or that repeats what the source
already says, stops the load with a message naming it (the source was updated: review it).
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import District, Province, Regency, RegencyKind, TimeZone

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data"
OVERRIDES_DIR = Path(__file__).resolve().parent / "data" / "overrides"
OVERRIDE_COLUMNS = ["code", "field", "value", "source"]

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


class RegionOverrideError(ValueError):
    """An override in compliance/data/overrides/ that cannot be applied."""


def _csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def read_overrides(filename, overrides_dir=None):
    """The overrides for one source file: [(line, {code, field, value, source})]."""
    path = Path(overrides_dir or OVERRIDES_DIR) / filename
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != OVERRIDE_COLUMNS:
            raise RegionOverrideError(
                f"{path}: kolom harus {','.join(OVERRIDE_COLUMNS)} / "
                f"the columns must be {','.join(OVERRIDE_COLUMNS)} (found {reader.fieldnames})"
            )
        return [(reader.line_num, dict(row)) for row in reader]


def apply_overrides(rows, filename, overrides_dir=None):
    """The source rows of `filename` with its overrides applied (in place); every override
    must name a known code and column, change something, and say where its value is from."""
    by_code = {row["code"]: row for row in rows}
    columns = set(rows[0]) - {"code"} if rows else set()
    path = Path(overrides_dir or OVERRIDES_DIR) / filename
    for line, override in read_overrides(filename, overrides_dir):
        code, field, value = override["code"], override["field"], override["value"]
        where = f"{path}, baris / line {line}"
        row = by_code.get(code)
        if row is None:
            raise RegionOverrideError(
                f"{where}: kode {code!r} tidak ada di {filename} / "
                f"code {code!r} is not in {filename}"
            )
        if field not in columns:
            raise RegionOverrideError(
                f"{where}: kolom {field!r} tidak ada di {filename} (boleh: "
                f"{', '.join(sorted(columns))}) / column {field!r} is not in {filename}"
            )
        if not (override["source"] or "").strip():
            raise RegionOverrideError(
                f"{where}: sumber koreksi {code} wajib diisi / the override of {code} "
                "must give its source"
            )
        if row[field] == value:
            raise RegionOverrideError(
                f"{where}: {filename} sudah berisi {value!r} untuk {code}; hapus koreksi ini / "
                f"{filename} already holds {value!r} for {code}; remove this override"
            )
        row[field] = value
    return rows


def _read(filename, overrides_dir=None):
    return apply_overrides(_csv(DATA_DIR / filename), filename, overrides_dir)


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


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def load_regions(*, overrides_dir=None) -> LoadResult:
    """Load or update the regions from the source files with their overrides
    (`overrides_dir`: default compliance/data/overrides/)."""
    provinces, regencies, districts = (
        _read(name, overrides_dir) for name in ("provinces.csv", "regencies.csv", "districts.csv")
    )
    created, updated = {}, {}
    created["provinces"], updated["provinces"] = _sync(
        Province,
        provinces,
        ["name", "time_zone"],
        lambda r: Province(
            code=r["code"], name=r["name"], time_zone=time_zone_for_province(r["code"])
        ),
    )
    province_ids = dict(Province.objects.values_list("code", "id"))
    created["regencies"], updated["regencies"] = _sync(
        Regency,
        regencies,
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
        districts,
        ["name", "regency_id"],
        lambda r: District(
            code=r["code"], name=r["name"], regency_id=regency_ids[r["regency_code"]]
        ),
    )
    from .offices import ensure_head_of_region_offices

    created["head-of-region offices"] = ensure_head_of_region_offices()
    updated["head-of-region offices"] = 0
    return LoadResult(created, updated)
