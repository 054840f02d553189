"""Reads: downtime per regency, province and country, computed in the database."""

import datetime as dt
from datetime import timedelta
from typing import overload

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Regency, SuspensionPeriod

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
