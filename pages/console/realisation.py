"""e-KTP realisation for the console, from compliance.recording (when it exists, issue 7)
and compliance.laggards, the one laggard rule (under the floor and behind the path; the
console marks exactly what the weekly acceleration run acts on). Without recording, or
without any report, the console says "no recording data yet" instead of drawing empty
charts."""

import importlib
import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce

from django.db.models import BooleanField, Case, Max, Q, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_date

from compliance import laggards as laggard_rule
from compliance import summary
from compliance.models import SummaryLevel

from ..charts import TargetBar


def _module(name, *attributes):
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if all(hasattr(module, a) for a in attributes) else None


def recording():
    return _module("compliance.recording", "regency_realisation", "province_realisation")


def latest_report_date():
    try:
        from compliance.models import RecordingReport
    except ImportError:
        return None
    return RecordingReport.objects.aggregate(latest=Max("date"))["latest"]


def _asked(request):
    return parse_date(request.GET.get("at") or "") if request.GET.get("at") else None


def stored(request):
    """The stored figures (compliance.summary) for the day the page shows: ?at=, else the
    latest report's; None without recording. Found with the first rows read
    (stored_figures): one query for both when they are stored."""
    if recording() is None:
        return None
    return summary.Asked(_asked(request))


def as_of(request, figures=None):
    """The day realisation is shown for: ?at=YYYY-MM-DD, else the latest report's date
    (the demo's data is from 2017), else today. `figures`: stored(request), when read."""
    asked = _asked(request)
    if asked:
        return asked
    if recording() is None:
        return timezone.localdate()
    if figures is not None:
        return figures.at
    return summary.latest_day() or timezone.localdate()


def percent(part, whole):
    if part is None or not whole:
        return None
    return float(part) * 100 / float(whole)


def year_path(day, start_value):
    """Where the straight path from `start_value` on 1 January (0 % without a report
    then) to 100 % on 31 December stands on `day`: compliance.laggards' path."""
    start = None if start_value is None else Decimal(str(start_value))
    return float(laggard_rule.expected_on_path(start, day))


@dataclass
class Realisation:
    region: object  # Province or Regency
    obliged: int | None
    recorded: int | None
    printed: int | None
    value: float | None  # percent
    expected: float | None = None
    lagging: bool = False
    reason: str = ""

    @property
    def has_data(self):
        return self.value is not None


def _rows(regions):
    return [
        Realisation(
            region=r,
            obliged=getattr(r, "obliged", None),
            recorded=getattr(r, "recorded", None),
            printed=getattr(r, "printed", None),
            value=percent(getattr(r, "recorded", None), getattr(r, "obliged", None)),
        )
        for r in regions
    ]


def _province_rows(at, provinces, start_by_pk):
    # Provinces without any report yet are left out (the page says how many).
    rows = [row for row in _rows(provinces) if row.has_data]
    for row in rows:
        row.expected = year_path(at, start_by_pk.get(row.region.pk))
    return rows or None


def _regency_rows(at, regencies, start_by_pk, lagging):
    rows = _rows(regencies)
    if not any(row.has_data for row in rows):
        return None
    for row in rows:
        lag = lagging.get(row.region.pk)
        if lag is not None:
            row.lagging, row.reason = True, lag.reason
            row.expected = float(lag.expected) if lag.expected is not None else None
        elif row.has_data:
            row.expected = year_path(at, start_by_pk.get(row.region.pk))
    return rows


def by_province(at, province_ids=None):
    """Realisation per province (all, or the given ids), or None without recording;
    computed from the reports (the pages read `stored_figures`)."""
    module = recording()
    if module is None:
        return None
    provinces = module.province_realisation(at)
    if province_ids is not None:
        provinces = provinces.filter(pk__in=province_ids)
    starts = module.province_realisation(date(at.year, 1, 1))
    start_by_pk = {p.pk: percent(p.recorded, p.obliged) for p in starts}
    return _province_rows(at, provinces.order_by("code"), start_by_pk)


def find_laggards(at, regencies=None):
    """{regency pk: Laggard} from compliance.laggards (of the given regencies, or all)."""
    return {lag.regency.pk: lag for lag in laggard_rule.find_laggards(at, regencies=regencies)}


