"""Reads: downtime per regency, province and country, computed in the database."""

import datetime as dt
from collections import defaultdict
from datetime import timedelta
from typing import Any, overload

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ComplianceState, Province, Regency, SuspensionPeriod
from .permissions import visible_regencies

DAY = timedelta(days=1)


def _downtime(periods: QuerySet[SuspensionPeriod], now: dt.datetime) -> QuerySet[SuspensionPeriod]:
    length = ExpressionWrapper(
        Coalesce(F("ended_at"), Value(now)) - F("started_at"), output_field=DurationField()
    )
    return periods.annotate(length=length)


@overload
def downtime_by(
    key: None,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> timedelta: ...


@overload
def downtime_by(
    key: str,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> dict[str, timedelta]: ...


def downtime_by(
    key: str | None,
    *,
    periods: QuerySet[SuspensionPeriod] | None = None,
    now: dt.datetime | None = None,
) -> timedelta | dict[str, timedelta]:
    """{key value: timedelta} of network downtime, summed over suspension periods.
    key: 'regency__code', 'regency__province__code' or None for the whole country."""
    now = now or timezone.now()
    periods = _downtime(periods if periods is not None else SuspensionPeriod.objects.all(), now)
    if key is None:
        return periods.aggregate(total=Sum("length"))["total"] or timedelta(0)
    rows = periods.values(key).annotate(total=Sum("length")).values_list(key, "total")
    return dict(rows)


def downtime_days(delta: timedelta) -> float:
    return round(delta / DAY, 2)


def regency_downtime(regency: Regency, now: dt.datetime | None = None) -> timedelta:
    return downtime_by(None, periods=SuspensionPeriod.objects.filter(regency=regency), now=now)


# --- what the console counts (pages.console) ----------------------------------------


def state_counts_by_province(user: User | AnonymousUser) -> list[dict[str, Any]]:
    """[{province, counts {state: n}, total}] over the user's jurisdiction, by code, in one
    query (the provinces' fields come with their counts)."""
    fields = ("province_id", "province__code", "province__name", "province__time_zone")
    rows = visible_regencies(user).order_by().values(*fields, "state").annotate(n=Count("id"))
    counts: defaultdict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(ComplianceState.values, 0)
    )
    provinces: dict[int, Province] = {}
    for row in rows:
        pk, code, name, zone = (row[f] for f in fields)
        provinces.setdefault(pk, Province(pk=pk, code=code, name=name, time_zone=zone))
        counts[pk][row["state"]] = row["n"]
    return [
        {"province": p, "counts": counts[p.pk], "total": sum(counts[p.pk].values())}
        for p in sorted(provinces.values(), key=lambda p: p.code)
    ]
