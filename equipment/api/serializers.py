"""Shapes of the equipment API. Input serializers state the shape the schema promises:
what breaks it is 400. The rules beyond it (who may, from which status, whether the
district exists) are equipment.services': 403, 409, 422."""

from rest_framework import serializers

from compliance.api.inputs import Pattern, QueryFilters, optional_text, required_text

from ..models import Device, DeviceKind, DeviceStatus, Funding, StatusChange


class StatusChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username", read_only=True, allow_null=True, default=None
    )
    office = serializers.CharField(
        source="office.title", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = StatusChange
        fields = ["id", "at", "from_status", "to_status", "actor", "office", "note"]


class DeviceSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    regency = serializers.CharField(source="district.regency.code", read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "serial_number",
            "kind",
            "funded_by",
            "status",
            "district",
            "district_name",
            "regency",
            "registered_at",
        ]


class DeviceDetailSerializer(DeviceSerializer):
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "history"]


class RegencyEquipmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    working = serializers.IntegerField(help_text="berfungsi / operational devices")
    broken = serializers.IntegerField(help_text="rusak, belum diperbaiki / reported broken")
    under_repair = serializers.IntegerField(help_text="dalam perbaikan / under repair")
    out_of_service = serializers.IntegerField(help_text="broken + under_repair")
    decommissioned = serializers.IntegerField(help_text="dihapuskan / decommissioned")
    days_out_of_service = serializers.FloatField(
        help_text="hari tidak berfungsi, dijumlah atas semua perangkat / days out of "
        "service, summed over every device's breakdowns (an open one counts until now)"
    )


class DeviceFilterSerializer(QueryFilters):
    regency = Pattern(r"^\d{2}\.\d{2}$", required=False, help_text="e.g. 15.02")
    district = Pattern(r"^\d{2}\.\d{2}\.\d{2}$", required=False, help_text="e.g. 15.02.01")
    status = serializers.ChoiceField(choices=DeviceStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=DeviceKind.choices, required=False)


class DeviceInputSerializer(serializers.Serializer):
    district = Pattern(
        r"^\d{2}\.\d{2}\.\d{2}$",
        help_text="kode kecamatan Kemendagri / district code, e.g. 15.02.01 (unknown: 422)",
    )
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    serial_number = required_text(max_length=100)
    funded_by = serializers.ChoiceField(choices=Funding.choices)


class StatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DeviceStatus.choices)
    note = optional_text()
