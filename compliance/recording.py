"""e-KTP recording realisation (recorded / obliged) for a district, regency, province or the
whole country at any date, summed in the database.

A district's figure at a date is its latest report on or before that date; a region's is
the sum over its districts. Districts without a report by then count for nothing (and a
region none of whose districts has one has no figure: None).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import OuterRef, Subquery, Sum

from .errors import InvalidInput, NotFound
from .messages import Message
from .models import District, Province, RecordingReport, Regency, Scope
from .offices import active_offices

FIGURES = ("obliged", "recorded", "printed")


def percent(recorded, obliged):
    """recorded / obliged as a percentage with two decimals, None without data."""
    if not obliged or recorded is None:
        return None
    value = Decimal(recorded) * 100 / Decimal(obliged)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _latest(field, at):
    """The figure of the district's latest report on or before `at` (for a District row:
    one backward step on the unique (district, date) index)."""
    reports = RecordingReport.objects.filter(district=OuterRef("pk"), date__lte=at)
    return Subquery(reports.order_by("-date").values(field)[:1])


def _district_sums(at):
    """{obliged: Sum(...), ...} over a District queryset, each at its latest report."""
    return {field: Sum(_latest(field, at)) for field in FIGURES}


def districts_in(region_code=None):
    """The districts of the country (None), a province ("15"), a regency ("15.02") or one
    district ("15.02.01")."""
    if region_code is None:
        return District.objects.all()
    parts = region_code.split(".")
    if len(parts) == 1:
        return District.objects.filter(regency__province__code=region_code)
    if len(parts) == 2:
        return District.objects.filter(regency__code=region_code)
    return District.objects.filter(code=region_code)


def realisation(at, region_code=None):
    """{obliged, recorded, printed, realisation} at the date for the country (None), a
    province ("15"), a regency ("15.02") or a district ("15.02.01"), in one query;
    realisation is a percentage (Decimal, 0-100) or None without data."""
    totals = districts_in(region_code).aggregate(**_district_sums(at))
    return {**totals, "realisation": percent(totals["recorded"], totals["obliged"])}


def _region_annotations(region_field, at, fields=FIGURES):
    """Subqueries summing, per row of the outer queryset, its districts at `at` (each of
    `fields`: building one costs about a millisecond of the ORM's time)."""
    annotations = {}
    for field in fields:
        districts = District.objects.filter(**{region_field: OuterRef("pk")})
        summed = districts.values(region_field).annotate(total=Sum(_latest(field, at)))
        annotations[field] = Subquery(summed.values("total"))
    return annotations


def regency_realisation(at, regencies=None):
    """Regencies (all, or the given queryset) annotated with obliged, recorded and printed
    at the date (None without data), in one query whatever their number."""
    regencies = Regency.objects.all() if regencies is None else regencies
    return regencies.annotate(**_region_annotations("regency", at))


def province_realisation(at, provinces=None):
    """Provinces annotated like regency_realisation()."""
    provinces = Province.objects.all() if provinces is None else provinces
    return provinces.annotate(**_region_annotations("regency__province", at))


def _region_condition(region_code):
    if region_code is None:
        return "", []
    if region_code.count(".") == 2:
        return "AND d.code = %s", [region_code]
    return "AND d.code LIKE %s", [f"{region_code}.%"]


# Each report minus the previous one of its district, summed per date and run forward:
# at every date, the sum over districts of their latest report. One pass, any database.
_SERIES_SQL = """
WITH changes AS (
    SELECT r.date AS day,
           r.obliged - COALESCE(LAG(r.obliged) OVER w, 0) AS obliged,
           r.recorded - COALESCE(LAG(r.recorded) OVER w, 0) AS recorded,
           r.printed - COALESCE(LAG(r.printed) OVER w, 0) AS printed
    FROM compliance_recordingreport r
    JOIN compliance_district d ON d.id = r.district_id
    WHERE r.date <= %s {region}
    WINDOW w AS (PARTITION BY r.district_id ORDER BY r.date)
), per_day AS (
    SELECT day, SUM(obliged) AS obliged, SUM(recorded) AS recorded, SUM(printed) AS printed
    FROM changes GROUP BY day
), running AS (
    SELECT day,
           SUM(obliged) OVER (ORDER BY day) AS obliged,
           SUM(recorded) OVER (ORDER BY day) AS recorded,
           SUM(printed) OVER (ORDER BY day) AS printed
    FROM per_day
)
SELECT day, obliged, recorded, printed FROM running WHERE day >= %s ORDER BY day
"""


def realisation_series(region_code, *, start, end):
    """[{date, obliged, recorded, printed, realisation}] for every date between start and
    end (inclusive) on which a district of the region reported, in one query."""
    if start > end:
        raise InvalidInput(Message("from_after_to"), errors={"from": ["must not be after 'to'"]})
    region, params = _region_condition(region_code)
    with connection.cursor() as cursor:
        cursor.execute(_SERIES_SQL.format(region=region), [end, *params, start])
        rows = cursor.fetchall()
    return [
        {
            "date": _as_date(day),
            "obliged": int(obliged),
            "recorded": int(recorded),
            "printed": int(printed),
            "realisation": percent(recorded, obliged),
        }
        for day, obliged, recorded, printed in rows
    ]


def _as_date(value):
    # SQLite hands back the ISO text Django stored.
    return value if isinstance(value, date) else date.fromisoformat(value)


def residents_affected(regencies, at):
    """{regency pk: obliged population at `at`} for the given regencies, in one query: the
    residents a cut of the regency's network to the centre leaves without services."""
    rows = regency_realisation(at, Regency.objects.filter(pk__in=[r.pk for r in regencies]))
    return dict(rows.values_list("pk", "obliged"))


def get_visible_region(user, code):
    """{code, name, level} of the province, regency or district, when the user's offices
    cover all of it (a regent sees his regency and its districts, not the province);
    NotFound otherwise, as if it did not exist."""
    offices = active_offices(user)
    level = {1: "province", 2: "regency", 3: "district"}[code.count(".") + 1]
    if level == "province":
        region = Province.objects.filter(code=code).first()
        visible = region is not None and any(
            o.scope == Scope.NATIONAL or (o.scope == Scope.PROVINCE and o.province_id == region.pk)
            for o in offices
        )
    else:
        model = Regency if level == "regency" else District
        region = (
            model.objects.select_related(*(["regency"] if level == "district" else []))
            .filter(code=code)
            .first()
        )
        regency = region if level == "regency" else region and region.regency
        visible = region is not None and any(o.covers(regency) for o in offices)
    if not visible:
        raise NotFound(Message("region_not_found", code=code))
    return {"code": region.code, "name": region.name, "level": level}
