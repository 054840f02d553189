"""The realisation read model: the figures of every regency, province and the country at
a date, with the laggards, computed once when the reports change and read by the pages.

What is stored is the output of the functions that compute the figures per request
(compliance.recording.regency_realisation at the date and on 1 January, and
compliance.laggards.judge_all, the laggard rule); provinces and the country are the sums
of their regencies, as a region's figure is the sum of its districts'. Nothing of the
rule is written again here.

A stored snapshot is keyed by its date, the reports' version (raised by a database
trigger on every statement that writes reports: compliance migration 0013) and the
rule's floor and tolerance. A reader asking for a key that is not stored computes it
once (under a PostgreSQL advisory lock, so that concurrent readers wait for the first
instead of all computing) and stores it; the recording import refreshes the latest day's
figures as it ends (compliance.recording_jobs), so readers rarely compute. A new day,
asked for, is another key: its laggards are judged against the path on that day."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    BigIntegerField,
    Exists,
    F,
    Max,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import compiled
from .laggards import Laggard, _percent, expected_on_path, judge_all
from .models import (
    RealisationSnapshot,
    RealisationSummary,
    RecordingReport,
    RecordingVersion,
    Regency,
    SummaryLevel,
)
from .recording import _region_annotations, percent, regency_realisation

logger = logging.getLogger(__name__)

# Snapshots kept per version: the latest day's and the other days readers asked for.
KEEP = 12
# Snapshots of an older version are dropped this long after they were computed.
GRACE = dt.timedelta(minutes=10)
_LOCK_KEY = 0x454B5450  # "EKTP": the advisory lock serialising the computations


def _rule():
    return (
        Decimal(str(settings.LAGGARD_FLOOR_PERCENT)),
        Decimal(str(settings.LAGGARD_TOLERANCE_POINTS)),
    )


def current_version():
    row = RecordingVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return row or 0


@dataclass
class Snapshot:
    """A stored snapshot and the reading of its rows."""

    record: RealisationSnapshot

    @property
    def at(self):
        return self.record.as_of

    def rows(self, condition=None):
        rows = RealisationSummary.objects.filter(snapshot=self.record)
        if condition is not None:
            rows = rows.filter(condition)
        return rows.select_related("province", "regency__province")

    def read(self, condition=None, **annotations):
        """[row] of the rows matching `condition`, with `annotations`."""
        if self.record.latest_report is None:
            return []  # stored without any report: no rows
        return list(self.rows(condition).annotate(**annotations))


class Asked:
    """The figures at a day asked for (None: the latest report's day), found with the
    first rows read: one query when they are stored (the rows joined to their snapshot's
    key), else the snapshot found or computed (snapshot()), then its rows."""

    def __init__(self, at=None):
        self.asked, self._found = at, None

    @property
    def found(self):
        if self._found is None:
            self._found = snapshot(self.asked)
        return self._found

    @property
    def record(self):
        return self.found.record

    @property
    def at(self):
        return self.found.at

    def rows(self, condition=None):
        return self.found.rows(condition)

    def read(self, condition=None, **annotations):
        if self._found is None:
            floor, tolerance = _rule()
            day = F("snapshot__latest_report") if self.asked is None else self.asked
            rows = RealisationSummary.objects.filter(
                snapshot__version=_version(),
                snapshot__floor=floor,
                snapshot__tolerance=tolerance,
                snapshot__as_of=day,
            )
            if condition is not None:
                rows = rows.filter(condition)
            related = ("snapshot", "province", "regency__province")
            found = list(rows.select_related(*related).annotate(**annotations))
            if found:
                self._found = Snapshot(found[0].snapshot)
                return found
        return self.found.read(condition, **annotations)


def _version():
    """The reports' version, as an expression (0 before any report was written)."""
    row = RecordingVersion.objects.filter(pk=1).values("version")
    return Coalesce(Subquery(row), Value(0), output_field=BigIntegerField())


def snapshot(at=None):
    """The figures at `at` (default: the latest report's day, else today): one query
    when they are stored, else computed once and stored."""
    floor, tolerance = _rule()
    found = RealisationSnapshot.objects.filter(version=_version(), floor=floor, tolerance=tolerance)
    if at is not None:
        found = found.filter(as_of=at)
    for record in found.order_by("-computed_at", "-pk")[:KEEP]:
        if record.as_of == (at or record.latest_report or timezone.localdate()):
            return Snapshot(record)
    return Snapshot(refresh(at))


def latest_day():
    """The latest report's day (None without reports), for pages that show a date but
    not the stored figures: one query when a snapshot of the current version knows it or
    no report was ever written (the trigger creates the version row with the first), one
    more from the reports otherwise."""
    floor, tolerance = _rule()
    snapshots = RealisationSnapshot.objects.filter(
        version=OuterRef("version"), floor=floor, tolerance=tolerance
    )
    row = (
        RecordingVersion.objects.filter(pk=1)
        .annotate(known=Exists(snapshots), latest=Subquery(snapshots.values("latest_report")[:1]))
        .values_list("known", "latest")
        .first()
    )
    if row is None:
        return None
    known, latest = row
    if known:
        return latest
    return RecordingReport.objects.aggregate(latest=Max("date"))["latest"]


def refresh(at=None):
    """Compute and store the figures at `at` (default: the latest report's day) for the
    current version, unless another process just did; returns the snapshot record."""
    floor, tolerance = _rule()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        version = current_version()
        known = RealisationSnapshot.objects.filter(version=version).first()
        latest = (
            known.latest_report
            if known is not None
            else RecordingReport.objects.aggregate(latest=Max("date"))["latest"]
        )
        day = at or latest or timezone.localdate()
        existing = RealisationSnapshot.objects.filter(
            version=version, as_of=day, floor=floor, tolerance=tolerance
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                record = RealisationSnapshot.objects.create(
                    as_of=day,
                    version=version,
                    floor=floor,
                    tolerance=tolerance,
                    latest_report=latest,
                )
                if latest is not None:
                    RealisationSummary.objects.bulk_create(summary_rows(record), batch_size=1000)
        except IntegrityError:  # stored meanwhile by another process (SQLite: no lock)
            return RealisationSnapshot.objects.get(
                version=version, as_of=day, floor=floor, tolerance=tolerance
            )
        _prune(version, floor, tolerance)
    return record


def _prune(version, floor, tolerance):
    """Drop the snapshots of other versions and rules, once no reader who found one a
    moment ago can still be reading its rows, and the oldest beyond KEEP of this one."""
    stale = RealisationSnapshot.objects.exclude(
        version=version, floor=floor, tolerance=tolerance
    ).filter(computed_at__lt=timezone.now() - GRACE)
    keep = RealisationSnapshot.objects.filter(
        version=version, floor=floor, tolerance=tolerance
    ).order_by("-computed_at", "-pk")
    old = list(stale.values_list("pk", flat=True)) + list(keep.values_list("pk", flat=True)[KEEP:])
    if old:
        RealisationSummary.objects.filter(snapshot__in=old).delete()
        RealisationSnapshot.objects.filter(pk__in=old).delete()


def summary_rows(record):
    """The unsaved rows of a snapshot: every regency (figures at the date and on
    1 January, the laggard verdict), every province with a regency, and the country."""
    at = record.as_of
    now = list(regency_realisation(at).select_related("province").order_by("code"))
    then = list(regency_realisation(dt.date(at.year, 1, 1)))
    verdicts = {r.pk: reason for r, _value, _start, reason, _exp in judge_all(at, now, then)}
    starts = {r.pk: r for r in then}
    common = {"snapshot": record, "as_of": at, "computed_at": record.computed_at}
    rows, provinces = [], {}
    country = _Sums()
    for r in now:
        start = starts.get(r.pk)
        figures = {
            "obliged": r.obliged,
            "recorded": r.recorded,
            "printed": r.printed,
            "start_obliged": start.obliged if start else None,
            "start_recorded": start.recorded if start else None,
        }
        reason = verdicts.get(r.pk) or ""
        rows.append(
            RealisationSummary(
                level=SummaryLevel.REGENCY,
                regency=r,
                province_id=r.province_id,
                share=percent(r.recorded, r.obliged),
                lagging=bool(reason),
                reason=reason,
                **figures,
                **common,
            )
        )
        provinces.setdefault(r.province_id, _Sums()).add(figures)
        country.add(figures)
    for province_id, sums in provinces.items():
        rows.append(
            RealisationSummary(
                level=SummaryLevel.PROVINCE, province_id=province_id, **sums.fields(), **common
            )
        )
    rows.append(RealisationSummary(level=SummaryLevel.COUNTRY, **country.fields(), **common))
    return rows


class _Sums:
    """A region's figures: the sums of its regencies' (None when none has any)."""

    NAMES = ("obliged", "recorded", "printed", "start_obliged", "start_recorded")

    def __init__(self):
        self.values = dict.fromkeys(self.NAMES)

    def add(self, figures):
        for name in self.NAMES:
            if figures[name] is not None:
                self.values[name] = (self.values[name] or 0) + figures[name]

    def fields(self):
        v = self.values
        return {**v, "share": percent(v["recorded"], v["obliged"])}


def laggard(row):
    """The compliance.laggards.Laggard of a stored lagging regency row, as find_laggards
    gives it (the same exact decimals, from the same figures)."""
    regency = row.regency
    regency.obliged, regency.recorded, regency.printed = row.obliged, row.recorded, row.printed
    start = _percent(row.start_recorded, row.start_obliged)
    return Laggard(
        regency=regency,
        realisation=_percent(row.recorded, row.obliged),
        expected=expected_on_path(start, row.as_of),
        start=start,
        reason=row.reason,
        obliged=row.obliged,
        recorded=row.recorded,
    )


def residents_affected(regencies, at):
    """{regency pk: obliged population at `at`} for the given regencies, as
    compliance.recording.residents_affected gives it: read from the stored snapshot of the
    latest report's day when it is stored and that day is not after `at` (no report after
    it changes a figure), in one query, the usual case (every import ends by storing it);
    else, or for a regency the snapshot lacks, computed from the reports in a second.
    Two plain queries, not one: the ORM took longer to build the one that did both (a
    CASE over three subqueries, ~4 ms) than the database to run it.

    The stored rows are read by the regencies' range of ids, the rows between left out
    here: with `IN` over a page's 100 ids, PostgreSQL's plan for the prepared statement
    (generic, chosen by its estimates) built the array of 128 parameters again for each of
    the 514 rows it filtered, 1.4 ms; by the range 0.24 ms (docs/benchmarks.md, session
    17). A page's regencies, in code order, were created in that order: the range is
    about the page, and at worst the country's 514 rows."""
    pks = [r.pk for r in regencies]
    if not pks:
        return {}
    floor, tolerance = _rule()
    wanted = set(pks)
    stored = compiled.read(
        "compliance.summary.residents_affected",
        _stored_residents,
        *(at, floor, tolerance, min(pks), max(pks)),
    )
    found = {pk: obliged for pk, obliged in stored if pk in wanted}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        computed = _region_annotations("regency", at, fields=("obliged",))["obliged"]
        computing = Regency.objects.filter(pk__in=missing).annotate(residents=computed)
        found.update(computing.values_list("pk", "residents"))
    return found


def _stored_residents(at, floor, tolerance, low, high):
    stored = RealisationSnapshot.objects.filter(
        version=_version(),
        floor=floor,
        tolerance=tolerance,
        as_of=F("latest_report"),
        as_of__lte=at,
    )
    rows = RealisationSummary.objects.filter(
        snapshot__in=stored, level=SummaryLevel.REGENCY, regency_id__gte=low, regency_id__lte=high
    )
    return rows.values_list("regency_id", "obliged")


def refresh_after_import():
    """The latest day's figures, computed as an import ends so that no reader waits for
    them. Never fails the import: a reader would compute them."""
    try:
        return refresh()
    except Exception:
        logger.exception("recording: the realisation summary could not be refreshed")
        return None
