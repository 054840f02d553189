"""Written warnings (letters) in the API: their shape, the list, one letter, its PDF."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import (
    BooleanFilter,
    KeysetPages,
    QueryFilters,
)
from compliance.api.renderers import FILE_RENDERERS
from compliance.api.views import list_problems, parse, problems
from compliance.i18n import bilingual

from .. import letters, selectors
from ..models import (
    Letter,
    StepAction,
)
from .serializers import DirectiveRefSerializer
from .views import path_id

LETTERS = "surat teguran / letters"
LETTER_ID = path_id("surat / letter id")


class LetterOfficeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()


class LetterSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=[StepAction.WRITTEN_WARNING_1, StepAction.WRITTEN_WARNING_2],
        source="step_event.step.action",
        read_only=True,
    )
    kind_label = serializers.SerializerMethodField()
    signatory_office = LetterOfficeSerializer(read_only=True)
    addressee_office = LetterOfficeSerializer(read_only=True)
    assignment = serializers.IntegerField(source="step_event.assignment_id", read_only=True)
    directive = DirectiveRefSerializer(source="step_event.assignment.directive", read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "number",
            "date",
            "year",
            "sequence",
            "kind",
            "kind_label",
            "signatory_office",
            "addressee_office",
            "assignment",
            "directive",
            "pdf_url",
        ]

    def get_kind_label(self, letter) -> str:
        return bilingual(StepAction(letter.step_event.step.action).label)

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, letter):
        path = reverse("workflow-api:letter-pdf", args=[letter.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class LetterFilterSerializer(QueryFilters):
    received = BooleanFilter(
        required=False,
        default=False,
        help_text="true: hanya yang ditujukan ke jabatan saya / only those addressed to an "
        "office I act for",
    )
    signed = BooleanFilter(
        required=False,
        default=False,
        help_text="true: hanya yang diterbitkan atas nama jabatan saya / only those issued "
        "in the name of an office I act for (a governor's warnings to his regents)",
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="tahun surat / letter year"
    )


@extend_schema(
    tags=[LETTERS],
    parameters=[LetterFilterSerializer],
    responses={200: LetterSerializer(many=True), **list_problems()},
)
class LetterListView(generics.ListAPIView):
    """Surat teguran tertulis dalam yurisdiksi pemanggil, terbaru dahulu / the written
    warnings within the caller's jurisdiction, newest first (?received=true: addressed to
    an office the caller acts for; ?signed=true: issued in its name)."""

    serializer_class = LetterSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(LetterFilterSerializer, self.request.query_params)
        return selectors.visible_letters(self.request.user, **filters)


class LetterDetailView(APIView):
    @extend_schema(
        tags=[LETTERS],
        parameters=[LETTER_ID],
        responses={200: LetterSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu surat teguran / one written warning."""
        letter = selectors.get_visible_letter(request.user, pk)
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterPdfView(APIView):
    renderer_classes = FILE_RENDERERS

    @extend_schema(
        tags=[LETTERS],
        parameters=[LETTER_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="surat dalam PDF / the letter as a PDF"
            ),
            **problems(404),
        },
    )
    def get(self, request, pk):
        """Surat dalam PDF, sebagai lampiran / the letter's PDF, as an attachment."""
        letter = selectors.get_visible_letter(request.user, pk)
        response = HttpResponse(letters.pdf_for(letter), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{letters.filename(letter)}"'
        return response
