"""Shapes of the API. Input serializers state the shape the schema promises (types, what
is required, that required text is not blank): what breaks it is 400. The rules beyond
it (who may, from which state, whether a code names something) are the services': 403,
409, 422."""

from rest_framework import serializers

from ..models import (
    ComplianceState,
    EvidenceDocument,
    Province,
    Regency,
    Remediation,
    RemediationStatement,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
    Violation,
    ViolationKind,
)
from ..permissions import ACTIONS
from .inputs import (
    Pattern,
    QueryFilters,
    Upload,
    an_id,
    optional_text,
    required_list,
    required_text,
)

# --- output -------------------------------------------------------------------


class ProvinceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name"]


class ViolationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Violation
        fields = ["id", "kind", "description", "legal_basis", "flagged_at"]


class FlaggedViolationSerializer(ViolationSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    regency = serializers.CharField(source="case.regency.code", read_only=True)

    class Meta(ViolationSerializer.Meta):
        fields = [*ViolationSerializer.Meta.fields, "case", "regency"]


class OpenCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    open_violations = ViolationSerializer(many=True, read_only=True)


class OpenSuspensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspensionPeriod
        fields = ["id", "started_at"]


class SuspensionPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspensionPeriod
        fields = ["id", "started_at", "ended_at"]


class SuspensionRequestSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency.code", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True, default=None
    )
    requested_office = serializers.CharField(source="requested_office.title", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    decided_office = serializers.CharField(
        source="decided_office.title", read_only=True, allow_null=True, default=None
    )
    period = SuspensionPeriodSerializer(
        read_only=True,
        allow_null=True,
        help_text="Periode pemutusan yang dibuka oleh persetujuan / the suspension period "
        "opened by the approval",
    )

    class Meta:
        model = SuspensionRequest
        fields = [
            "id",
            "regency",
            "case",
            "status",
            "reason",
            "requested_by",
            "requested_office",
            "requested_at",
            "decided_by",
            "decided_office",
            "decided_at",
            "decision_reason",
            "period",
        ]


class RegencySerializer(serializers.ModelSerializer):
    """A regency or city with its compliance situation (compliance.overview.describe)."""

    province = ProvinceRefSerializer(read_only=True)
    state = serializers.ChoiceField(choices=ComplianceState.choices, read_only=True)
    open_case = OpenCaseSerializer(read_only=True, allow_null=True)
    open_suspension = OpenSuspensionSerializer(read_only=True, allow_null=True)
    pending_suspension_request = SuspensionRequestSerializer(read_only=True, allow_null=True)
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
            "downtime_days",
            "residents_affected",
            "available_transitions",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency.code", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = EvidenceDocument
        fields = [
            "id",
            "regency",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by",
            "uploaded_at",
        ]


class StatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = RemediationStatement
        fields = ["violation", "statement", "evidence"]


class RemediationSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="case.regency.code", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    submitted_office = serializers.CharField(source="submitted_office.title", read_only=True)
    statements = StatementSerializer(many=True, read_only=True)

    class Meta:
        model = Remediation
        fields = [
            "id",
            "regency",
            "case",
            "status",
            "submitted_by",
            "submitted_office",
            "submitted_at",
            "statements",
        ]


class TransitionLogSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="regency.code", read_only=True)
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="null: the system itself (e.g. clearing after probation)",
    )
    office = serializers.CharField(
        source="office.title", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TransitionLog
        fields = [
            "id",
            "regency",
            "at",
            "transition",
            "from_state",
            "to_state",
            "actor",
            "office",
            "reason",
            "payload",
        ]


class DowntimeSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="null for the whole country")
    name = serializers.CharField()
    downtime_days = serializers.FloatField()


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


# --- input --------------------------------------------------------------------


class RegencyFilterSerializer(QueryFilters):
    province = Pattern(
        r"^\d{2}$", required=False, help_text="kode provinsi / province code, e.g. 15"
    )
    state = serializers.ChoiceField(choices=ComplianceState.choices, required=False)


class SuspensionRequestFilterSerializer(QueryFilters):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


class DowntimeFilterSerializer(QueryFilters):
    level = serializers.ChoiceField(
        choices=["regency", "province", "country"], required=False, default="regency"
    )


class FlagInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ViolationKind.choices)
    description = required_text()
    legal_basis = required_text(max_length=500)


class ReasonInputSerializer(serializers.Serializer):
    reason = optional_text()


class RequiredReasonInputSerializer(serializers.Serializer):
    reason = required_text(help_text="alasan (wajib) / reason (required)")


class EvidenceInputSerializer(serializers.Serializer):
    file = Upload(
        help_text="PDF, gambar atau dokumen perkantoran, dikenali dari isinya / a PDF, image "
        "or office document, recognised by its content (else 422)"
    )
    description = optional_text(max_length=500)


class StatementInputSerializer(serializers.Serializer):
    violation = an_id(help_text="id of an open violation")
    statement = required_text()
    evidence = required_list(
        an_id(),
        help_text="ids of this regency's evidence documents",
    )


class RemediationInputSerializer(serializers.Serializer):
    statements = required_list(
        StatementInputSerializer(),
        help_text="satu per pelanggaran terbuka / one for every open violation (else 422)",
    )
