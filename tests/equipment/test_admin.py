"""The admin shows the register read-only; its actions change a status through the same
service as the API, with the signed-in user's office deciding."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from equipment import services
from equipment.models import Device
from tests.factories import official

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
CHANGELIST = reverse("admin:equipment_device_changelist")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def staff(kind, region=None):
    user = official(kind, region)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def device():
    return services.register_device(
        actor=official("regency_dukcapil_head", "15.02"),
        district_code="15.02.01",
        kind="printing",
        serial_number="PRN-7",
        funded_by="region",
    )


def report_broken(client, user, device):
    client.force_login(user)
    data = {"action": "mark_broken", ACTION_CHECKBOX_NAME: [device.pk], "index": 0}
    response = client.post(CHANGELIST, data, follow=True)
    return [str(m) for m in response.context["messages"]]


def test_the_register_and_a_device_page_open(client, device):
    client.force_login(staff("ministry_officer"))
    assert b"PRN-7" in client.get(CHANGELIST).content
    page = client.get(reverse("admin:equipment_device_change", args=[device.pk]))
    assert page.status_code == 200


def test_the_action_reports_a_device_broken_through_the_service(client, device):
    assert report_broken(client, staff("ministry_officer"), device) == ["Dilaporkan rusak: 1"]
    assert Device.objects.get().status == "broken"
    assert device.status_changes.last().office.kind == "ministry_officer"


def test_an_office_that_only_reads_is_refused(client, device):
    messages = report_broken(client, staff("auditor"), device)
    assert "Your office may only read the equipment" in messages[0]
    assert Device.objects.get().status == "operational"
