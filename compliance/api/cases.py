"""Suspension requests (the directors' queue and their decisions), remediations and
evidence documents, with the case file each is decided on."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..case_file import case_file, get_visible_remediation
from ..evidence import ALLOWED_MIME_TYPES
from .case_serializers import (
    RemediationSerializer,
    SuspensionRequestDetailSerializer,
    SuspensionRequestFilterSerializer,
    SuspensionRequestSerializer,
)
from .pagination import KeysetPages
from .renderers import FILE_RENDERERS
from .serializers import ReasonInputSerializer, RequiredReasonInputSerializer
from .views import (
    REQUEST_ID,
    TAG,
    list_problems,
    parse,
    problems,
    with_input,
    with_orders,
)


class SuspensionRequestDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[REQUEST_ID],
        responses={200: SuspensionRequestDetailSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu permintaan pemutusan dengan berkas kasusnya / one suspension request with
        the file of its case (what the director decides on)."""
        found = selectors.get_visible_suspension_request(request.user, pk)
        found.case_file = with_orders(case_file(found.case_id))
        return Response(SuspensionRequestDetailSerializer(found).data)


class RemediationDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="id perbaikan")],
        responses={200: RemediationSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu perbaikan: pernyataan dan dokumen buktinya / one remediation: its statements
        and their evidence documents, and its decision."""
        remediation = get_visible_remediation(request.user, pk)
        [found] = [r for r in case_file(remediation.case_id).remediations if r.pk == remediation.pk]
        return Response(RemediationSerializer(found).data)


@extend_schema(
    tags=[TAG],
    parameters=[SuspensionRequestFilterSerializer],
    responses={200: SuspensionRequestSerializer(many=True), **list_problems()},
)
class SuspensionRequestListView(generics.ListAPIView):
    """Permintaan pemutusan dalam yurisdiksi pemanggil (antrian direktur: ?status=pending) /
    suspension requests in the caller's jurisdiction (the director's queue)."""

    serializer_class = SuspensionRequestSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(SuspensionRequestFilterSerializer, self.request.query_params)
        requests = selectors.suspension_requests_for(self.request.user, **filters)
        return requests.select_related("order")


class EvidenceDownloadView(APIView):
    renderer_classes = FILE_RENDERERS

    @extend_schema(
        tags=[TAG],
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="id dokumen bukti")
        ],
        responses={
            **{
                (200, mime): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="berkasnya, sebagai lampiran, dengan jenisnya sendiri / the "
                    "file, as an attachment, served as its own type",
                )
                for mime in sorted(ALLOWED_MIME_TYPES)
            },
            **problems(404),
        },
    )
    def get(self, request, pk):
        """Unduh dokumen bukti / download an evidence document (jurisdiction checked)."""
        document = selectors.get_visible_evidence(request.user, pk)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


class SuspensionDecisionView(APIView):
    service = None  # set by each subclass
    input_serializer = ReasonInputSerializer

    @extend_schema(
        tags=[TAG],
        parameters=[REQUEST_ID],
        request=ReasonInputSerializer,
        responses={200: SuspensionRequestSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Setujui atau tolak permintaan pemutusan / approve or reject a suspension request
        (a ministry director other than the requester). An approval issues an order to cut
        the regency's SIAK access (`access_order`); the regency is suspended when the
        network operators confirm it (POST /api/v1/access-orders/{id}/execute/)."""
        suspension_request = selectors.get_visible_suspension_request(request.user, pk)
        reason = parse(self.input_serializer, request.data)["reason"]
        self.service(request=suspension_request, actor=request.user, reason=reason)
        decided = selectors.get_visible_suspension_request(request.user, pk)
        return Response(SuspensionRequestSerializer(decided).data)


class ApproveSuspensionView(SuspensionDecisionView):
    service = staticmethod(services.approve_suspension)


@with_input(RequiredReasonInputSerializer)
class RejectSuspensionView(SuspensionDecisionView):
    service = staticmethod(services.reject_suspension)
    input_serializer = RequiredReasonInputSerializer
