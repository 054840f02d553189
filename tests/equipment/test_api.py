"""The equipment API: registering devices, changing their status, the per-regency summary;
the same jurisdiction (404 outside, 403 for offices that only read) and problem details
as the rest of the API."""

import datetime as dt

import pytest

from compliance.models import Regency
from equipment import services
from equipment.models import Device
from equipment.selectors import equipment_summary
from tests.compliance.api_helpers import client_for
from tests.factories import official

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
MERANGIN, TEBO = "15.02", "15.09"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def head():
    return official("regency_dukcapil_head", MERANGIN)


def register(user, serial, district="15.02.01", kind="recording", expect=201):
    body = {"district": district, "kind": kind, "serial_number": serial, "funded_by": "centre"}
    response = client_for(user).post("/api/v1/devices/", body, format="json")
    assert response.status_code == expect, response.content
    return response.json()


def set_status(user, pk, status, expect=200, note=""):
    response = client_for(user).post(
        f"/api/v1/devices/{pk}/status/", {"status": status, "note": note}, format="json"
    )
    assert response.status_code == expect, response.content
    return response.json()


def test_the_regencys_dukcapil_head_registers_and_reports_a_device(head):
    device = register(head, "REC-1")
    assert device["status"] == "operational"
    assert device["regency"] == MERANGIN
    assert [h["to_status"] for h in device["history"]] == ["operational"]

    broken = set_status(head, device["id"], "broken", note="Layar retak")
    assert broken["status"] == "broken"
    assert broken["history"][-1] == {
        **broken["history"][-1],
        "from_status": "operational",
        "to_status": "broken",
        "office": "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Merangin",
        "note": "Layar retak",
    }


def test_the_regent_and_the_ministry_may_change_the_status_too(head):
    device = register(head, "REC-1")
    set_status(official("regent", MERANGIN), device["id"], "broken")
    set_status(official("ministry_officer"), device["id"], "under_repair")


def test_governors_and_auditors_read_but_may_not_change(head):
    device = register(head, "REC-1")
    for reader in (official("governor", "15"), official("auditor")):
        assert client_for(reader).get(f"/api/v1/devices/{device['id']}/").status_code == 200
        problem = set_status(reader, device["id"], "broken", expect=403)
        assert problem["status"] == 403
        register(reader, f"REC-{reader.pk}", expect=403)


def test_outside_the_jurisdiction_a_device_does_not_exist(head):
    device = register(head, "REC-1")
    stranger = official("regency_dukcapil_head", TEBO)
    assert client_for(stranger).get(f"/api/v1/devices/{device['id']}/").status_code == 404
    set_status(stranger, device["id"], "broken", expect=404)
    assert client_for(stranger).get("/api/v1/devices/").json()["results"] == []
    register(stranger, "REC-2", district="15.02.01", expect=404)
    assert client_for(stranger).get(f"/api/v1/regencies/{MERANGIN}/equipment/").status_code == 404


def test_invalid_input_and_conflicts_are_problem_details(head):
    device = register(head, "REC-1")
    duplicate = register(head, "REC-1", expect=409)
    assert duplicate["type"].endswith(":conflict")
    unknown = register(head, "REC-2", district="99.99.99", expect=422)
    assert unknown["errors"] == {"district": ["unknown"]}
    assert "status" in set_status(head, device["id"], "lost", expect=400)["errors"]
    set_status(head, device["id"], "under_repair", expect=409)  # not broken yet


def test_the_list_filters_and_its_queries_do_not_grow(head, django_assert_max_num_queries):
    for i in range(3):
        register(head, f"REC-{i}")
    register(head, "PRN-1", kind="printing", district="15.02.02")
    client = client_for(official("ministry_officer"))
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/devices/?regency=15.02").json()
    assert body["count"] == 4
    printing = client.get("/api/v1/devices/?kind=printing").json()["results"]
    assert [d["serial_number"] for d in printing] == ["PRN-1"]
    assert client.get("/api/v1/devices/?district=15.02.02").json()["count"] == 1


def test_the_regency_summary_counts_devices_and_days_out_of_service(head, clock):
    ids = [register(head, f"REC-{i}")["id"] for i in range(4)]
    set_status(head, ids[0], "broken")  # 2 Nov 09:00, repaired 5 Nov 09:00: 3 days
    set_status(head, ids[1], "broken")  # 2 Nov 09:00, in repair until now: 10.5 days
    set_status(head, ids[3], "decommissioned")
    clock.move_to(NOW + dt.timedelta(days=1), tick=False)
    set_status(head, ids[1], "under_repair")
    clock.move_to(NOW + dt.timedelta(days=3), tick=False)
    set_status(head, ids[0], "operational")
    clock.move_to(NOW + dt.timedelta(days=10, hours=12), tick=False)

    summary = client_for(head).get(f"/api/v1/regencies/{MERANGIN}/equipment/").json()
    assert summary == {
        "code": MERANGIN,
        "name": "Kabupaten Merangin",
        "working": 2,
        "broken": 0,
        "under_repair": 1,
        "out_of_service": 1,
        "decommissioned": 1,
        "days_out_of_service": 13.5,
    }


def test_a_regency_without_devices_has_a_zero_summary():
    summary = client_for(official("auditor")).get(f"/api/v1/regencies/{TEBO}/equipment/").json()
    assert summary["working"] == 0
    assert summary["days_out_of_service"] == 0


def test_the_summary_of_many_regencies_takes_two_queries(head, django_assert_num_queries):
    register(head, "REC-1")
    services.change_device_status(device=Device.objects.get(), actor=head, status="broken")
    regencies = list(Regency.objects.all())
    with django_assert_num_queries(2):
        summary = equipment_summary(regencies)
    assert len(summary) == 514
    assert summary[regencies[0].pk]["working"] == 0
