"""Thin API views: parse the input, call one service (or selector), serialize the result.

Lookups go through the caller's jurisdiction: anything outside it is 404, as if it did
not exist. Errors become problem details in ektp_compliance.problems.
"""

from django.db.models import prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import overview, services
from ..access import get_visible_order, orders_for
from ..case_file import case_file, get_visible_remediation, latest_case
from ..evidence import ALLOWED_MIME_TYPES
from ..permissions import get_visible_regency
from . import serializers as s
from .inputs import KeysetPages, Pages
from .renderers import FILE_RENDERERS, PROBLEM_CONTENT_TYPE, JSONParser

TAG = "kepatuhan / compliance"
CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=r"^\d{2}\.\d{2}$",
    description="Kode Kemendagri kabupaten/kota / Kemendagri regency code, e.g. 15.02",
    examples=[OpenApiExample("Merangin", value="15.02")],
)
REQUEST_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id permintaan / request id"
)
ORDER_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id perintah akses / access order id"
)
ACCESS_TAG = "akses SIAK / SIAK access"


PROBLEM_DESCRIPTIONS = {
    400: "Masukan tidak sesuai skema ini; `errors` menyebut tiap kolom / input that does not "
    "match this schema (a required field left out or blank, a wrong type or format, an "
    "empty filter); `errors` names each field",
    401: "Belum terautentikasi / not authenticated",
    403: "Jabatan Anda tidak berwenang / your office may not do this",
    404: "Tidak ditemukan atau di luar yurisdiksi / unknown or outside your jurisdiction",
    409: "Tidak dapat dari status sekarang atau kalah oleh perubahan bersamaan / "
    "not allowed from the current state, or lost to a concurrent change",
    413: "Isi permintaan atau berkasnya melebihi batas / the request body, or its file, is "
    "larger than its limit",
    415: "Jenis isi permintaan tidak didukung; lihat requestBody / a request body of a type "
    "this operation does not take (see its requestBody)",
    422: "Sesuai skema tetapi ditolak aturan: kode yang tidak menunjuk apa pun, tanggal yang "
    "sudah lewat, berkas yang bukan dokumen yang diterima; `errors` menyebut tiap kolom / "
    "well-formed, but refused by a rule the schema cannot state (a code or id that names "
    "nothing here, a date already past, a file that is not an accepted document); `errors` "
    "names each field",
    429: "Terlalu banyak permintaan; coba lagi setelah Retry-After detik / "
    "too many requests; try again after Retry-After seconds",
}
PAGE_NOT_FOUND = (
    "Halaman di luar daftar, atau cursor yang tidak dikenal / a page past the last one (or "
    "not a page number), or a cursor that is not one of this list's"
)


def problems(*codes, **descriptions):
    """The problem details an operation answers, besides 401 and 429 (every operation:
    authentication and throttling are the API's own). descriptions: `_404="..."` to say
    what a status means here."""
    described = {**PROBLEM_DESCRIPTIONS}
    described |= {int(key.lstrip("_")): text for key, text in descriptions.items()}
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            s.ProblemSerializer, description=described[code]
        )
        for code in sorted({401, 429, *codes})
    }


def list_problems(*codes):
    """A paginated list's: invalid input (a filter), and 404 for a page past the last."""
    return problems(400, 404, *codes, _404=PAGE_NOT_FOUND)


def parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _with_orders(case_file_or_none):
    """The access orders of a case file's requests, in one query (for `access_order`)."""
    if case_file_or_none is not None:
        prefetch_related_objects(case_file_or_none.requests, "order")
    return case_file_or_none


# --- reads --------------------------------------------------------------------


