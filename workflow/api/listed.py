"""The assignment and directive lists' rows as plain values (issue 18, "lists that cost the
same on page 1 and page 500", "serializers without per-row queries").

A page of 100 assignments read as model instances built six instances a row (the
assignment, its directive, office, province, regency and next step) and django-fsm's
per-instance bookkeeping for three of them: most of the list's time in Python. The list
only prints values, so it reads them with `values()` and hands AssignmentSerializer a light
row with the same attribute names (`row.directive.title`, `row.province.zoneinfo`): the
serializer, its rules (region, the local due instant, whether escalation goes on) and the
schema are the detail's, unchanged. The directive list likewise (`listed_directive`): a
directive, its issuing office, policy and province, and django-fsm's bookkeeping, were
half of its time."""

from functools import cache
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from .serializers import DirectiveSerializer

# What a listed assignment shows (AssignmentSerializer), and nothing else.
LISTED_VALUES = (
    "pk",
    "id",
    "state",
    "due_date",
    "due_at",
    "acknowledged_at",
    "submitted_at",
    "escalation_level",
    "next_step_at",
    "next_step_id",
    "regency_id",
    "is_overdue",
    "directive__id",
    "directive__title",
    "office__title",
    "office__kind",
    "province__code",
    "province__time_zone",
    "regency__code",
    "next_step__slug",
)


@cache
def _zone(name):
    return ZoneInfo(name)


def listed(values):
    """One row of `LISTED_VALUES` as the object the serializer reads."""
    row = SimpleNamespace(**{k: v for k, v in values.items() if "__" not in k})
    row.directive = SimpleNamespace(id=values["directive__id"], title=values["directive__title"])
    row.office = SimpleNamespace(title=values["office__title"], kind=values["office__kind"])
    zone = values["province__time_zone"]
    row.province = SimpleNamespace(
        code=values["province__code"], time_zone=zone, zoneinfo=_zone(zone)
    )
    row.regency = SimpleNamespace(code=values["regency__code"])
    row.next_step = SimpleNamespace(slug=values["next_step__slug"])
    return row


# What a listed directive shows (DirectiveSerializer, workflow.scopes.Scope.of,
# selectors.describe_directives), and nothing else: the serializer's own columns, then
# what its relations and scope read; `created_at` and `pk` order the pages.
_WORKED_OUT = ("issuing_office", "policy", "scope", "assignment_counts")
LISTED_DIRECTIVE_VALUES = (
    "pk",
    *(name for name in DirectiveSerializer.Meta.fields if name not in _WORKED_OUT),
    "issuing_office_id",
    "issuing_office__title",
    "policy_id",
    "policy__slug",
    "scope_kind",
    "scope_province_id",
    "scope_province__code",
    "scope_regions",
)


def listed_directive(values):
    """One row of `LISTED_DIRECTIVE_VALUES` as the object the serializer reads: a relation
    None where the directive has none, as on the model."""
    row = SimpleNamespace(**{k: v for k, v in values.items() if "__" not in k})
    row.issuing_office = _related(values, "issuing_office", title=values["issuing_office__title"])
    row.policy = _related(values, "policy", slug=values["policy__slug"])
    row.scope_province = _related(values, "scope_province", code=values["scope_province__code"])
    return row


def _related(values, name, **fields):
    return (
        None if values[f"{name}_id"] is None else SimpleNamespace(pk=values[f"{name}_id"], **fields)
    )
