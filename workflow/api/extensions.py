"""Extension requests in the API: their shapes, the request (the addressed office) and
the decision (the ministry, or the governor who issued the directive)."""

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import (
    KeysetPages,
    QueryFilters,
    required_text,
)
from compliance.api.serializers import ReasonInputSerializer, RequiredReasonInputSerializer
from compliance.api.views import list_problems, parse, problems

from .. import selectors, services
from ..models import (
    ExtensionRequest,
    ExtensionStatus,
)
from .serializers import DirectiveRefSerializer
from .views import ASSIGNMENT_ID, path_id

EXTENSIONS = "perpanjangan / extension requests"
EXTENSION_ID = path_id("permintaan perpanjangan / extension request id")


class ExtensionRequestSerializer(serializers.ModelSerializer):
    assignment = serializers.IntegerField(source="assignment_id", read_only=True)
    directive = DirectiveRefSerializer(source="assignment.directive", read_only=True)
    office = serializers.CharField(source="assignment.office.title", read_only=True)
    new_due = serializers.DateField(source="new_due_date", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    requested_office = serializers.CharField(source="requested_office.title", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True, default=None
    )
    decided_office = serializers.CharField(
        source="decided_office.title", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "assignment",
            "directive",
            "office",
            "new_due",
            "reason",
            "status",
            "requested_by",
            "requested_office",
            "requested_at",
            "decided_by",
            "decided_office",
            "decided_at",
            "decision_reason",
        ]


class ExtensionInputSerializer(serializers.Serializer):
    new_due = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text="setelah batas waktu sekarang / after the current due date (else 422)",
    )
    reason = required_text()


class ExtensionFilterSerializer(QueryFilters):
    status = serializers.ChoiceField(choices=ExtensionStatus.choices, required=False)


class ExtensionRequestCreateView(APIView):
    @extend_schema(
        tags=[EXTENSIONS],
        parameters=[ASSIGNMENT_ID],
        request=ExtensionInputSerializer,
        responses={
            201: ExtensionRequestSerializer,
            **problems(400, 403, 404, 409, 413, 415, 422),
        },
    )
    def post(self, request, pk):
        """Minta perpanjangan batas waktu / request a deadline extension (the addressed
        office); the ministry, or the governor who issued the directive, decides it."""
        assignment = selectors.get_visible_assignment(request.user, pk)
        data = parse(ExtensionInputSerializer, request.data)
        created = services.request_extension(
            assignment=assignment,
            actor=request.user,
            new_due_date=data["new_due"],
            reason=data["reason"],
        )
        body = ExtensionRequestSerializer(
            selectors.get_visible_extension_request(request.user, created.pk)
        ).data
        return Response(body, status.HTTP_201_CREATED)


@extend_schema(
    tags=[EXTENSIONS],
    parameters=[ExtensionFilterSerializer],
    responses={200: ExtensionRequestSerializer(many=True), **list_problems()},
)
class ExtensionRequestListView(generics.ListAPIView):
    """Permintaan perpanjangan dalam yurisdiksi pemanggil (antrian kementerian:
    ?status=pending) / extension requests in the caller's jurisdiction."""

    serializer_class = ExtensionRequestSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(ExtensionFilterSerializer, self.request.query_params)
        return selectors.extension_requests_for(self.request.user, **filters)


class ExtensionDecisionView(APIView):
    service = None  # set by each subclass
    input_serializer = ReasonInputSerializer

    @extend_schema(
        tags=[EXTENSIONS],
        parameters=[EXTENSION_ID],
        request=ReasonInputSerializer,
        responses={200: ExtensionRequestSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        extension = selectors.get_visible_extension_request(request.user, pk)
        reason = parse(self.input_serializer, request.data)["reason"]
        self.service(request=extension, actor=request.user, reason=reason)
        decided = selectors.get_visible_extension_request(request.user, pk)
        return Response(ExtensionRequestSerializer(decided).data)


class ApproveExtensionView(ExtensionDecisionView):
    """Setujui: batas waktu dan setiap langkah eskalasi berikutnya bergeser / approve: the
    deadline and every escalation step still to come move (ministry offices; a governor
    for the directives his office issued)."""

    service = staticmethod(services.approve_extension)


@extend_schema_view(post=extend_schema(request=RequiredReasonInputSerializer))
class RejectExtensionView(ExtensionDecisionView):
    """Tolak (alasan wajib); tidak ada yang berubah / reject (reason required); nothing
    changes (ministry offices; a governor for the directives his office issued)."""

    service = staticmethod(services.reject_extension)
    input_serializer = RequiredReasonInputSerializer
