"""The Jambi demo's recording reports tell the article's story: Sarolangun and Merangin
near 60 % in October 2017, the other regencies near the provincial average."""

from datetime import date

import pytest

from compliance.demo import load_recording_reports
from compliance.models import Regency
from compliance.recording import realisation, regency_realisation

pytestmark = pytest.mark.django_db

OCTOBER = date(2017, 10, 20)


def test_merangin_and_sarolangun_near_60_percent_the_others_near_the_province():
    assert load_recording_reports() > 0
    province = realisation(OCTOBER, "15")["realisation"]
    for code in ("15.02", "15.03"):
        assert 57 <= realisation(OCTOBER, code)["realisation"] <= 63
    others = regency_realisation(OCTOBER, Regency.objects.filter(province__code="15"))
    for regency in others.exclude(code__in=["15.02", "15.03"]):
        share = regency.recorded * 100 / regency.obliged
        assert abs(share - float(province)) <= 10, regency.code
        assert share > 80
    assert 75 <= province <= 88
