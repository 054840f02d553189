"""Equipment use cases: registering a device and changing its status.

Every change runs in one transaction: authorise through the caller's office, lock the
device row, run the transition, write the history row, open or end the breakdown period,
and open or close the regency's repair obligation (a system directive in workflow). A
retried request therefore finds either nothing done or everything done; a device already
broken cannot be reported broken again, so one breakdown opens one obligation.
"""

import datetime as dt
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.fsm import Transition, apply_transition, register
from compliance.models import MINISTRY_KINDS, District, Office, OfficeKind, Regency
from compliance.offices import active_offices
from compliance.permissions import Refusal, granted
from workflow.models import Assignment, Directive, EscalationPolicy
from workflow.system_directives import (
    complete_system_assignments,
    open_system_directive,
    start_system_assignments,
    withdraw_system_assignments,
)

from .messages import Message
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
TARGETS = {name: status for status, name in TRANSITIONS.items()}


def manager(user: User | AnonymousUser | None, regency: Regency) -> Office | Refusal:
    """The office through which the user manages the regency's devices: 404 outside the
    user's jurisdiction, 403 inside it for offices that only read (governors, auditors)."""
    offices = active_offices(user)
    if not any(o.covers(regency) for o in offices):
        return Refusal(NotFound, Message("regency_not_found", code=regency.code))
    for office in offices:
        if office.kind in MANAGING_KINDS and office.covers(regency):
            return office
    return Refusal(NotAllowed, Message("equipment_read_only"))


# One policy per action on the equipment (both the register's managers'), asked by the
# use cases through `authorize`.
POLICIES: dict[str, Callable[[User | AnonymousUser | None, Regency], Office | Refusal]] = {
    "register_device": manager,
    "change_device_status": manager,
}


def authorize(user: User | AnonymousUser | None, action: str, regency: Regency) -> Office:
    return granted(POLICIES[action](user, regency))


def managing_office(user: User | AnonymousUser | None, regency: Regency) -> Office:
    return authorize(user, "change_device_status", regency)


def _choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        raise InvalidInput(
            Message("invalid_choice", field=field, choices=", ".join(choices.values)),
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
            Message("unknown_district_code", code=district_code), errors={"district": ["unknown"]}
        )
    office = authorize(actor, "register_device", district.regency)
    _choice("kind", kind, DeviceKind)
    _choice("funded_by", funded_by, Funding)
    serial_number = (serial_number or "").strip()
    if not serial_number:
        raise InvalidInput(
            Message("serial_number_required"), errors={"serial_number": ["required"]}
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
        raise Conflict(Message("serial_number_taken", serial_number=serial_number)) from None
    StatusChange.objects.create(
        device=device, actor=actor, office=office, at=at, to_status=device.status
    )
    return device


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py, through equipment/demo.py)
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
    office = authorize(actor, "change_device_status", device.district.regency)
    from_status = device.status
    change: StatusChange = apply_transition(
        device, TRANSITIONS[status], actor=actor, office=office, reason=note or "", at=at
    )
    at = change.at
    if status == DeviceStatus.BROKEN:
        Breakdown.objects.create(device=device, report=change, started_at=at)
        open_repair_obligation(device, change)
    elif status == DeviceStatus.UNDER_REPAIR:
        start_system_assignments(
            origin_prefix=repair_prefix(device),
            at=at,
            reason=Message("device_under_repair"),
        )
    elif from_status in OUT_OF_SERVICE:
        _end_breakdown(device, change)
    return change


def _refused(device: Device, name: str, from_status: str) -> Conflict:
    status = TARGETS[name]
    return Conflict(Message("device_status_not_allowed", from_status=from_status, status=status))


def _write_status_change(t: Transition) -> StatusChange:
    """A device's event row (compliance.fsm.apply_transition): its history row."""
    return StatusChange.objects.create(
        device=cast(Device, t.obj),  # registered for Device
        actor=t.actor,
        office=t.office,
        at=t.at,
        from_status=t.from_state,
        to_status=t.to_state,
        note=str(t.reason),  # the note as typed
    )


register(Device, write_event=_write_status_change, refused=_refused, state_field="status")


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
            origin_prefix=prefix, at=change.at, reason=Message("device_repaired")
        )
    else:
        withdraw_system_assignments(
            origin_prefix=prefix,
            at=change.at,
            reason=Message("device_decommissioned"),
        )
