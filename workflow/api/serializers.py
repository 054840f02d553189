"""Shapes of the workflow API. Input serializers state the shape the schema promises
(types, what is required, that required text is not blank): what breaks it is 400. The
rules beyond it (who may, from which state, whether a code names something) are the
services': 403, 409, 422."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.api.inputs import (
    BooleanFilter,
    Pattern,
    QueryFilters,
    Slug,
    an_id,
    optional_text,
    required_text,
)
from compliance.api.planned import PlannedRepresentation
from compliance.models import EvidenceDocument

from .. import report_notes
from ..models import (
    ESCALATION_STOPPED,
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    DirectiveState,
    DocumentKind,
    Notification,
    Priority,
    StepEvent,
)
from ..selectors import zone_label
from .scope import SCOPE_SCHEMA, ScopeSerializer, scope_of

# --- directives --------------------------------------------------------------------------


class StateCountsSerializer(PlannedRepresentation, serializers.Serializer):
    issued = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    submitted = serializers.IntegerField()
    verified = serializers.IntegerField()
    returned = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class LevelCountSerializer(PlannedRepresentation, serializers.Serializer):
    level = serializers.IntegerField(help_text="0: belum ada langkah / no step fired yet")
    step = serializers.CharField(
        allow_null=True, help_text="slug langkah kebijakan pada tingkat ini / the policy's step"
    )
    count = serializers.IntegerField()


class AssignmentCountsSerializer(PlannedRepresentation, serializers.Serializer):
    total = serializers.IntegerField()
    by_state = StateCountsSerializer()
    overdue = serializers.IntegerField(
        help_text="lewat batas waktu dan belum dilaporkan / past the due instant and not "
        "submitted, verified or withdrawn"
    )
    by_escalation_level = LevelCountSerializer(many=True)


@extend_schema_field(AssignmentCountsSerializer)
class AssignmentCountsField(serializers.ReadOnlyField):
    """A directive's counts as selectors.describe_directives builds them: plain integers,
    slugs and lists already in AssignmentCountsSerializer's shape, printed as they are.
    Walking them through the nested serializers cost a directive list a quarter of its
    Python (ten nested representations a row); the schema is the serializer's, and
    tests/workflow/test_api_directives.py checks that the walk would print the same."""


class DirectiveSerializer(PlannedRepresentation, serializers.ModelSerializer):
    issuing_office = serializers.CharField(source="issuing_office.title", read_only=True)
    policy = serializers.SlugField(source="policy.slug", read_only=True)
    scope = serializers.SerializerMethodField()
    assignment_counts = AssignmentCountsField(
        help_text="Penugasan dalam yurisdiksi pemanggil / the assignments within the "
        "caller's jurisdiction",
    )

    class Meta:
        model = Directive
        fields = [
            "id",
            "title",
            "body",
            "legal_basis",
            "document_kind",
            "programme_basis",
            "issuing_office",
            "due_date",
            "priority",
            "policy",
            "scope",
            "state",
            "created_at",
            "issued_at",
            "withdrawn_at",
            "assignment_counts",
        ]

    @extend_schema_field(SCOPE_SCHEMA)
    def get_scope(self, directive):
        return scope_of(directive)


class DirectiveInputSerializer(serializers.Serializer):
    title = required_text(max_length=300)
    body = required_text()
    legal_basis = required_text(max_length=500)
    due_date = serializers.DateField(input_formats=["%Y-%m-%d"])
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    policy = Slug(
        required=False,
        default=None,
        allow_null=True,
        help_text="slug kebijakan eskalasi; bawaan: tindak-lanjut (tanpa sanksi) / the "
        "escalation policy's slug; default tindak-lanjut, reminders and overdue notices "
        "without sanctions (an unknown one: 422)",
    )
    document_kind = serializers.ChoiceField(
        choices=DocumentKind.choices,
        required=False,
        default=None,
        allow_null=True,
        help_text="jenis naskah dinas; bawaan menurut kantor penerbit / the kind of official "
        "document; by default the issuing office's (Surat Menteri, Surat Gubernur, Surat "
        "Direktur Jenderal)",
    )
    programme_basis = optional_text(
        max_length=500,
        help_text="instrumen yang menetapkan pokok direktif sebagai program strategis "
        "nasional; wajib untuk kebijakan program-strategis-nasional (UU 23/2014 Pasal "
        "67-68: sanksi hanya untuk program strategis nasional) / the instrument that makes "
        "the directive's subject a national strategic programme; required by the "
        "program-strategis-nasional policy (422 without it)",
    )
    scope = ScopeSerializer()


class DirectiveFilterSerializer(QueryFilters):
    state = serializers.ChoiceField(choices=DirectiveState.choices, required=False)


# --- assignments ---------------------------------------------------------------------------


def _escalating(assignment):
    return assignment.state not in ESCALATION_STOPPED and assignment.next_step_id


class NextStepInstant(serializers.DateTimeField):
    """When the next escalation step is due; null once escalation stopped. A DateTimeField
    of the serializer's, so that it formats in the zone the serializer's plan fixes once
    (compliance.api.planned; an unbound one looks the zone up again for each value: 5.6
    against 1.9 µs, a page of 100 assignments 0.4 ms)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, assignment):
        if not _escalating(assignment):
            return None
        return super().to_representation(assignment.next_step_at)


