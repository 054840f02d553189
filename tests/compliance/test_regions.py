import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from compliance.models import District, Province, Regency, TimeZone
from compliance.regions import DATA_DIR, RegionOverrideError, load_regions, read_overrides

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


# --- overrides: corrections beside the unchanged source files (issue 14) ---------------

SOURCE_SHA256 = {
    "provinces.csv": "ee9e5b5aaca298c41aef1aa0888285e103856f1414134bbb7afc68b294c9a89d",
    "regencies.csv": "d5fbd54bb1500bbf5e194ddc94a3806df6e6837a310146dfa646b085bd99c0ae",
    "districts.csv": "982f843613cf36bf474cab7ec46b5ecafc46dfeaad26e4bbadf170a6dae8ebe7",
}


def test_raas_in_sumenep_is_loaded_with_its_apostrophe():
    district = District.objects.select_related("regency").get(code="35.29.22")
    assert district.name == "Ra'as"
    assert district.regency.name == "Kabupaten Sumenep"


def test_the_copied_source_files_stay_as_published():
    source = (DATA_DIR / "districts.csv").read_text(encoding="utf-8")
    assert '35.29.22,35.29,"Ra""as"' in source.splitlines()
    for name, digest in SOURCE_SHA256.items():
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == digest, name


def test_every_override_names_its_source():
    for name in ("provinces.csv", "regencies.csv", "districts.csv"):
        for _, override in read_overrides(name):
            assert len(override["source"].strip()) > 20, override


def write_overrides(folder, *lines):
    text = "code,field,value,source\n" + "".join(f"{line}\n" for line in lines)
    (folder / "districts.csv").write_text(text, encoding="utf-8")


def test_an_override_of_an_unknown_code_stops_the_load_and_says_which(tmp_path):
    write_overrides(tmp_path, "35.29.22,name,Ra'as,Sumenep", "99.99.99,name,Nowhere,a typo")
    with pytest.raises(RegionOverrideError) as error:
        load_regions(overrides_dir=tmp_path)
    message = str(error.value)
    assert "99.99.99" in message
    assert "tidak ada di districts.csv" in message
    assert "is not in districts.csv" in message
    assert "line 3" in message


def test_an_override_of_an_unknown_column_or_without_source_stops_the_load(tmp_path):
    write_overrides(tmp_path, "35.29.22,nama,Ra'as,Sumenep")
    with pytest.raises(RegionOverrideError, match="column 'nama' is not in districts.csv"):
        load_regions(overrides_dir=tmp_path)
    write_overrides(tmp_path, "35.29.22,name,Ra'as,")
    with pytest.raises(RegionOverrideError, match="must give its source"):
        load_regions(overrides_dir=tmp_path)


def test_an_override_the_source_has_caught_up_with_must_be_removed(tmp_path):
    write_overrides(tmp_path, "35.29.21,name,Nonggunong,the source says so already")
    with pytest.raises(RegionOverrideError, match="remove this override"):
        load_regions(overrides_dir=tmp_path)


def test_without_overrides_the_source_name_comes_back_and_with_them_it_goes(tmp_path):
    load_regions(overrides_dir=tmp_path)  # an empty folder: the source as published
    assert District.objects.get(code="35.29.22").name == 'Ra"as'
    assert load_regions().updated["districts"] == 1
    assert District.objects.get(code="35.29.22").name == "Ra'as"
