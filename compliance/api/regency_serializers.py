"""Shapes of a regency with its compliance situation (compliance.selectors.describe), its
detail with the case file, the downtime report, and their filters."""

from rest_framework import serializers

from ..models import (
    ComplianceState,
    Regency,
)
from ..permissions import ACTIONS
from .access_serializers import IssuedOrderSerializer
from .case_serializers import (
    CaseFileSerializer,
    OpenCaseSerializer,
    OpenSuspensionSerializer,
    SuspensionRequestSerializer,
)
from .inputs import (
    Pattern,
    QueryFilters,
)
from .planned import PlannedRepresentation
from .serializers import ProvinceRefSerializer


class RegencySerializer(PlannedRepresentation, serializers.ModelSerializer):
    """A regency or city with its compliance situation (compliance.selectors.describe)."""

    province = ProvinceRefSerializer(read_only=True)
    state = serializers.ChoiceField(choices=ComplianceState.choices, read_only=True)
    open_case = OpenCaseSerializer(read_only=True, allow_null=True)
    open_suspension = OpenSuspensionSerializer(read_only=True, allow_null=True)
    pending_suspension_request = SuspensionRequestSerializer(read_only=True, allow_null=True)
    issued_order = IssuedOrderSerializer(
        read_only=True,
        allow_null=True,
        help_text="Perintah akses yang menunggu pelaksanaan operator jaringan (null bila tidak "
        "ada) / the access order waiting for the network operators (null if none)",
    )
    downtime_days = serializers.FloatField(
        read_only=True,
        help_text="Hari tanpa akses SIAK, dijumlah atas semua periode pemutusan / "
        "days without SIAK access, summed over all suspension periods",
    )
    residents_affected = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Penduduk wajib KTP-el kabupaten/kota menurut laporan perekaman terakhir "
        "tiap kecamatan (null tanpa laporan): yang terdampak bila akses SIAK diputus / the "
        "regency's residents obliged to hold an e-KTP, from each district's latest recording "
        "report (null without reports): those a cut of the network leaves without services",
    )
    available_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=ACTIONS),
        read_only=True,
        help_text="Tindakan yang boleh diambil pemanggil sekarang / "
        "the actions the caller may take now",
    )

    class Meta:
        model = Regency
        fields = [
            "code",
            "name",
            "kind",
            "province",
            "state",
            "open_case",
            "open_suspension",
            "pending_suspension_request",
            "issued_order",
            "downtime_days",
            "residents_affected",
            "available_transitions",
        ]


class RegencyDetailSerializer(RegencySerializer):
    case_file = CaseFileSerializer(
        read_only=True,
        allow_null=True,
        help_text="Berkas kasus terbuka, atau kasus terakhir (null bila tak pernah ada) / the "
        "open case's file, else the last case's (null if it never had one)",
    )

    class Meta(RegencySerializer.Meta):
        fields = [*RegencySerializer.Meta.fields, "case_file"]


class DowntimeSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="null for the whole country")
    name = serializers.CharField()
    downtime_days = serializers.FloatField()


class RegencyFilterSerializer(QueryFilters):
    province = Pattern(
        r"^\d{2}$", required=False, help_text="kode provinsi / province code, e.g. 15"
    )
    state = serializers.ChoiceField(choices=ComplianceState.choices, required=False)


class DowntimeFilterSerializer(QueryFilters):
    level = serializers.ChoiceField(
        choices=["regency", "province", "country"], required=False, default="regency"
    )