class DirectiveRefSerializer(PlannedRepresentation, serializers.ModelSerializer):
    class Meta:
        model = Directive
        fields = ["id", "title"]


class OfficeRefSerializer(PlannedRepresentation, serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()


class AssignmentSerializer(PlannedRepresentation, serializers.ModelSerializer):
    directive = DirectiveRefSerializer(read_only=True)
    office = OfficeRefSerializer(read_only=True)
    region = serializers.SerializerMethodField(
        help_text="kode kabupaten/kota, atau provinsi untuk gubernur / regency code, or the "
        "province's for a governor"
    )
    due_at_local = serializers.SerializerMethodField(
        help_text="batas waktu di zona waktu penerima (akhir hari batas waktu) / the due "
        "instant in the recipient's own time zone (the end of the due day)"
    )
    time_zone = serializers.SerializerMethodField(help_text="WIB, WITA atau WIT")
    next_step = serializers.SerializerMethodField(
        help_text="slug langkah eskalasi berikutnya; null bila eskalasi berhenti / the next "
        "escalation step; null once escalation stopped (submitted, verified, withdrawn) or "
        "the ladder is done"
    )
    next_step_at = NextStepInstant()
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "directive",
            "office",
            "region",
            "state",
            "due_date",
            "due_at",
            "due_at_local",
            "time_zone",
            "acknowledged_at",
            "submitted_at",
            "escalation_level",
            "next_step",
            "next_step_at",
            "overdue",
        ]

    def get_region(self, assignment) -> str:
        return assignment.regency.code if assignment.regency_id else assignment.province.code

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_due_at_local(self, assignment):
        return assignment.due_at.astimezone(assignment.province.zoneinfo).isoformat()

    @extend_schema_field(serializers.SlugField(allow_null=True))
    def get_next_step(self, assignment):
        return assignment.next_step.slug if _escalating(assignment) else None

    def get_time_zone(self, assignment) -> str:
        return zone_label(assignment)


class ReportFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document):
        path = reverse("compliance-api:evidence-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class AssignmentDetailSerializer(AssignmentSerializer):
    evidence = serializers.SerializerMethodField(
        help_text="berkas bukti yang disebut laporan / the evidence files the report names"
    )

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "note", "last_step_at", "evidence"]

    @extend_schema_field(ReportFileSerializer(many=True))
    def get_evidence(self, assignment):
        """The evidence documents of the recipient's regency that the latest report names
        (workflow.report_notes), in the note's order."""
        wanted = report_notes.evidence_ids(assignment.note)
        if not wanted or assignment.regency_id is None:
            return []
        found = EvidenceDocument.objects.filter(pk__in=wanted, regency_id=assignment.regency_id)
        documents = found.in_bulk()
        files = [documents[pk] for pk in wanted if pk in documents]
        return ReportFileSerializer(files, many=True, context=self.context).data


class AssignmentFilterSerializer(QueryFilters):
    directive = an_id(required=False, help_text="id direktif / directive id")
    state = serializers.ChoiceField(choices=AssignmentState.choices, required=False)
    overdue = BooleanFilter(
        required=False,
        default=None,
        help_text="true: hanya yang terlambat; false: hanya yang tidak / true: only the "
        "overdue ones; false: only those that are not",
    )
    province = Pattern(
        r"^\d{2}$", required=False, help_text="kode provinsi / province code, e.g. 15"
    )
    mine = BooleanFilter(
        required=False,
        default=False,
        help_text="true: hanya yang ditujukan ke jabatan saya / only those addressed to an "
        "office I act for (a governor's own, not his regents')",
    )


class SubmitInputSerializer(serializers.Serializer):
    note = required_text(help_text="laporan pelaksanaan (wajib) / what was done (required)")
    evidence = serializers.FileField(
        required=False,
        help_text=(
            "berkas bukti (multipart; penugasan kabupaten/kota) / an evidence file "
            "(multipart; a regency's assignment): stored as the regency's evidence document "
            "and named in the note"
        ),
    )


# --- timeline ----------------------------------------------------------------------------------


class StateChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="null: the system itself",
    )
    office = serializers.CharField(
        source="office.title", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AssignmentEvent
        fields = ["transition", "from_state", "to_state", "actor", "office", "reason", "payload"]


class StepEventSerializer(serializers.ModelSerializer):
    step = serializers.SlugField(source="step.slug", read_only=True)
    action = serializers.CharField(source="step.action", read_only=True)
    level = serializers.IntegerField(source="step.order", read_only=True)

    class Meta:
        model = StepEvent
        fields = ["step", "action", "level", "planned_at", "fired_at", "skipped"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "template",
            "recipient_email",
            "state",
            "attempts",
            "created_at",
            "sent_at",
        ]


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(
        help_text="saat kejadian; langkah dan notifikasinya: saat yang direncanakan / when it "
        "happened; a step and its notifications: the step's planned instant"
    )
    kind = serializers.ChoiceField(choices=["state_change", "step", "notification"])
    state_change = StateChangeSerializer(allow_null=True, help_text="kind: state_change")
    step = StepEventSerializer(allow_null=True, help_text="kind: step")
    notification = NotificationSerializer(allow_null=True, help_text="kind: notification")
