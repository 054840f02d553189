"""Shapes of the API. Input serializers state the shape the schema promises (types, what
is required, that required text is not blank): what breaks it is 400. The rules beyond
it (who may, from which state, whether a code names something) are the services': 403,
409, 422."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    AccessOrder,
    AccessOrderKind,
    AccessOrderState,
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


def _named_choice(choices, name):
    """A ChoiceField class whose choice set is the schema component `name`: the fields
    `kind` and `state` already name other choice sets there."""
    schema = {"type": "string", "enum": list(choices.values)}
    field_class = type(f"{name}Field", (serializers.ChoiceField,), {})
    field_class = extend_schema_field(schema, component_name=name)(field_class)
    return lambda **kwargs: field_class(choices=choices.choices, **kwargs)


order_kind = _named_choice(AccessOrderKind, "AccessOrderKindEnum")
order_state = _named_choice(AccessOrderState, "AccessOrderStateEnum")

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


class IssuedOrderSerializer(serializers.ModelSerializer):
    """The access order waiting for the network operators (compliance.access)."""

    kind = order_kind(read_only=True)
    state = order_state(read_only=True)

    class Meta:
        model = AccessOrder
        fields = ["id", "kind", "state", "issued_at", "due_at"]
        read_only_fields = fields


class AccessOrderSerializer(serializers.ModelSerializer):
    """A director's order to cut or restore a regency's SIAK access, as the network
    operators carry it out (compliance.access)."""

    regency = serializers.CharField(source="regency.code", read_only=True)
    regency_name = serializers.CharField(source="regency.name", read_only=True)
    kind = order_kind(read_only=True)
    state = order_state(read_only=True)
    request = serializers.IntegerField(
        source="request_id",
        read_only=True,
        allow_null=True,
        help_text="permintaan pemutusan yang dijawab (perintah putus) / the suspension request "
        "it answers (a cut; null for a restoration)",
    )
    issued_by = serializers.CharField(
        source="issued_by.username", read_only=True, allow_null=True, default=None
    )
    issued_office = serializers.CharField(source="issued_office.title", read_only=True)
    executed_by = serializers.CharField(
        source="executed_by.username", read_only=True, allow_null=True, default=None
    )
    executed_office = serializers.CharField(
        source="executed_office.title", read_only=True, allow_null=True, default=None
    )
    overdue = serializers.SerializerMethodField(
        help_text="masih menunggu pelaksanaan sesudah due_at / still waiting past due_at"
    )

    class Meta:
        model = AccessOrder
        fields = [
            "id",
            "regency",
            "regency_name",
            "kind",
            "state",
            "reason",
            "request",
            "issued_by",
            "issued_office",
            "issued_at",
            "due_at",
            "escalated_at",
            "executed_by",
            "executed_office",
            "executed_at",
            "reference",
            "cancelled_at",
            "cancel_reason",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, order) -> bool:
        now = self.context.get("now") or timezone.now()
        return order.state == AccessOrderState.ISSUED and order.due_at <= now


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


class RegencySerializer(serializers.ModelSerializer):
    """A regency or city with its compliance situation (compliance.overview.describe)."""

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


class RegencyDetailSerializer(RegencySerializer):
    case_file = CaseFileSerializer(
        read_only=True,
        allow_null=True,
        help_text="Berkas kasus terbuka, atau kasus terakhir (null bila tak pernah ada) / the "
        "open case's file, else the last case's (null if it never had one)",
    )

    class Meta(RegencySerializer.Meta):
        fields = [*RegencySerializer.Meta.fields, "case_file"]


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


class AccessOrderFilterSerializer(QueryFilters):
    state = order_state(required=False)
    kind = order_kind(required=False)
    regency = Pattern(
        r"^\d{2}\.\d{2}$",
        required=False,
        help_text="kode kabupaten/kota / regency code, e.g. 15.02",
    )


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


class ExecuteInputSerializer(serializers.Serializer):
    executed_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="saat dilaksanakan, ISO 8601 (bawaan: sekarang); tidak di masa depan dan "
        "tidak sebelum perintah diterbitkan (else 422) / when it was carried out, ISO 8601 "
        "(default: now); neither in the future nor before the order was issued (else 422)",
    )
    reference = optional_text(
        max_length=100,
        help_text="nomor rujukan pelaksanaan (tiket, perubahan) / the network side's own "
        "reference (a change or ticket number)",
    )


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
