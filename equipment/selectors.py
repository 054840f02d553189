"""Reads: devices within the caller's jurisdiction, and the per-regency summary (devices
working and out of service, days out of service) aggregated in the database."""

import datetime as dt
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from compliance.errors import NotFound
from compliance.models import Regency
from compliance.permissions import jurisdiction
from compliance.selectors import downtime_days

from .messages import Message
from .models import Breakdown, Device, DeviceStatus, StatusChange

D = DeviceStatus
REGENCY = "district__regency_id"


def visible_devices(user: User | AnonymousUser | None) -> QuerySet[Device]:
    condition = jurisdiction(user, province="district__regency__province_id", regency=REGENCY)
    devices = Device.objects.all() if condition is None else Device.objects.filter(condition)
    return devices.select_related("district__regency")


def devices_for(
    user: User | AnonymousUser | None,
    *,
    regency: str | None = None,
    district: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> QuerySet[Device]:
    devices = visible_devices(user)
    if regency:
        devices = devices.filter(district__regency__code=regency)
    if district:
        devices = devices.filter(district__code=district)
    if status:
        devices = devices.filter(status=status)
    if kind:
        devices = devices.filter(kind=kind)
    return devices.order_by("district__code", "kind", "serial_number")


def get_visible_device(user: User | AnonymousUser | None, pk: int) -> Device:
    try:
        return visible_devices(user).get(pk=pk)
    except Device.DoesNotExist:
        raise NotFound(Message("device_not_found", pk=pk)) from None


def history(device: Device) -> QuerySet[StatusChange]:
    return device.status_changes.select_related("actor", "office").order_by("at", "id")


def _counts(regency_ids: list[int]) -> dict[int, dict[str, int]]:
    def count(*statuses: str) -> Count:
        return Count("id", filter=Q(status__in=statuses))

    rows = (
        Device.objects.filter(district__regency_id__in=regency_ids)
        .values(REGENCY)
        .annotate(
            working=count(D.OPERATIONAL),
            broken=count(D.BROKEN),
            under_repair=count(D.UNDER_REPAIR),
            decommissioned=count(D.DECOMMISSIONED),
        )
    )
    return {row.pop(REGENCY): row for row in rows}


def _out_of_service(regency_ids: list[int], now: dt.datetime) -> dict[int, timedelta]:
    length = ExpressionWrapper(
        Coalesce(F("ended_at"), Value(now)) - F("started_at"), output_field=DurationField()
    )
    key = f"device__{REGENCY}"
    rows = (
        Breakdown.objects.filter(device__district__regency_id__in=regency_ids)
        .annotate(length=length)
        .values(key)
        .annotate(total=Sum("length"))
        .values_list(key, "total")
    )
    return dict(rows)


def equipment_summary(
    regencies: Iterable[Regency], *, now: dt.datetime | None = None
) -> dict[int, dict[str, int | float]]:
    """{regency id: {working, broken, under_repair, decommissioned, out_of_service,
    days_out_of_service}} in two queries, whatever the number of regencies. Days out of
    service: the sum of every breakdown's span, from the report to the repair (or now)."""
    now = now or timezone.now()
    ids = [r.pk for r in regencies]
    counts, downtime = _counts(ids), _out_of_service(ids, now)
    empty = {"working": 0, "broken": 0, "under_repair": 0, "decommissioned": 0}
    summary = {}
    for pk in ids:
        row: dict[str, int | float] = {**empty, **counts.get(pk, {})}
        row["out_of_service"] = row["broken"] + row["under_repair"]
        row["days_out_of_service"] = downtime_days(downtime.get(pk) or timedelta(0))
        summary[pk] = row
    return summary
