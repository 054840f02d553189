"""Public verification of signed letters: GET /api/v1/letters/verify/?number=... and
POST /api/v1/letters/verify/ (multipart `file`). No sign-in: whoever holds a letter (or
its number, from its QR code) may check it; anonymous calls are throttled per address."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import required_text
from compliance.api.renderers import PROBLEM_CONTENT_TYPE
from compliance.api.serializers import ProblemSerializer
from compliance.api.throttling import AnonRateThrottle
from compliance.api.views import PROBLEM_DESCRIPTIONS
from compliance.evidence import the_one_file

from ..verification import verify_number, verify_upload

TAG = "surat / letters"


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(
        help_text="utuh, berantai ke akar tepercaya dan meliputi seluruh berkas / intact, "
        "chaining to a trusted root and covering the whole file"
    )
    number = serializers.CharField(
        allow_null=True, help_text="nomor surat yang ditandatangani / the signed letter number"
    )
    signer = serializers.CharField(allow_null=True, help_text="penanda tangan / signer")
    office = serializers.CharField(allow_null=True, help_text="jabatan / the signer's office")
    signed_at = serializers.DateTimeField(allow_null=True)
    modified_after_signing = serializers.BooleanField(
        help_text="berkas diubah setelah ditandatangani / changed after signing"
    )


class NumberSerializer(serializers.Serializer):
    number = required_text(
        max_length=100, help_text="nomor surat / letter number, e.g. 100.3.4/0004/Gub.15/2026"
    )


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class PdfFile(serializers.FileField):
    """A file part, shown in the schema as binary (spectacular's default says uri) and not
    empty: DRF refuses an empty file, so the schema says so (else an empty part is a
    schema-valid request answered 400)."""


class VerifyUploadSerializer(serializers.Serializer):
    file = PdfFile(help_text="PDF surat / the letter's PDF")


def _problems(*codes, **descriptions):
    """Problem details this anonymous endpoint answers (never 401: no sign-in)."""
    described = PROBLEM_DESCRIPTIONS | {int(k.lstrip("_")): v for k, v in descriptions.items()}
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer, description=described[code]
        )
        for code in sorted({429, *codes})
    }


def _number(request):
    data = NumberSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)  # missing or blank: 400
    return data.validated_data["number"]


def _upload(request):
    upload = the_one_file(request.FILES, "file")
    data = VerifyUploadSerializer(data={"file": upload} if upload else {})
    data.is_valid(raise_exception=True)  # missing or empty: 400
    return upload  # too large: 413, from verify_upload


class LetterVerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # public: no session, so no CSRF check on the upload
    throttle_classes = [AnonRateThrottle]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        auth=[],
        parameters=[NumberSerializer],
        responses={
            200: VerificationSerializer,
            **_problems(400, 404, _404="Tidak ada surat bernomor ini / no letter has this number"),
        },
    )
    def get(self, request):
        """Periksa tanda tangan surat menurut nomornya / verify a letter's signature by
        its number (its stored PDF); a letter not signed yet answers valid: false."""
        return Response(verify_number(_number(request)))

    @extend_schema(
        tags=[TAG],
        auth=[],
        request={"multipart/form-data": VerifyUploadSerializer},
        responses={
            200: VerificationSerializer,
            **_problems(400, 413, 415, 422),  # 422: several files
        },
    )
    def post(self, request):
        """Periksa tanda tangan berkas PDF surat / verify the signature of a letter's PDF
        file; a file with no (valid) signature answers valid: false."""
        return Response(verify_upload(_upload(request)))