def by_regency(at, regencies, lagging=None):
    """Realisation of the given regencies (a QuerySet) against their path to the year-end
    target, laggards marked; None without recording data. `lagging`: find_laggards(at)
    when the caller already has it. Computed from the reports (the pages read
    `stored_figures`)."""
    module = recording()
    if module is None:
        return None
    now = module.regency_realisation(at, regencies=regencies).order_by("code")
    starts = module.regency_realisation(date(at.year, 1, 1), regencies=regencies)
    start_by_pk = {r.pk: percent(r.recorded, r.obliged) for r in starts}
    lagging = find_laggards(at, regencies) if lagging is None else lagging
    return _regency_rows(at, list(now), start_by_pk, lagging)


@dataclass
class Figures:
    """What a page shows of the stored figures: by province, by regency, the laggards."""

    provinces: list | None = None
    regencies: list | None = None
    laggards: dict | None = None


def _region(row):
    """The row's province or regency with its figures, as compliance.recording
    annotates them."""
    region = row.regency if row.level == SummaryLevel.REGENCY else row.province
    region.obliged, region.recorded, region.printed = row.obliged, row.recorded, row.printed
    return region


def stored_figures(figures, *, province_ids=None, lagging_in=None, regencies=None):
    """Figures from the stored snapshot `figures` (stored(request), or a
    compliance.summary.Snapshot), in one query: the provinces of `province_ids` (as
    by_province), the laggards among `lagging_in` (a Regency QuerySet; all when None;
    False: none wanted) and the regencies of `regencies` (a QuerySet, as by_regency),
    each only when asked for."""
    if figures is None:
        return Figures()
    regency = Q(level=SummaryLevel.REGENCY)
    lagging = None if lagging_in is False else regency & Q(lagging=True)
    if lagging_in is not None and lagging_in is not False:
        lagging &= Q(regency__in=lagging_in)
    shown = None if regencies is None else regency & Q(regency__in=regencies)
    provinces = None
    if province_ids is not None:
        provinces = Q(level=SummaryLevel.PROVINCE, province_id__in=province_ids)
    wanted = [c for c in (provinces, lagging, shown) if c is not None]
    if not wanted:
        return Figures()
    rows = figures.read(
        reduce(operator.or_, wanted), is_laggard=_flag(lagging), is_shown=_flag(shown)
    )
    rows = sorted(rows, key=lambda r: (r.regency or r.province).code)
    at, result = figures.at, Figures()
    if province_ids is not None:
        chosen = [r for r in rows if r.level == SummaryLevel.PROVINCE]
        result.provinces = _province_rows(
            at, [_region(r) for r in chosen], {r.province_id: _start(r) for r in chosen}
        )
    if lagging_in is not False:
        result.laggards = {r.regency_id: summary.laggard(r) for r in rows if r.is_laggard}
    if regencies is not None:
        chosen = [r for r in rows if r.is_shown]
        marked = {r.regency_id: summary.laggard(r) for r in chosen if r.lagging}
        result.regencies = _regency_rows(
            at, [_region(r) for r in chosen], {r.regency_id: _start(r) for r in chosen}, marked
        )
    return result


def _flag(condition):
    if condition is None:
        return Value(False)
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _start(row):
    return percent(row.start_recorded, row.start_obliged)


def short_name(region):
    """'Tanjung Jabung Barat' for 'Kabupaten Tanjung Jabung Barat'; cities keep 'Kota'."""
    return region.name.removeprefix("Kabupaten ")


def target_bars(rows, label=short_name):
    return [TargetBar(label(r.region), r.value, r.expected, r.lagging) for r in rows]


def regency_series(at, regency):
    """([(report date, percent)] of one regency from 1 January to `at`, its level on
    1 January), or (None, None) without data; two queries."""
    module = recording()
    if module is None or not hasattr(module, "realisation_series"):
        return None, None
    first = date(at.year, 1, 1)
    rows = module.realisation_series(regency.code, start=first, end=at)
    points = [(row["date"], _float(row["realisation"])) for row in rows]
    if not any(v is not None for _, v in points):
        return None, None
    start = _float(module.realisation(first, regency.code).get("realisation"))
    if start is not None and (not points or points[0][0] != first):
        points.insert(0, (first, start))
    return points, start


def _float(value):
    return None if value is None else float(value)
