"""Equipment use cases: registering a device and changing its status.

Every change runs in one transaction: authorise through the caller's office, lock the
device row, run the transition, write the history row, open or end the breakdown period,
and open or close the regency's repair obligation (a system directive in workflow). A
retried request therefore finds either nothing done or everything done; a device already
broken cannot be reported broken again, so one breakdown opens one obligation.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django_fsm import can_proceed

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.models import MINISTRY_KINDS, District, Office, OfficeKind, Regency
from compliance.offices import active_offices
from workflow.models import Assignment, Directive, EscalationPolicy
from workflow.system_directives import (
    complete_system_assignments,
    open_system_directive,
    start_system_assignments,
    withdraw_system_assignments,
)

from .models import (
    OUT_OF_SERVICE,
    Breakdown,
    Device,
    DeviceKind,
    DeviceStatus,
    Funding,
    StatusChange,
)

REPAIR_POLICY = "perbaikan-perangkat"
MANAGING_KINDS = {
    OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.REGENT,
    OfficeKind.MAYOR,
    *MINISTRY_KINDS,
}
TRANSITIONS: dict[str, str] = {
    DeviceStatus.BROKEN: "report_broken",
    DeviceStatus.UNDER_REPAIR: "start_repair",
    DeviceStatus.OPERATIONAL: "mark_repaired",
    DeviceStatus.DECOMMISSIONED: "decommission",
}


def managing_office(user: User | AnonymousUser | None, regency: Regency) -> Office:
    """The office through which the user manages the regency's devices: 404 outside the
    user's jurisdiction, 403 inside it for offices that only read (governors, auditors)."""
    offices = active_offices(user)
    if not any(o.covers(regency) for o in offices):
        raise NotFound(
            f"Kabupaten/kota {regency.code} tidak ditemukan / Regency {regency.code} not found"
        )
    for office in offices:
        if office.kind in MANAGING_KINDS and office.covers(regency):
            return office
    raise NotAllowed(
        "Jabatan Anda hanya dapat melihat perangkat / Your office may only read the equipment"
    )


def _choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        raise InvalidInput(
            f"'{field}' harus salah satu dari {', '.join(choices.values)} / "
            f"'{field}' must be one of {', '.join(choices.values)}",
            errors={field: ["invalid_choice"]},
        )


# durable: the API's use case, never called inside another transaction; it must commit
# when it returns.
@transaction.atomic(durable=True)
def register_device(
    *,
    actor: User,
    district_code: str,
    kind: str,
    serial_number: str | None,
    funded_by: str,
    at: dt.datetime | None = None,
) -> Device:
    """A new device, operational, in the district; its history starts here."""
    district = (
        District.objects.select_related("regency__province").filter(code=district_code).first()
    )
    if district is None:
        raise InvalidInput(
            f"Kode kecamatan '{district_code}' tidak dikenal (contoh: 15.02.01) / "
            f"unknown district code '{district_code}' (e.g. 15.02.01)",
            errors={"district": ["unknown"]},
        )
    office = managing_office(actor, district.regency)
    _choice("kind", kind, DeviceKind)
    _choice("funded_by", funded_by, Funding)
    serial_number = (serial_number or "").strip()
    if not serial_number:
        raise InvalidInput(
            "Nomor seri wajib diisi / serial_number is required",
            errors={"serial_number": ["required"]},
        )
    at = at or timezone.now()
    try:
        with transaction.atomic():
            device = Device.objects.create(
                district=district,
                kind=kind,
                serial_number=serial_number,
                funded_by=funded_by,
                registered_at=at,
            )
    except IntegrityError:
        raise Conflict(
            f"Nomor seri {serial_number} sudah terdaftar / "
            f"serial number {serial_number} is already registered"
        ) from None
    StatusChange.objects.create(
        device=device, actor=actor, office=office, at=at, to_status=device.status
    )
    return device


@transaction.atomic
def change_device_status(
    *,
    device: Device,
    actor: User,
    status: str,
    note: str | None = "",
    at: dt.datetime | None = None,
) -> StatusChange:
    """Move the device to `status`; a breakdown opens the regency's repair obligation,
    starting the repair starts it, the repair completes it, decommissioning
    withdraws it. Returns the history row."""
    _choice("status", status, DeviceStatus)
    device = (
        Device.objects.select_for_update(of=("self",))
        .select_related("district__regency__province")
        .get(pk=device.pk)
    )
    office = managing_office(actor, device.district.regency)
    method = getattr(device, TRANSITIONS[status])
    from_status = device.status
    if not can_proceed(method):
        raise Conflict(
            f"Perangkat berstatus '{from_status}' tidak dapat menjadi '{status}' / "
            f"a device '{from_status}' cannot become '{status}'"
        )
    method()
    device.save(update_fields=["status"])
    at = at or timezone.now()
    change = StatusChange.objects.create(
        device=device,
        actor=actor,
        office=office,
        at=at,
        from_status=from_status,
        to_status=status,
        note=note or "",
    )
    if status == DeviceStatus.BROKEN:
        Breakdown.objects.create(device=device, report=change, started_at=at)
        open_repair_obligation(device, change)
    elif status == DeviceStatus.UNDER_REPAIR:
        start_system_assignments(
            origin_prefix=repair_prefix(device),
            at=at,
            reason="Perangkat dalam perbaikan / device under repair",
        )
    elif from_status in OUT_OF_SERVICE:
        _end_breakdown(device, change)
    return change


def repair_prefix(device: Device) -> str:
    return f"repair:device:{device.pk}:"


def repair_origin_key(device: Device, report: StatusChange) -> str:
    return f"{repair_prefix(device)}{report.pk}"


def open_repair_obligation(
    device: Device, report: StatusChange
) -> tuple[Directive, Assignment | None] | None:
    """A system directive to the regent or mayor: repair the device by the due date."""
    regency = device.district.regency
    local_day = timezone.localdate(report.at, regency.province.zoneinfo)
    what = f"{device.get_kind_display().lower()} {device.serial_number}"
    return open_system_directive(
        origin_key=repair_origin_key(device, report),
        regency=regency,
        title=f"Perbaikan {what} di {device.district.name}, {regency.name}",
        body=(
            f"Perangkat {what} di Kecamatan {device.district.name} dilaporkan rusak"
            + (f": {report.note}" if report.note else ".")
            + " Perbaiki perangkat dan laporkan kembali berfungsi di register perangkat."
        ),
        legal_basis="UU 24/2013; praktik Ditjen Dukcapil (perbaikan perangkat oleh daerah)",
        due_date=local_day + dt.timedelta(days=settings.DEVICE_REPAIR_DUE_DAYS),
        at=report.at,
        policy=EscalationPolicy.objects.filter(slug=REPAIR_POLICY).first(),
        actor=report.actor,
    )


def _end_breakdown(device: Device, change: StatusChange) -> None:
    Breakdown.objects.filter(device=device, ended_at__isnull=True).update(ended_at=change.at)
    prefix = repair_prefix(device)
    if change.to_status == DeviceStatus.OPERATIONAL:
        complete_system_assignments(
            origin_prefix=prefix, at=change.at, reason="Perangkat diperbaiki / device repaired"
        )
    else:
        withdraw_system_assignments(
            origin_prefix=prefix,
            at=change.at,
            reason="Perangkat dihapuskan / device decommissioned",
        )
