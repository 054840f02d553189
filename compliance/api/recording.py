"""The API of recording reports: import jobs (upload, status) and realisation series."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import recording, recording_jobs
from ..models import ImportFormat, ImportStatus, RecordingImport
from ..recording_import import bilingual
from .inputs import Upload
from .views import parse, problems

TAG = "perekaman / recording"

# --- serializers ------------------------------------------------------------------


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="nomor baris / line number")
    field = serializers.CharField(allow_null=True, help_text="kolom / column")
    code = serializers.CharField(help_text="kode kesalahan / error code")
    params = serializers.DictField(child=serializers.JSONField())
    message = serializers.CharField(help_text="Bahasa Indonesia / English")


class RecordingImportSerializer(serializers.ModelSerializer):
    format = serializers.ChoiceField(choices=ImportFormat.choices, read_only=True)
    status = serializers.ChoiceField(choices=ImportStatus.choices, read_only=True)
    percent_done = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    office = serializers.CharField(source="office.title", read_only=True)
    errors = serializers.SerializerMethodField(
        help_text="Baris yang salah (paling banyak RECORDING_IMPORT_MAX_LISTED_ERRORS) / "
        "the bad rows (at most RECORDING_IMPORT_MAX_LISTED_ERRORS; error_count counts all)"
    )

    class Meta:
        model = RecordingImport
        fields = [
            "id",
            "original_name",
            "format",
            "status",
            "rows_total",
            "rows_done",
            "percent_done",
            "rows_written",
            "error_count",
            "errors",
            "created_by",
            "office",
            "created_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, job):
        return [{**e, "message": bilingual(e)} for e in job.errors]


class ImportInputSerializer(serializers.Serializer):
    file = Upload(
        help_text="CSV atau XLSX, dikenali dari namanya (selain itu 422); baris judul / "
        "CSV or XLSX, told by its name (else 422); header: "
        "district_code,date,obliged,recorded,printed",
    )


class RealisationPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    obliged = serializers.IntegerField(help_text="wajib KTP-el")
    recorded = serializers.IntegerField(help_text="sudah rekam")
    printed = serializers.IntegerField(help_text="sudah cetak")
    realisation = serializers.FloatField(
        allow_null=True, help_text="recorded / obliged, persen / per cent"
    )


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=["province", "regency", "district"])


class RealisationSeriesSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    start = serializers.DateField(help_text="from")
    end = serializers.DateField(help_text="to")
    series = RealisationPointSerializer(many=True)


class RealisationFilterSerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="dari / from (default: 1 January of 'to')"
    )
    end = serializers.DateField(required=False, help_text="sampai / to (default: today)")

    def to_internal_value(self, data):
        # The query string says from= and to=, which are Python keywords.
        renamed = {k: data[v] for k, v in (("start", "from"), ("end", "to")) if v in data}
        if blank := [v for v in ("from", "to") if data.get(v) == ""]:
            message = "Filter kosong; hapus atau isi / Empty filter; leave it out or fill it"
            raise serializers.ValidationError({v: [message] for v in blank})
        return super().to_internal_value(renamed)


# --- views ------------------------------------------------------------------------

IMPORT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id impor / import id")
REGION = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=r"^\d{2}(\.\d{2}(\.\d{2})?)?$",
    description="Kode Kemendagri provinsi, kabupaten/kota atau kecamatan / Kemendagri code of "
    "a province (15), regency (15.02) or district (15.02.01)",
)
PERIOD = [
    OpenApiParameter("from", date, description="dari / from (default: 1 January of 'to')"),
    OpenApiParameter("to", date, description="sampai / to (default: today)"),
]


class RecordingImportCreateView(APIView):
    parser_classes = [MultiPartParser]  # a file: multipart only

    @extend_schema(
        tags=[TAG],
        request={"multipart/form-data": ImportInputSerializer},
        responses={202: RecordingImportSerializer, **problems(400, 403, 413, 415, 422)},
    )
    def post(self, request):
        """Unggah berkas laporan perekaman; impor berjalan di latar belakang / upload a file
        of recording reports; it is imported in the background (ministry offices)."""
        data = parse(ImportInputSerializer, request.data)
        job = recording_jobs.create_import(actor=request.user, file=data["file"])
        return Response(RecordingImportSerializer(job).data, status.HTTP_202_ACCEPTED)


class RecordingImportDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[IMPORT_ID],
        responses={200: RecordingImportSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Status, kemajuan dan kesalahan sebuah impor / an import's status, progress and
        errors (ministry offices)."""
        job = recording_jobs.get_visible_import(request.user, pk)
        return Response(RecordingImportSerializer(job).data)


class RealisationView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[REGION, *PERIOD],
        responses={200: RealisationSeriesSerializer, **problems(400, 404, 422)},
    )
    def get(self, request, code):
        """Realisasi perekaman per tanggal laporan / recording realisation at every report
        date of the period, for a region in the caller's jurisdiction."""
        region = recording.get_visible_region(request.user, code)
        period = parse(RealisationFilterSerializer, request.query_params)
        end = period.get("end") or timezone.localdate()
        start = period.get("start") or date(end.year, 1, 1)
        series = recording.realisation_series(code, start=start, end=end)
        body = {"region": region, "start": start, "end": end, "series": series}
        return Response(RealisationSeriesSerializer(body).data)
