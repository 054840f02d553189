"""A planned serializer (compliance.api.planned) answers exactly what DRF's own walk through
the fields answers, and the assignment list's value rows (workflow.api.listed) print as the
model instances do: the fast path changes the cost, never the output."""

import copy
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from compliance.api import planned
from compliance.api.planned import PlannedRepresentation
from tests.factories import official
from tests.workflow import api_helpers as h
from workflow import services
from workflow.api import serializers as s
from workflow.models import Assignment
from workflow.selectors import assignments_for

clock, officer = h.clock, h.officer

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/assignments/"


@pytest.fixture
def started(clock, officer):
    """A directive to Jambi's regencies and its governor, some of them acknowledged and
    started (so dates, states and escalation differ from row to row)."""
    h.issue(officer, {"regions": ["15.01", "15.02", "15.03", "15.04", "15"]})
    for code in ("15.01", "15.02"):
        assignment = Assignment.objects.get(regency__code=code)
        services.acknowledge_assignment(assignment=assignment, actor=official("regent", code))
    services.start_assignment(
        assignment=Assignment.objects.get(regency__code="15.02"), actor=official("regent", "15.02")
    )
    return list(assignments_for(officer))


def drf(serializer, instance):
    """DRF's own Serializer.to_representation, past the planned one."""
    return serializers.Serializer.to_representation(serializer, instance)


def test_the_plan_answers_what_drf_answers(started):
    assert len(started) > 3
    for assignment in started:
        for shape in (s.AssignmentSerializer, s.AssignmentDetailSerializer):
            serializer = shape(assignment, context={})
            assert serializer.to_representation(assignment) == drf(serializer, assignment)


def test_instants_are_written_in_the_zone_current_when_serialized(started):
    """The plan reads the current zone once for its instant fields; DRF, for each value."""
    assignment = started[0]
    with timezone.override(ZoneInfo("Asia/Jayapura")):
        planned = s.AssignmentSerializer(assignment).data
        unplanned = drf(s.AssignmentSerializer(assignment), assignment)
    assert planned == unplanned
    assert planned["due_at"].endswith("+09:00")
    assert s.AssignmentSerializer(assignment).data["due_at"] != planned["due_at"]


class ThroughTheRegency(PlannedRepresentation, serializers.Serializer):
    """Fields reading through `regency`, which a governor's assignment does not have."""

    left_out = serializers.CharField(source="regency.code", read_only=True)
    none = serializers.CharField(source="regency.code", allow_null=True, read_only=True)
    kept = serializers.CharField(source="province.code", read_only=True)


def test_a_missing_relation_is_answered_as_drf_answers_it(started):
    governor = next(a for a in started if a.regency_id is None)  # the province's own
    serializer = ThroughTheRegency(governor)
    planned = serializer.to_representation(governor)
    assert planned == drf(serializer, governor) == {"none": None, "kept": "15"}


def test_the_listed_rows_print_as_the_instances(officer, started):
    listed = {row["id"]: row for row in h.get(officer, ASSIGNMENTS)["results"]}
    assert set(listed) == {a.pk for a in started}
    for assignment in started:
        assert listed[assignment.pk] == dict(s.AssignmentSerializer(assignment).data)


@pytest.fixture
def regencies_in_every_situation(clock):
    """Jambi's regencies flagged, with a request pending, suspended with a cut order
    carried out, remediated, with a restoration order waiting: every nested part of a
    regency's answer (its open case and violations, suspension, request, order) filled
    somewhere."""
    from compliance import services as compliance
    from tests.compliance import api_helpers as c

    c.flag("15.02")
    c.flag("15.03")
    c.request_suspension("15.03")
    c.suspend("15.09")
    c.suspend("15.08")
    c.remediate("15.08")
    c.suspend("15.06")
    c.remediate("15.06")
    compliance.reconnect_regency(regency=c.regency("15.06"), actor=official("ministry_director"))


REGENCIES = "/api/v1/regencies/"