@extend_schema(
    tags=[TAG],
    parameters=[s.RegencyFilterSerializer],
    responses={200: s.RegencySerializer(many=True), **list_problems()},
)
class RegencyListView(generics.ListAPIView):
    """Kabupaten/kota dalam yurisdiksi pemanggil / the regencies the caller's jurisdiction
    covers, with their compliance state and the actions the caller may take now."""

    serializer_class = s.RegencySerializer
    pagination_class = Pages

    def get_queryset(self):
        filters = parse(s.RegencyFilterSerializer, self.request.query_params)
        return overview.regencies_for(self.request.user, **filters)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        regencies = overview.describe(page, request.user)
        return self.get_paginated_response(self.get_serializer(regencies, many=True).data)


class RegencyDetailView(APIView):
    @extend_schema(
        tags=[TAG], parameters=[CODE], responses={200: s.RegencyDetailSerializer, **problems(404)}
    )
    def get(self, request, code):
        """Satu kabupaten/kota dengan berkas kasusnya / one regency or city, with its case
        file: violations, remediations with statements and evidence, decisions."""
        regency = get_visible_regency(request.user, code)
        [regency] = overview.describe([regency], request.user)
        regency.case_file = _with_orders(case_file(regency.open_case or latest_case(regency)))
        return Response(s.RegencyDetailSerializer(regency).data)


class SuspensionRequestDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[REQUEST_ID],
        responses={200: s.SuspensionRequestDetailSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu permintaan pemutusan dengan berkas kasusnya / one suspension request with
        the file of its case (what the director decides on)."""
        found = overview.get_visible_suspension_request(request.user, pk)
        found.case_file = _with_orders(case_file(found.case_id))
        return Response(s.SuspensionRequestDetailSerializer(found).data)


class RemediationDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="id perbaikan")],
        responses={200: s.RemediationSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu perbaikan: pernyataan dan dokumen buktinya / one remediation: its statements
        and their evidence documents, and its decision."""
        remediation = get_visible_remediation(request.user, pk)
        [found] = [r for r in case_file(remediation.case_id).remediations if r.pk == remediation.pk]
        return Response(s.RemediationSerializer(found).data)


class RegencyHistoryView(generics.ListAPIView):
    """Log transisi, terlama dahulu / the transition log, oldest first."""

    serializer_class = s.TransitionLogSerializer
    pagination_class = KeysetPages

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        responses={
            200: s.TransitionLogSerializer(many=True),
            **problems(400, 404, _404=f"{PROBLEM_DESCRIPTIONS[404]}; {PAGE_NOT_FOUND}"),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return overview.history(get_visible_regency(self.request.user, self.kwargs["code"]))


@extend_schema(
    tags=[TAG],
    parameters=[s.SuspensionRequestFilterSerializer],
    responses={200: s.SuspensionRequestSerializer(many=True), **list_problems()},
)
class SuspensionRequestListView(generics.ListAPIView):
    """Permintaan pemutusan dalam yurisdiksi pemanggil (antrian direktur: ?status=pending) /
    suspension requests in the caller's jurisdiction (the director's queue)."""

    serializer_class = s.SuspensionRequestSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(s.SuspensionRequestFilterSerializer, self.request.query_params)
        requests = overview.suspension_requests_for(self.request.user, **filters)
        return requests.select_related("order")


# --- access orders --------------------------------------------------------------


@extend_schema(
    tags=[ACCESS_TAG],
    parameters=[s.AccessOrderFilterSerializer],
    responses={200: s.AccessOrderSerializer(many=True), **list_problems()},
)
class AccessOrderListView(generics.ListAPIView):
    """Perintah putus/pulihkan akses SIAK dalam yurisdiksi pemanggil, terlama dahulu
    (antrian operator jaringan: ?state=issued) / the orders to cut or restore SIAK access
    in the caller's jurisdiction, oldest first (the network operators' queue)."""

    serializer_class = s.AccessOrderSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(s.AccessOrderFilterSerializer, self.request.query_params)
        regency = filters.pop("regency", None)
        orders = orders_for(self.request.user, **filters)
        return orders.filter(regency__code=regency) if regency else orders

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class AccessOrderDetailView(APIView):
    @extend_schema(
        tags=[ACCESS_TAG],
        parameters=[ORDER_ID],
        responses={200: s.AccessOrderSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu perintah akses / one access order."""
        return Response(s.AccessOrderSerializer(get_visible_order(request.user, pk)).data)


class ExecuteAccessOrderView(APIView):
    @extend_schema(
        tags=[ACCESS_TAG],
        parameters=[ORDER_ID],
        request=s.ExecuteInputSerializer,
        responses={
            200: s.AccessOrderSerializer,
            **problems(
                400,
                403,
                404,
                409,
                413,
                415,
                422,
                _403="Hanya operator jaringan / network operators only",
                _409="Perintah ini dibatalkan, atau kalah oleh perubahan bersamaan / the "
                "order was cancelled, or lost to a concurrent change",
                _422="executed_at di masa depan atau sebelum perintah diterbitkan / "
                "executed_at in the future or before the order was issued",
            ),
        },
    )
    def post(self, request, pk):
        """Konfirmasi pelaksanaan perintah / confirm that the order was carried out (network
        operators, or the network system with its API token). A cut suspends the regency
        and starts its suspension period at `executed_at`; a restoration reconnects it and
        ends the period. Confirming an order already executed changes nothing and answers
        it again (safe to retry)."""
        order = get_visible_order(request.user, pk)
        data = parse(s.ExecuteInputSerializer, request.data)
        services.execute_access_order(
            order=order,
            actor=request.user,
            at=data["executed_at"],
            reference=data["reference"],
        )
        return Response(s.AccessOrderSerializer(get_visible_order(request.user, pk)).data)


class DowntimeView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[s.DowntimeFilterSerializer],
        responses={200: s.DowntimeSerializer(many=True), **problems(400)},
    )
    def get(self, request):
        """Hari tanpa akses SIAK per kabupaten/kota, provinsi atau nasional, dalam yurisdiksi
        pemanggil / days without SIAK access per regency, province or the whole country,
        over the caller's jurisdiction."""
        level = parse(s.DowntimeFilterSerializer, request.query_params)["level"]
        rows = overview.downtime_report(request.user, level)
        return Response(s.DowntimeSerializer(rows, many=True).data)


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
        document = overview.get_visible_evidence(request.user, pk)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


# --- transitions ----------------------------------------------------------------


class FlagView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=s.FlagInputSerializer,
        responses={201: s.FlaggedViolationSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Tandai pelanggaran / flag a violation (ministry officer)."""
        regency = get_visible_regency(request.user, code)
        data = parse(s.FlagInputSerializer, request.data)
        violation = services.flag_regency(regency=regency, actor=request.user, **data)
        return Response(s.FlaggedViolationSerializer(violation).data, status.HTTP_201_CREATED)


class SuspensionRequestCreateView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=s.RequiredReasonInputSerializer,
        responses={201: s.SuspensionRequestSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Minta pemutusan akses SIAK / request a suspension (ministry officer)."""
        regency = get_visible_regency(request.user, code)
        reason = parse(s.RequiredReasonInputSerializer, request.data)["reason"]
        created = services.request_suspension(regency=regency, actor=request.user, reason=reason)
        return Response(s.SuspensionRequestSerializer(created).data, status.HTTP_201_CREATED)


def _with_input(serializer_class, **schema):
    """The schema of an inherited `post` that parses `serializer_class`: each subclass of
    a shared view states its own input (a reason optional here, required there)."""
    return extend_schema_view(post=extend_schema(request=serializer_class, **schema))


class SuspensionDecisionView(APIView):
    service = None  # set by each subclass
    input_serializer = s.ReasonInputSerializer

    @extend_schema(
        tags=[TAG],
        parameters=[REQUEST_ID],
        request=s.ReasonInputSerializer,
        responses={200: s.SuspensionRequestSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Setujui atau tolak permintaan pemutusan / approve or reject a suspension request
        (a ministry director other than the requester). An approval issues an order to cut
        the regency's SIAK access (`access_order`); the regency is suspended when the
        network operators confirm it (POST /api/v1/access-orders/{id}/execute/)."""
        suspension_request = overview.get_visible_suspension_request(request.user, pk)
        reason = parse(self.input_serializer, request.data)["reason"]
        self.service(request=suspension_request, actor=request.user, reason=reason)
        decided = overview.get_visible_suspension_request(request.user, pk)
        return Response(s.SuspensionRequestSerializer(decided).data)


class ApproveSuspensionView(SuspensionDecisionView):
    service = staticmethod(services.approve_suspension)


@_with_input(s.RequiredReasonInputSerializer)
class RejectSuspensionView(SuspensionDecisionView):
    service = staticmethod(services.reject_suspension)
    input_serializer = s.RequiredReasonInputSerializer


class EvidenceUploadView(APIView):
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request={"multipart/form-data": s.EvidenceInputSerializer},
        responses={201: s.EvidenceSerializer, **problems(400, 403, 404, 413, 415, 422)},
    )
    def post(self, request, code):
        """Unggah dokumen bukti (PDF, gambar, dokumen perkantoran) / upload evidence
        (the regency's regent or mayor, or its Dukcapil head)."""
        regency = get_visible_regency(request.user, code)
        data = parse(s.EvidenceInputSerializer, request.data)
        document = services.upload_evidence(regency=regency, actor=request.user, **data)
        return Response(s.EvidenceSerializer(document).data, status.HTTP_201_CREATED)


class RemediationView(APIView):
    parser_classes = [JSONParser]  # statements nest lists in objects: a form can't say it

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=s.RemediationInputSerializer,
        responses={201: s.RemediationSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    def post(self, request, code):
        """Ajukan perbaikan: satu pernyataan dan minimal satu dokumen bukti per pelanggaran
        terbuka / submit remediation: a statement and at least one evidence document for
        every open violation (the regency's own officials)."""
        regency = get_visible_regency(request.user, code)
        statements = parse(s.RemediationInputSerializer, request.data)["statements"]
        remediation = services.submit_remediation(
            regency=regency, actor=request.user, statements=statements
        )
        return Response(s.RemediationSerializer(remediation).data, status.HTTP_201_CREATED)


class RegencyTransitionView(APIView):
    """A transition that takes a reason and answers with its log row."""

    service = None
    input_serializer = s.ReasonInputSerializer

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=s.ReasonInputSerializer,
        responses={200: s.TransitionLogSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        regency = get_visible_regency(request.user, code)
        reason = parse(self.input_serializer, request.data)["reason"]
        log = self.service(regency=regency, actor=request.user, reason=reason)
        return Response(s.TransitionLogSerializer(log).data)


@_with_input(s.RequiredReasonInputSerializer)
class RejectRemediationView(RegencyTransitionView):
    """Tolak perbaikan (alasan wajib) / reject the remediation (reason required; officer)."""

    service = staticmethod(services.reject_remediation)
    input_serializer = s.RequiredReasonInputSerializer


class ReconnectView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        request=s.ReasonInputSerializer,
        responses={200: s.AccessOrderSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, code):
        """Terima perbaikan dan perintahkan pemulihan akses SIAK / accept the remediation and
        order SIAK access restored (ministry director). Answers the restore order: the
        regency is reconnected, and its suspension period ends, when the network operators
        confirm it (POST /api/v1/access-orders/{id}/execute/)."""
        regency = get_visible_regency(request.user, code)
        reason = parse(s.ReasonInputSerializer, request.data)["reason"]
        order = services.reconnect_regency(regency=regency, actor=request.user, reason=reason)
        return Response(s.AccessOrderSerializer(get_visible_order(request.user, order.pk)).data)


class ClearView(RegencyTransitionView):
    """Nyatakan patuh / clear the case (ministry officer)."""

    service = staticmethod(services.clear_regency)
