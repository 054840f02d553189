"""The demo's equipment, as the article tells it: recording (and printing) devices in
every district of Jambi, bought by the centre; each breakdown repaired by its regency,
all of them repaired (by 17 October 2017)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from compliance.models import District, OfficeKind, Regency
from equipment import demo as equipment_demo
from equipment.models import Breakdown, Device, StatusChange
from equipment.selectors import equipment_summary
from workflow.models import Assignment

pytestmark = pytest.mark.django_db
WIB = dt.timezone(dt.timedelta(hours=7))
ARTICLE = dt.datetime(2017, 10, 17, tzinfo=WIB)
REGENCY_KINDS = {OfficeKind.REGENT, OfficeKind.MAYOR, OfficeKind.REGENCY_DUKCAPIL_HEAD}


@pytest.fixture
def seeded(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def test_each_of_jambis_144_districts_has_a_recording_device_bought_by_the_centre(seeded):
    districts = District.objects.filter(regency__province__code="15")
    assert districts.count() == 144
    recording = Device.objects.filter(district__in=districts, kind="recording", funded_by="centre")
    assert recording.values("district").distinct().count() == 144
    assert not Device.objects.filter(district__in=districts).exclude(funded_by="centre").exists()
    assert not Device.objects.exclude(district__in=districts).exists()
    # each registered with its first history row, by a ministry office
    devices = Device.objects.filter(district__in=districts)
    first = StatusChange.objects.filter(device__in=devices, from_status="")
    assert first.count() == devices.count()
    assert {c.office.kind for c in first.select_related("office")} == {OfficeKind.MINISTRY_OFFICER}


def test_every_breakdown_of_2017_was_repaired_by_its_regency_before_the_article(seeded):
    breakdowns = Breakdown.objects.select_related("device__district__regency")
    assert breakdowns.count() == len(equipment_demo.BREAKDOWNS) >= 5
    for breakdown in breakdowns:
        assert breakdown.started_at.year == 2017
        assert breakdown.ended_at is not None and breakdown.ended_at < ARTICLE
        regency = breakdown.device.district.regency
        changes = StatusChange.objects.filter(
            device=breakdown.device, at__gte=breakdown.started_at
        ).select_related("office")
        assert [c.to_status for c in changes] == ["broken", "under_repair", "operational"]
        for change in changes:  # reported and repaired by the regency itself
            assert change.office.kind in REGENCY_KINDS
            assert change.office.regency_id == regency.pk
        assert "APBD" in changes.last().note
    assert not Device.objects.exclude(status="operational").exists()
    # each repair obligation was done and closed, nothing left to escalate
    obligations = Assignment.objects.filter(directive__origin_key__startswith="repair:device:")
    assert obligations.count() == breakdowns.count()
    assert set(obligations.values_list("state", flat=True)) == {"verified"}
    assert set(obligations.values_list("directive__state", flat=True)) == {"closed"}
    assert not obligations.filter(next_step_at__isnull=False).exists()
    summary = equipment_summary(Regency.objects.filter(province__code="15"))
    assert sum(row["out_of_service"] for row in summary.values()) == 0
    assert sum(row["days_out_of_service"] for row in summary.values()) > 0
