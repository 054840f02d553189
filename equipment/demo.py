"""The equipment's part of the demo (seed_demo, through compliance's demo_past_loaded
signal): the article's "mesin perekaman dan pencetakan KTP-E sudah berada di tiap
kecamatan", bought by the centre ("untuk awal ditanggung pusat"), and its breakdowns,
each repaired by its regency ("ketika rusak diwajibkan kepada pemerintah daerah untuk
memperbaikinya"; "untuk peralatan semuanya sudah dilakukan perbaikan").

Invented (docs/lifecycle.md, "What the demo invents"): one recording and one printing
device per district, their serial numbers, the day the register starts, and every
breakdown below (district, device, fault, days); the article gives none of them.
"""

import datetime as dt
import zoneinfo

from compliance.models import District

from .models import Device, DeviceKind, DeviceStatus, Funding, StatusChange
from .services import change_device_status, managing_office

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
JAMBI = "15"
SERIAL_PREFIX = {DeviceKind.RECORDING: "REK", DeviceKind.PRINTING: "CTK"}


def wib(month_day, hour=10):
    """10:00 WIB on a day of 2017 given as "MM-DD"."""
    return dt.datetime.fromisoformat(f"2017-{month_day}T{hour:02d}:00").replace(tzinfo=WIB)


# The register starts on the first working day of 2017; the devices were delivered
# earlier by the centre (the e-KTP programme began in 2011).
REGISTERED_AT = wib("01-03")


def serial_number(district_code, kind):
    return f"{SERIAL_PREFIX[kind]}-{district_code}"


# Each breakdown is reported and repaired by the regency (its Dukcapil head where the demo has one, else its regent or
# mayor), on working days, all within the 14 days of the repair obligation and all over
# before the article (17 October 2017).
REC, PRN = DeviceKind.RECORDING, DeviceKind.PRINTING
BREAKDOWNS = [
    # district, device, fault; reported, repair started, repaired (2017, 10:00 WIB)
    ("15.01.01", REC, "Kamera perekaman tidak menyala", "02-13", "02-16", "02-22"),
    ("15.09.01", REC, "Pemindai sidik jari tidak terbaca", "03-14", "03-16", "03-21"),
    ("15.03.01", REC, "Pemindai iris tidak berfungsi", "05-09", "05-12", "05-17"),
    ("15.04.01", PRN, "Printer kartu macet, kepala cetak rusak", "07-10", "07-12", "07-18"),
    ("15.02.01", REC, "Alat tanda tangan elektronik rusak", "08-01", "08-03", "08-09"),
    ("15.08.01", REC, "Kamera perekaman tidak fokus", "09-04", "09-06", "09-12"),
    ("15.71.01", PRN, "Printer kartu tidak mengenali blangko", "10-02", "10-03", "10-09"),
]


def on_demo_past_loaded(sender, users, holder, **kwargs):
    registrar = holder("petugas1", REGISTERED_AT)
    register_jambi_devices(registrar)
    replay_breakdowns(holder)


def register_jambi_devices(registrar):
    """A recording and a printing device in each of Jambi's districts (144), funded by
    the centre and registered by a ministry officer: written in bulk (two inserts per
    table), as register_device writes each one (an operational device and its first
    history row)."""
    districts = list(
        District.objects.filter(regency__province__code=JAMBI)
        .select_related("regency")
        .order_by("code")
    )
    office = managing_office(registrar, districts[0].regency)  # a ministry office: all
    devices = Device.objects.bulk_create(
        [
            Device(
                district=district,
                kind=kind,
                serial_number=serial_number(district.code, kind),
                funded_by=Funding.CENTRE,
                registered_at=REGISTERED_AT,
            )
            for district in districts
            for kind in (DeviceKind.RECORDING, DeviceKind.PRINTING)
        ],
        batch_size=500,
    )
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                device=device,
                actor=registrar,
                office=office,
                at=REGISTERED_AT,
                to_status=DeviceStatus.OPERATIONAL,
            )
            for device in devices
        ],
        batch_size=500,
    )
    return len(devices)


def _regency_official(holder, regency_code, when):
    """Who acts for the regency then: its Dukcapil head where the demo has one."""
    from compliance.demo import demo_seats

    seats = [s for s in demo_seats() if s.region == regency_code]
    heads = [s for s in seats if s.kind == "regency_dukcapil_head"] or seats
    return holder(heads[0].username, when)


def replay_breakdowns(holder):
    """Each breakdown through the service: reported (the repair obligation opens),
    repair started, repaired (the obligation is completed and closed)."""
    for code, kind, fault, reported, started, repaired in BREAKDOWNS:
        device = Device.objects.get(serial_number=serial_number(code, kind))
        regency = device.district.regency
        steps = [
            (DeviceStatus.BROKEN, wib(reported), fault),
            (DeviceStatus.UNDER_REPAIR, wib(started), "Diperbaiki oleh teknisi daerah"),
            (
                DeviceStatus.OPERATIONAL,
                wib(repaired),
                f"Berfungsi kembali; diperbaiki atas biaya APBD {regency.name}",
            ),
        ]
        for status, at, note in steps:
            change_device_status(
                device=device,
                actor=_regency_official(holder, regency.code, at),
                status=status,
                note=note,
                at=at,
            )
