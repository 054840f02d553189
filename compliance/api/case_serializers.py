"""Shapes of a compliance case: violations, suspension requests, evidence, remediations,
the case file and the transition log, with their inputs."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    EvidenceDocument,
    Remediation,
    RemediationStatement,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
    Violation,
    ViolationKind,
)
from .inputs import (
    QueryFilters,
    Upload,
    an_id,
    optional_text,
    required_list,
    required_text,
)
from .planned import PlannedRepresentation


class ViolationSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Violation
        fields = ["id", "kind", "description", "legal_basis", "flagged_at"]


class FlaggedViolationSerializer(ViolationSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    regency = serializers.CharField(source="case.regency.code", read_only=True)

    class Meta(ViolationSerializer.Meta):
        fields = [*ViolationSerializer.Meta.fields, "case", "regency"]


class OpenCaseSerializer(PlannedRepresentation, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    open_violations = ViolationSerializer(many=True, read_only=True)


class OpenSuspensionSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = SuspensionPeriod
        fields = ["id", "started_at"]


class SuspensionPeriodSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = SuspensionPeriod
        fields = ["id", "started_at", "ended_at"]


class SuspensionRequestSerializer(PlannedRepresentation, serializers.ModelSerializer):
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
        help_text="Periode pemutusan, dibuka saat operator jaringan melaksanakan perintah "
        "putus yang diterbitkan persetujuan / the suspension period, opened when the network "
        "operators carry out the cut order the approval issued",
    )
    access_order = serializers.SerializerMethodField(
        help_text="id perintah putus akses yang diterbitkan persetujuan (null sebelumnya) / "
        "the id of the cut order its approval issued (null until approved)"
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
            "access_order",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_access_order(self, suspension_request):
        if suspension_request.status != RequestStatus.APPROVED:
            return None  # only an approval issues an order: nothing to look up
        # The views load it with the request (select_related, or prefetched in a case file).
        order = getattr(suspension_request, "order", None)
        return order.pk if order is not None else None


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


class EvidenceFileSerializer(EvidenceSerializer):
    """A document as the one who decides opens it: its data and where to fetch it."""

    url = serializers.SerializerMethodField(
        help_text="GET it here (jurisdiction checked) / /api/v1/evidence/{id}/"
    )

    class Meta(EvidenceSerializer.Meta):
        fields = [*EvidenceSerializer.Meta.fields, "url"]

    def get_url(self, document) -> str:
        return reverse("compliance-api:evidence-download", args=[document.pk])


class StatementSerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField(help_text="ids of its evidence documents")
    documents = serializers.SerializerMethodField(help_text="its evidence documents, in full")

    class Meta:
        model = RemediationStatement
        fields = ["violation", "statement", "evidence", "documents"]

    def _documents(self, statement):
        # compliance.case_file prefetches them as `documents`; else read them here.
        found = getattr(statement, "documents", None)
        if found is None:
            found = list(statement.evidence.select_related("regency", "uploaded_by"))
            statement.documents = found
        return found

    def get_evidence(self, statement) -> list[int]:
        return [d.pk for d in self._documents(statement)]

    @extend_schema_field(EvidenceFileSerializer(many=True))
    def get_documents(self, statement):
        return EvidenceFileSerializer(self._documents(statement), many=True).data


class RemediationSerializer(serializers.ModelSerializer):
    regency = serializers.CharField(source="case.regency.code", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    submitted_office = serializers.CharField(source="submitted_office.title", read_only=True)
    statements = serializers.SerializerMethodField()

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
            "decided_at",
            "decision_reason",
            "statements",
        ]

    @extend_schema_field(StatementSerializer(many=True))
    def get_statements(self, remediation):
        rows = getattr(remediation, "statement_rows", None)  # compliance.case_file's
        if rows is None:
            rows = remediation.statements.select_related("violation")
        return StatementSerializer(rows, many=True).data


class CaseViolationSerializer(ViolationSerializer):
    flagged_by = serializers.CharField(
        source="flagged_by.username", read_only=True, allow_null=True, default=None
    )
    flagged_office = serializers.CharField(
        source="flagged_office.title", read_only=True, allow_null=True, default=None
    )

    class Meta(ViolationSerializer.Meta):
        fields = [
            *ViolationSerializer.Meta.fields,
            "flagged_by",
            "flagged_office",
            "remediated_at",
        ]


class CaseFileSerializer(serializers.Serializer):
    """What a decision on the case is made on (compliance.case_file): every violation,
    every remediation with its statements and their documents, newest first, and the
    suspension requests with their decisions."""

    id = serializers.IntegerField(source="case.pk", read_only=True)
    regency = serializers.CharField(source="case.regency.code", read_only=True)
    opened_at = serializers.DateTimeField(source="case.opened_at", read_only=True)
    closed_at = serializers.DateTimeField(source="case.closed_at", read_only=True, allow_null=True)
    violations = CaseViolationSerializer(many=True, read_only=True)
    remediations = RemediationSerializer(many=True, read_only=True)
    suspension_requests = SuspensionRequestSerializer(source="requests", many=True, read_only=True)


class SuspensionRequestDetailSerializer(SuspensionRequestSerializer):
    case_file = CaseFileSerializer(
        read_only=True, help_text="Berkas kasus yang diputus / the file of the case decided on"
    )

    class Meta(SuspensionRequestSerializer.Meta):
        fields = [*SuspensionRequestSerializer.Meta.fields, "case_file"]


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


class SuspensionRequestFilterSerializer(QueryFilters):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)


class FlagInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ViolationKind.choices)
    description = required_text()
    legal_basis = required_text(max_length=500)


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
