"""The directive scope in the API: one shape for input and output, and its schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.api.inputs import (
    Pattern,
)

from ..scopes import Scope

_REGION_CODE = r"^\d{2}(\.\d{2})?$"
_SCOPE_KEYS = {
    "all_regencies": (
        {"type": "boolean", "enum": [True]},
        "semua kabupaten/kota / every regency and city (514)",
    ),
    "all_provinces": (
        {"type": "boolean", "enum": [True]},
        "semua provinsi (gubernur) / every province (governors)",
    ),
    "province": (
        {"type": "string", "pattern": r"^\d{2}$"},
        "kabupaten/kota di satu provinsi / the regencies of one province, e.g. 15",
    ),
    "regions": (
        {"type": "array", "items": {"type": "string", "pattern": _REGION_CODE}, "minItems": 1},
        "daftar kode provinsi atau kabupaten/kota / province or regency codes, "
        'e.g. ["15.02", "15.09"]',
    ),
}
# Exactly one of the four keys, and nothing else: one object per choice.
SCOPE_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "properties": {key: {**schema, "description": text}},
            "required": [key],
            "additionalProperties": False,
        }
        for key, (schema, text) in _SCOPE_KEYS.items()
    ],
    "description": "Tepat satu dari / exactly one of all_regencies, all_provinces, province, "
    "regions",
}


@extend_schema_field(SCOPE_SCHEMA)
class ScopeSerializer(serializers.Serializer):
    """Exactly one of the four keys (true for the two "all" ones), nothing else."""

    all_regencies = serializers.BooleanField(required=False)
    all_provinces = serializers.BooleanField(required=False)
    province = Pattern(r"^\d{2}$", required=False)
    regions = serializers.ListField(child=Pattern(_REGION_CODE), required=False, allow_empty=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and (unknown := sorted(set(data) - set(self.fields))):
            raise serializers.ValidationError(
                {key: ["Kunci tidak dikenal / unknown key"] for key in unknown}
            )
        return super().to_internal_value(data)

    def validate_all_regencies(self, value):
        return self._true(value)

    def validate_all_provinces(self, value):
        return self._true(value)

    def _true(self, value):
        if value is not True:
            raise serializers.ValidationError("Hanya true / true only", code="invalid")
        return value

    def validate(self, attrs):
        if len(attrs) != 1:
            raise serializers.ValidationError(
                "Pilih tepat satu dari all_regencies, all_provinces, province, regions / "
                "give exactly one of all_regencies, all_provinces, province, regions",
                code="invalid",
            )
        return attrs


def scope_of(directive):
    """The directive's scope in the API's shape (workflow.scopes.Scope)."""
    return Scope.of(directive).as_api()