@pytest.mark.parametrize(
    "url", [f"{REGENCIES}?province=15", f"{REGENCIES}15.03/", f"{REGENCIES}15.06/"]
)
def test_the_regencies_answer_as_drf_answers(regencies_in_every_situation, monkeypatch, url):
    director = official("ministry_director")
    planned = h.get(director, url)
    monkeypatch.setattr(PlannedRepresentation, "to_representation", drf)
    assert h.get(director, url) == planned


def test_every_nested_part_is_in_the_regencies_compared(regencies_in_every_situation):
    rows = {
        r["code"]: r
        for r in h.get(official("ministry_director"), f"{REGENCIES}?province=15")["results"]
    }
    assert rows["15.02"]["open_case"]["open_violations"]
    assert rows["15.03"]["pending_suspension_request"]["requested_office"]
    assert rows["15.09"]["open_suspension"]["started_at"]
    assert rows["15.06"]["issued_order"]["kind"] == "restore"
    assert "approve_suspension" in rows["15.03"]["available_transitions"]


def test_a_model_serializer_inspects_its_model_once_and_each_instance_has_its_own_fields(
    started, monkeypatch
):
    inspected = []
    generate = serializers.ModelSerializer.get_fields

    def counted(self):
        inspected.append(type(self))
        return generate(self)

    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", counted)

    class Fresh(s.AssignmentSerializer):  # a class no test has generated yet
        pass

    first, second = Fresh(started[0]), Fresh(started[1])
    assert first.data["id"] == started[0].pk and second.data["id"] == started[1].pk
    # (Its nested DirectiveRefSerializer too, the first time a process serializes one.)
    assert inspected.count(Fresh) == 1
    inspected.clear()
    assert Fresh(started[2]).data["id"] == started[2].pk
    assert inspected == []
    assert first.fields["state"] is not second.fields["state"]
    assert first.fields["state"].parent is first and second.fields["state"].parent is second
    assert Fresh(started[0]).data == drf(Fresh(started[0]), started[0])


def test_a_nested_serializer_is_copied_whole_and_a_plain_field_shallow(started):
    """A plain field is copied shallow (binding sets only its own attributes), a field that
    holds fields deep (its own fields are bound to it): no instance shares a bound field,
    and the generated fields stay unbound for the next instance."""
    first, second = s.AssignmentSerializer(started[0]), s.AssignmentSerializer(started[1])
    assert first.data["directive"]["id"] == started[0].directive_id
    assert second.data["directive"]["id"] == started[1].directive_id
    nested = first.fields["directive"], second.fields["directive"]
    assert nested[0] is not nested[1] and nested[0].parent is first
    assert nested[0].fields["title"] is not nested[1].fields["title"]
    assert nested[0].fields["title"].parent is nested[0]
    assert first.fields["region"].method_name == "get_region"
    assert first.fields["state"] is not second.fields["state"]
    generated = {name: field for name, field, _ in planned._FIELDS[s.AssignmentSerializer]}
    assert all(field.parent is None for field in generated.values())
    assert "fields" not in vars(generated["directive"])
    copied = {name: copier for name, _, copier in planned._FIELDS[s.AssignmentSerializer]}
    assert copied["directive"] is copied["office"] is copy.deepcopy
    assert copied["state"] is copied["due_at"] is copy.copy


class Odd(PlannedRepresentation, serializers.Serializer):
    """Sources the row function must read as DRF does: a method on the way (called), a dict
    on the way (read by key), a name a dict has (`items`), a source that is the row."""

    called = serializers.CharField(source="label")
    keyed = serializers.CharField(source="inner.code")
    items = serializers.IntegerField()
    whole = serializers.SerializerMethodField()
    absent = serializers.CharField(source="inner.missing", required=False)

    def get_whole(self, row) -> str:
        return type(row).__name__


class Row:
    items = 3

    def __init__(self, inner):
        self.inner = inner

    def label(self):
        return "dipanggil / called"


@pytest.mark.parametrize(
    "row",
    [
        Row({"code": "15.02", "missing": "ada"}),
        Row({"code": "15.02"}),
        {"label": "x", "inner": {"code": "16"}, "items": 4},
    ],
    ids=["object", "object-missing-key", "dict"],
)
def test_odd_sources_answer_as_drf_answers(row):
    serializer = Odd(row)
    assert serializer.to_representation(row) == drf(serializer, row)
