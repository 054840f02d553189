"""What is done to a regency through the API: flag a violation, request a suspension,
upload evidence, submit, reject or accept a remediation, clear the case."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import get_visible_order
from ..permissions import get_visible_regency
from .access_serializers import AccessOrderSerializer
from .case_serializers import (
    EvidenceInputSerializer,
    EvidenceSerializer,
    FlaggedViolationSerializer,
    FlagInputSerializer,
    RemediationInputSerializer,
    RemediationSerializer,
    SuspensionRequestSerializer,
    TransitionLogSerializer,
)
from .renderers import JSONParser
from .serializers import ReasonInputSerializer, RequiredReasonInputSerializer
from .views import (
    CODE,
    TAG,
    parse,
    problems,
    with_input,
)


class FlagView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=FlagInputSerializer,
        responses={201: FlaggedViolationSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Tandai pelanggaran / flag a violation (ministry officer)."""
        regency = get_visible_regency(request.user, code)
        data = parse(FlagInputSerializer, request.data)
        violation = services.flag_regency(regency=regency, actor=request.user, **data)
        return Response(FlaggedViolationSerializer(violation).data, status.HTTP_201_CREATED)


class SuspensionRequestCreateView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=RequiredReasonInputSerializer,
        responses={201: SuspensionRequestSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Minta pemutusan akses SIAK / request a suspension (ministry officer)."""
        regency = get_visible_regency(request.user, code)
        reason = parse(RequiredReasonInputSerializer, request.data)["reason"]
        created = services.request_suspension(regency=regency, actor=request.user, reason=reason)
        return Response(SuspensionRequestSerializer(created).data, status.HTTP_201_CREATED)


class EvidenceUploadView(APIView):
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: EvidenceSerializer, **problems(400, 403, 404, 413, 415, 422)},
    )
    def post(self, request, code):
        """Unggah dokumen bukti (PDF, gambar, dokumen perkantoran) / upload evidence
        (the regency's regent or mayor, or its Dukcapil head)."""
        regency = get_visible_regency(request.user, code)
        data = parse(EvidenceInputSerializer, request.data)
        document = services.upload_evidence(regency=regency, actor=request.user, **data)
        return Response(EvidenceSerializer(document).data, status.HTTP_201_CREATED)


class RemediationView(APIView):
    parser_classes = [JSONParser]  # statements nest lists in objects: a form can't say it

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=RemediationInputSerializer,
        responses={201: RemediationSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    def post(self, request, code):
        """Ajukan perbaikan: satu pernyataan dan minimal satu dokumen bukti per pelanggaran
        terbuka / submit remediation: a statement and at least one evidence document for
        every open violation (the regency's own officials)."""
        regency = get_visible_regency(request.user, code)
        statements = parse(RemediationInputSerializer, request.data)["statements"]
        remediation = services.submit_remediation(
            regency=regency, actor=request.user, statements=statements
        )
        return Response(RemediationSerializer(remediation).data, status.HTTP_201_CREATED)


class RegencyTransitionView(APIView):
    """A transition that takes a reason and answers with its log row."""

    service = None
    input_serializer = ReasonInputSerializer

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=ReasonInputSerializer,
        responses={200: TransitionLogSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        regency = get_visible_regency(request.user, code)
        reason = parse(self.input_serializer, request.data)["reason"]
        log = self.service(regency=regency, actor=request.user, reason=reason)
        return Response(TransitionLogSerializer(log).data)


@with_input(RequiredReasonInputSerializer)
class RejectRemediationView(RegencyTransitionView):
    """Tolak perbaikan (alasan wajib) / reject the remediation (reason required; officer)."""

    service = staticmethod(services.reject_remediation)
    input_serializer = RequiredReasonInputSerializer


class ReconnectView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=ReasonInputSerializer,
        responses={200: AccessOrderSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Terima perbaikan dan perintahkan pemulihan akses SIAK / accept the remediation and
        order SIAK access restored (ministry director). Answers the restore order: the
        regency is reconnected, and its suspension period ends, when the network operators
        confirm it (POST /api/v1/access-orders/{id}/execute/)."""
        regency = get_visible_regency(request.user, code)
        reason = parse(ReasonInputSerializer, request.data)["reason"]
        order = services.reconnect_regency(regency=regency, actor=request.user, reason=reason)
        return Response(AccessOrderSerializer(get_visible_order(request.user, order.pk)).data)


class ClearView(RegencyTransitionView):
    """Nyatakan patuh / clear the case (ministry officer)."""

    service = staticmethod(services.clear_regency)
