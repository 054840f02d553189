"""A directive's scope is one value (workflow.scopes.Scope) for its three shapes: the API's
object, the directive's fields and the composer's form; what it addresses is said once."""

import pytest

from compliance.models import Office, Province
from workflow.models import Directive
from workflow.scopes import Scope

pytestmark = pytest.mark.django_db

SHAPES = [
    {"all_regencies": True},
    {"all_provinces": True},
    {"province": "15"},
    {"regions": ["15", "15.02", "16.01"]},
]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_api_shape_survives_the_directive_fields(regions, shape):
    scope = Scope.parse(shape)
    directive = Directive(**scope.fields())
    assert Scope.of(directive) == scope
    assert Scope.of(directive).as_api() == shape


def test_what_each_scope_addresses(regions):
    def kinds(shape):
        offices = Scope.parse(shape).offices()
        return {(o.kind, o.regency.code if o.regency_id else o.province.code) for o in offices}

    jambi = Province.objects.get(code="15")
    assert len(Scope.parse({"all_regencies": True}).offices()) == 514
    assert len(Scope.parse({"all_provinces": True}).offices()) == 38
    assert {code for _, code in kinds({"province": "15"})} == set(
        jambi.regencies.values_list("code", flat=True)
    )
    assert kinds({"regions": ["16", "15.02"]}) == {("governor", "16"), ("regent", "15.02")}
    assert Office.objects.count() >= 552


def test_a_governor_issues_only_inside_his_province(regions):
    jambi = Province.objects.get(code="15").pk
    assert Scope.parse({"province": "15"}).inside_province(jambi)
    assert Scope.parse({"regions": ["15.02", "15.71"]}).inside_province(jambi)
    assert not Scope.parse({"regions": ["15.02", "16.01"]}).inside_province(jambi)
    assert not Scope.parse({"regions": ["15"]}).inside_province(jambi)  # the governor himself
    assert not Scope.parse({"all_regencies": True}).inside_province(jambi)
