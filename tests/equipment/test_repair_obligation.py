"""A device reported broken opens a repair obligation for its regency (an assignment to
its regent or mayor under the `perbaikan-perangkat` policy); the repair completes it."""

import datetime as dt

import pytest

from compliance.errors import Conflict
from equipment import services
from equipment.models import Breakdown, DeviceStatus, StatusChange
from tests.factories import official
from workflow.models import Assignment, Directive

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB)


@pytest.fixture
def head(time_machine):
    """The regency's Dukcapil head, with the clock pinned at NOW."""
    time_machine.move_to(NOW, tick=False)
    return official("regency_dukcapil_head", "15.02")


@pytest.fixture
def device(head):
    return services.register_device(
        actor=head,
        district_code="15.02.01",
        kind="recording",
        serial_number="KTPEL-REC-0001",
        funded_by="centre",
        at=NOW,
    )


def status(device, head, value, at, note=""):
    return services.change_device_status(device=device, actor=head, status=value, note=note, at=at)


def repair_assignments():
    return Assignment.objects.filter(directive__origin_key__startswith="repair:device:")


def test_a_broken_device_opens_an_obligation_for_the_regent(device, head):
    report = status(device, head, "broken", NOW, note="Kamera tidak menyala")
    assignment = repair_assignments().select_related("directive__policy").get()
    assert assignment.office.title == "Bupati Merangin"
    assert assignment.state == "issued"
    assert assignment.directive.origin_key == f"repair:device:{device.pk}:{report.pk}"
    assert assignment.directive.policy.slug == "perbaikan-perangkat"
    assert assignment.due_date == dt.date(2026, 11, 16)  # DEVICE_REPAIR_DUE_DAYS = 14
    assert assignment.next_step.slug == "ack-reminder"
    assert "Kamera tidak menyala" in assignment.directive.body
    assert assignment.notifications.filter(template="directive_issued").count() == 1


def test_the_repair_completes_the_obligation(device, head):
    status(device, head, "broken", NOW)
    status(device, head, "under_repair", NOW + dt.timedelta(days=1))
    assert repair_assignments().get().state == "in_progress"
    status(device, head, "operational", NOW + dt.timedelta(days=3))
    assignment = repair_assignments().get()
    assert assignment.state == "verified"
    assert assignment.next_step_at is None  # the ladder stops
    assert assignment.directive.state == "closed"
    assert list(assignment.events.values_list("transition", flat=True)) == [
        "acknowledge",
        "start",
        "submit",
        "verify",
    ]
    breakdown = Breakdown.objects.get()
    assert breakdown.ended_at - breakdown.started_at == dt.timedelta(days=3)


def test_reporting_a_broken_device_again_opens_nothing_more(device, head):
    status(device, head, "broken", NOW)
    with pytest.raises(Conflict):
        status(device, head, "broken", NOW + dt.timedelta(hours=1))
    assert repair_assignments().count() == 1
    assert Breakdown.objects.count() == 1


def test_each_new_breakdown_opens_its_own_obligation(device, head):
    status(device, head, "broken", NOW)
    status(device, head, "operational", NOW + dt.timedelta(days=2))
    status(device, head, "broken", NOW + dt.timedelta(days=5))
    states = sorted(repair_assignments().values_list("state", flat=True))
    assert states == ["issued", "verified"]


def test_decommissioning_a_broken_device_withdraws_the_obligation(device, head):
    status(device, head, "broken", NOW)
    status(device, head, "decommissioned", NOW + dt.timedelta(days=1))
    assignment = repair_assignments().get()
    assert assignment.state == "withdrawn"
    assert assignment.directive.state == "withdrawn"
    assert Breakdown.objects.get().ended_at is not None


def test_a_failed_change_leaves_nothing_behind(device, head, monkeypatch):
    """The status, its history, the breakdown and the obligation are one transaction: a
    failure while opening the obligation undoes the report, so a retry starts clean."""

    def explode(*args, **kwargs):
        raise RuntimeError("crash while opening the obligation")

    monkeypatch.setattr(services, "open_system_directive", explode)
    with pytest.raises(RuntimeError):
        status(device, head, "broken", NOW)
    device.refresh_from_db()
    assert device.status == DeviceStatus.OPERATIONAL
    assert StatusChange.objects.filter(device=device).count() == 1  # the registration
    assert not Breakdown.objects.exists()
    assert not Directive.objects.filter(origin_key__startswith="repair:").exists()

    monkeypatch.undo()
    status(device, head, "broken", NOW)
    assert repair_assignments().count() == 1


def test_the_history_records_who_through_which_office(device, head):
    status(device, head, "broken", NOW, note="Printer macet")
    rows = list(StatusChange.objects.filter(device=device).order_by("at", "id"))
    assert [(r.from_status, r.to_status) for r in rows] == [
        ("", "operational"),
        ("operational", "broken"),
    ]
    assert rows[1].actor == head
    assert (
        rows[1].office.title == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin"
    )
    assert rows[1].note == "Printer macet"
