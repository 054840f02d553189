"""Provincial directives: a governor (holder or Plt.) drafts, issues and withdraws
directives addressed to the regencies and cities of his own province, and verifies or
returns their work; any wider or foreign scope is refused with nothing written. The
ministry keeps every power it had, also over a governor's directive."""

import pytest

from compliance.errors import NotAllowed
from tests.factories import official
from tests.workflow import api_helpers as h
from workflow import services
from workflow.models import Assignment, AssignmentState, Directive

# Shared fixtures (pytest finds fixtures among a module's names).
clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

GOVERNOR_ONLY = "A governor issues directives only to the regencies and cities of his own province"


def submitted(assignment, code):
    """The regent of `code` acknowledges the assignment and submits his report."""
    regent = official("regent", code)
    h.post(regent, h.url(assignment, "acknowledge"))
    h.post(regent, h.url(assignment, "submit"), {"note": "Selesai"})


@pytest.fixture
def governor(clock):
    """The Governor of Jambi (province 15)."""
    return official("governor", "15")


def test_jambis_governor_issues_to_his_province_eleven_assignments_from_his_office(governor):
    pk = h.issue(governor, {"province": "15"})
    directive = Directive.objects.select_related("issuing_office__province").get(pk=pk)
    assert directive.issuing_office.kind == "governor"
    assert directive.issuing_office.province.code == "15"
    codes = Assignment.objects.filter(directive=directive).values_list("regency__code", flat=True)
    assert sorted(codes) == h.JAMBI_REGENCIES
    body = h.get(governor, f"/api/v1/directives/{pk}/")
    assert (body["state"], body["assignment_counts"]["total"]) == ("issued", 11)
    assert body["issuing_office"] == directive.issuing_office.title


def test_an_acting_governor_issues_as_the_governor(clock):
    plt = official("governor", "15", acting=True)
    pk = h.issue(plt, {"regions": [h.MERANGIN, h.TEBO]})
    assert Assignment.objects.filter(directive_id=pk).count() == 2


def test_his_draft_is_visible_to_him_before_it_is_issued(governor):
    pk = h.draft(governor, {"regions": [h.KOTA_JAMBI]})
    assert h.get(governor, f"/api/v1/directives/{pk}/")["state"] == "draft"
    assert [d["id"] for d in h.get(governor, "/api/v1/directives/")["results"]] == [pk]


@pytest.mark.parametrize(
    "scope",
    [
        {"province": "32"},
        {"all_regencies": True},
        {"all_provinces": True},
        {"regions": ["32.01"]},
        {"regions": ["15"]},
        {"regions": ["15.02", "32.01"]},
    ],
    ids=[
        "another-province",
        "all-regencies",
        "all-provinces",
        "foreign-regency",
        "his-province-code",
        "mixed",
    ],
)
def test_any_scope_outside_his_province_is_refused_and_nothing_is_written(governor, scope):
    response = h.client_for(governor).post(
        "/api/v1/directives/", h.directive_input(scope), format="json"
    )
    assert response.status_code == 403, response.content
    assert GOVERNOR_ONLY in response.json()["detail"]
    assert not Directive.objects.exists()


def test_the_service_refuses_a_foreign_scope_too(governor):
    with pytest.raises(NotAllowed, match="his own province"):
        services.create_directive(
            actor=governor,
            title="T",
            body="B",
            legal_basis="L",
            due_date=h.ISSUED_AT.date(),
            scope={"province": "32"},
        )
    assert not Directive.objects.exists()


def test_he_withdraws_his_own_directive(governor):
    pk = h.issue(governor)
    body = h.post(governor, f"/api/v1/directives/{pk}/withdraw/", {"reason": "Keliru"})
    assert body["state"] == "withdrawn"
    states = set(Assignment.objects.filter(directive_id=pk).values_list("state", flat=True))
    assert states == {AssignmentState.WITHDRAWN}


def test_another_provinces_governor_cannot_see_it_to_withdraw_it(governor):
    pk = h.issue(governor)
    west_java = official("governor", "32")
    h.post(west_java, f"/api/v1/directives/{pk}/withdraw/", {"reason": "x"}, expect=404)
    assert Directive.objects.get(pk=pk).state == "issued"


def test_a_governor_cannot_manage_the_ministrys_directive_to_his_province(governor, officer):
    pk = h.issue(officer)
    h.post(governor, f"/api/v1/directives/{pk}/withdraw/", {"reason": "x"}, expect=403)
    assert Directive.objects.get(pk=pk).state == "issued"


def test_the_ministry_withdraws_a_governors_directive(governor, officer):
    pk = h.issue(governor)
    assert h.post(officer, f"/api/v1/directives/{pk}/withdraw/", {"reason": "x"})["state"] == (
        "withdrawn"
    )


def test_the_issuing_governor_verifies_and_returns_submissions(governor):
    pk = h.issue(governor)
    merangin, tebo = h.assignment(pk, h.MERANGIN), h.assignment(pk, h.TEBO)
    submitted(merangin, h.MERANGIN)
    submitted(tebo, h.TEBO)
    assert h.post(governor, h.url(merangin, "verify"))["state"] == "verified"
    assert h.post(governor, h.url(tebo, "return"), {"reason": "Kurang"})["state"] == "returned"


def test_a_governor_cannot_verify_work_under_the_ministrys_directive(governor, officer):
    pk = h.issue(officer)
    merangin = h.assignment(pk, h.MERANGIN)
    submitted(merangin, h.MERANGIN)
    h.post(governor, h.url(merangin, "verify"), expect=403)
    assert Assignment.objects.get(pk=merangin).state == AssignmentState.SUBMITTED


def test_the_ministry_still_issues_everywhere(officer):
    pk = h.issue(officer, {"all_provinces": True})
    assert Assignment.objects.filter(directive_id=pk).count() == 38


def test_a_regent_still_may_not_draft(clock):
    regent = official("regent", h.MERANGIN)
    h.post(regent, "/api/v1/directives/", h.directive_input({"regions": [h.MERANGIN]}), 403)
    assert not Directive.objects.exists()
