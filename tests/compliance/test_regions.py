from io import StringIO

import pytest
from django.core.management import call_command

from compliance.models import District, Province, Regency, TimeZone

pytestmark = pytest.mark.django_db

JAMBI = {
    "15.01": "Kabupaten Kerinci",
    "15.02": "Kabupaten Merangin",
    "15.03": "Kabupaten Sarolangun",
    "15.04": "Kabupaten Batanghari",
    "15.05": "Kabupaten Muaro Jambi",
    "15.06": "Kabupaten Tanjung Jabung Barat",
    "15.07": "Kabupaten Tanjung Jabung Timur",
    "15.08": "Kabupaten Bungo",
    "15.09": "Kabupaten Tebo",
    "15.71": "Kota Jambi",
    "15.72": "Kota Sungai Penuh",
}


def test_the_whole_country_is_loaded():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7285


def test_there_are_416_kabupaten_and_98_kota():
    assert Regency.objects.filter(kind="kabupaten").count() == 416
    assert Regency.objects.filter(kind="kota").count() == 98


def test_jambi_has_its_eleven_regencies_with_kemendagri_codes_not_bps():
    jambi = Province.objects.get(code="15")
    assert dict(jambi.regencies.values_list("code", "name")) == JAMBI
    # BPS swaps these pairs; Kemendagri's order is the one we keep.
    assert Regency.objects.get(code="15.08").name == "Kabupaten Bungo"
    assert Regency.objects.get(code="15.09").name == "Kabupaten Tebo"


def test_every_province_has_one_of_the_three_time_zones():
    zones = dict(Province.objects.values_list("code", "time_zone"))
    assert set(zones.values()) == set(TimeZone.values)
    assert zones["15"] == TimeZone.WIB  # Jambi
    assert zones["51"] == TimeZone.WITA  # Bali
    assert zones["64"] == TimeZone.WITA  # Kalimantan Timur
    assert zones["61"] == TimeZone.WIB  # Kalimantan Barat
    assert zones["91"] == TimeZone.WIT  # Papua
    assert zones["81"] == TimeZone.WIT  # Maluku


def test_every_regency_belongs_to_a_province_with_a_valid_time_zone():
    assert not Regency.objects.exclude(province__time_zone__in=TimeZone.values).exists()


def test_district_codes_extend_their_regency_code():
    mismatched = [
        code
        for code, regency_code in District.objects.values_list("code", "regency__code")
        if not code.startswith(regency_code + ".")
    ]
    assert mismatched == []


def test_loading_twice_changes_nothing_and_says_so():
    before = list(District.objects.order_by("code").values_list("id", "code", "name", "regency_id"))
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "tidak ada perubahan" in out.getvalue()
    assert "nothing changed" in out.getvalue()
    after = list(District.objects.order_by("code").values_list("id", "code", "name", "regency_id"))
    assert after == before


def test_loading_repairs_a_changed_name():
    Regency.objects.filter(code="15.09").update(name="Tebo (salah)")
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "regencies: 0 created, 1 updated" in out.getvalue()
    assert Regency.objects.get(code="15.09").name == "Kabupaten Tebo"
