"""The regencies in the caller's jurisdiction: the list, one regency with its case file,
its transition log, and the downtime report."""

from functools import cached_property, partial

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..case_file import case_file, latest_case
from ..permissions import get_visible_regency
from .case_serializers import TransitionLogSerializer
from .pagination import KeysetPages, Pages, ReadRows
from .regency_serializers import (
    DowntimeFilterSerializer,
    DowntimeSerializer,
    RegencyDetailSerializer,
    RegencyFilterSerializer,
    RegencySerializer,
)
from .views import (
    CODE,
    PAGE_NOT_FOUND,
    PROBLEM_DESCRIPTIONS,
    TAG,
    list_problems,
    parse,
    problems,
    with_orders,
)


@extend_schema(
    tags=[TAG],
    parameters=[RegencyFilterSerializer],
    responses={200: RegencySerializer(many=True), **list_problems()},
)
class RegencyListView(generics.ListAPIView):
    """Kabupaten/kota dalam yurisdiksi pemanggil / the regencies the caller's jurisdiction
    covers, with their compliance state and the actions the caller may take now."""

    serializer_class = RegencySerializer
    pagination_class = Pages

    @cached_property
    def filters(self):
        return parse(RegencyFilterSerializer, self.request.query_params)

    def get_queryset(self):
        return selectors.regencies_for(self.request.user, **self.filters)

    def list(self, request, *args, **kwargs):
        # Counted over the regencies; the page read with its situations, which describe()
        # then reads no more.
        read = partial(selectors.situations_page, request.user, **self.filters)
        self.paginator.django_paginator_class = partial(ReadRows, read=read)
        page = self.paginate_queryset(self.get_queryset())
        regencies = selectors.describe(page, request.user)
        return self.get_paginated_response(self.get_serializer(regencies, many=True).data)


class RegencyDetailView(APIView):
    @extend_schema(
        tags=[TAG], parameters=[CODE], responses={200: RegencyDetailSerializer, **problems(404)}
    )
    def get(self, request, code):
        """Satu kabupaten/kota dengan berkas kasusnya / one regency or city, with its case
        file: violations, remediations with statements and evidence, decisions."""
        regency = selectors.visible_with_situation(request.user, code)
        [regency] = selectors.describe([regency], request.user)
        regency.case_file = with_orders(case_file(regency.open_case or latest_case(regency)))
        return Response(RegencyDetailSerializer(regency).data)


class RegencyHistoryView(generics.ListAPIView):
    """Log transisi, terlama dahulu / the transition log, oldest first."""

    serializer_class = TransitionLogSerializer
    pagination_class = KeysetPages

    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        responses={
            200: TransitionLogSerializer(many=True),
            **problems(400, 404, _404=f"{PROBLEM_DESCRIPTIONS[404]}; {PAGE_NOT_FOUND}"),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.history(get_visible_regency(self.request.user, self.kwargs["code"]))


class DowntimeView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[DowntimeFilterSerializer],
        responses={200: DowntimeSerializer(many=True), **problems(400)},
    )
    def get(self, request):
        """Hari tanpa akses SIAK per kabupaten/kota, provinsi atau nasional, dalam yurisdiksi
        pemanggil / days without SIAK access per regency, province or the whole country,
        over the caller's jurisdiction."""
        level = parse(DowntimeFilterSerializer, request.query_params)["level"]
        rows = selectors.downtime_report(request.user, level)
        return Response(DowntimeSerializer(rows, many=True).data)
