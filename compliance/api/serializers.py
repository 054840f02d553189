"""Shapes of the API: what its parts share (the problem details, the reasons, the order
enums, the province reference); the regency, case and access-order shapes are in their
own modules. Input serializers state the shape the schema promises (types, what is
required, that required text is not blank): what breaks it is 400. The rules beyond it
(who may, from which state, whether a code names something) are the services': 403,
409, 422."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    AccessOrderKind,
    AccessOrderState,
    Province,
)
from .inputs import (
    optional_text,
    required_text,
)
from .planned import PlannedRepresentation


def _named_choice(choices, name):
    """A ChoiceField class whose choice set is the schema component `name`: the fields
    `kind` and `state` already name other choice sets there."""
    schema = {"type": "string", "enum": list(choices.values)}
    field_class = type(f"{name}Field", (serializers.ChoiceField,), {})
    field_class = extend_schema_field(schema, component_name=name)(field_class)
    return lambda **kwargs: field_class(choices=choices.choices, **kwargs)


order_kind = _named_choice(AccessOrderKind, "AccessOrderKindEnum")
order_state = _named_choice(AccessOrderState, "AccessOrderStateEnum")


class ProvinceRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name"]


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (served as application/problem+json)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = serializers.DictField(
        required=False, child=serializers.JSONField(), help_text="field errors"
    )
    code = serializers.CharField(
        required=False,
        help_text="kode pesan / the message's code, stable for clients (docs/api.md)",
    )
    params = serializers.DictField(
        required=False,
        child=serializers.JSONField(),
        help_text="parameter pesan / the message's parameters",
    )


class ReasonInputSerializer(serializers.Serializer):
    reason = optional_text()


class RequiredReasonInputSerializer(serializers.Serializer):
    reason = required_text(help_text="alasan (wajib) / reason (required)")
