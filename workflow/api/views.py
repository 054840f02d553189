"""Thin API views: parse the input, call one service (or selector), serialize the result.

Lookups go through the caller's jurisdiction: anything outside it is 404, as if it did
not exist. Errors become problem details in ektp_compliance.problems.
"""

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import KeysetPages
from compliance.api.renderers import JSONParser
from compliance.api.serializers import ReasonInputSerializer, RequiredReasonInputSerializer
from compliance.api.throttling import ScopedRateThrottle, UserRateThrottle
from compliance.api.views import list_problems, parse, problems

from .. import selectors, services
from . import serializers as s
from .listed import LISTED_DIRECTIVE_VALUES, LISTED_VALUES, listed, listed_directive
from .pages import KeptCountPages

DIRECTIVES = "direktif / directives"
ASSIGNMENTS = "penugasan / assignments"


def path_id(what):
    return OpenApiParameter("id", int, OpenApiParameter.PATH, description=f"id {what}")


DIRECTIVE_ID = path_id("direktif / directive id")
ASSIGNMENT_ID = path_id("penugasan / assignment id")


def _directive_body(request, pk):
    directive = selectors.get_visible_directive(request.user, pk)
    [directive] = selectors.describe_directives([directive], request.user)
    return s.DirectiveSerializer(directive).data


def _assignment_body(request, pk):
    assignment = selectors.get_visible_assignment(request.user, pk)
    return s.AssignmentDetailSerializer(assignment, context={"request": request}).data


# --- directives ------------------------------------------------------------------------


class DirectiveListCreateView(generics.ListAPIView):
    serializer_class = s.DirectiveSerializer
    # Counted each time: a draft writes no event of the feed (workflow.kept could not tell
    # it), and a few hundred directives count in a fraction of a millisecond.
    pagination_class = KeysetPages
    parser_classes = [JSONParser]  # the scope is an object: a form can't say it

    def get_queryset(self):
        filters = parse(s.DirectiveFilterSerializer, self.request.query_params)
        return selectors.directives_for(self.request.user, **filters)

    @extend_schema(
        tags=[DIRECTIVES],
        parameters=[s.DirectiveFilterSerializer],
        responses={200: s.DirectiveSerializer(many=True), **list_problems()},
    )
    def get(self, request, *args, **kwargs):
        """Direktif yang terlihat oleh pemanggil, terbaru dahulu, dengan jumlah penugasan per
        status, terlambat dan tingkat eskalasi / the directives the caller may see, newest
        first, with their assignments counted by state, overdue and escalation level."""
        rows = self.paginate_queryset(self.get_queryset().values(*LISTED_DIRECTIVE_VALUES))
        page = [listed_directive(values) for values in rows]
        directives = selectors.describe_directives(page, request.user)
        return self.get_paginated_response(self.get_serializer(directives, many=True).data)

    @extend_schema(
        tags=[DIRECTIVES],
        request=s.DirectiveInputSerializer,
        responses={201: s.DirectiveSerializer, **problems(400, 403, 413, 415, 422)},
    )
    def post(self, request):
        """Susun draf direktif / draft a directive (ministry offices; a governor for his
        own province's regencies and cities only); issue it afterwards."""
        data = parse(s.DirectiveInputSerializer, request.data)
        directive = services.create_directive(actor=request.user, **data)
        return Response(_directive_body(request, directive.pk), status.HTTP_201_CREATED)


class DirectiveDetailView(APIView):
    @extend_schema(
        tags=[DIRECTIVES],
        parameters=[DIRECTIVE_ID],
        responses={200: s.DirectiveSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu direktif / one directive, with its assignment counts."""
        return Response(_directive_body(request, pk))


class DirectiveIssueView(APIView):
    # One issue e-mails every addressed office (a national directive: hundreds of mails),
    # so each user has a tighter budget here besides the general one (settings, API).
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "directive-issue"

    @extend_schema(
        tags=[DIRECTIVES],
        parameters=[DIRECTIVE_ID],
        request=None,
        responses={200: s.DirectiveSerializer, **problems(403, 404, 409, 422)},
    )
    def post(self, request, pk):
        """Terbitkan: satu penugasan per jabatan yang dituju / issue: one assignment per
        addressed office, with its first notification (ministry offices; the issuing
        governor for his own directive)."""
        directive = selectors.get_visible_directive(request.user, pk)
        services.issue_directive(directive=directive, actor=request.user)
        return Response(_directive_body(request, pk))


class DirectiveWithdrawView(APIView):
    @extend_schema(
        tags=[DIRECTIVES],
        parameters=[DIRECTIVE_ID],
        request=ReasonInputSerializer,
        responses={200: s.DirectiveSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Tarik direktif: setiap penugasan terbuka ditarik dan eskalasinya berhenti /
        withdraw: every open assignment is withdrawn and stops escalating (ministry; the
        issuing governor for his own directive)."""
        directive = selectors.get_visible_directive(request.user, pk)
        reason = parse(ReasonInputSerializer, request.data)["reason"]
        services.withdraw_directive(directive=directive, actor=request.user, reason=reason)
        return Response(_directive_body(request, pk))


# --- assignments -----------------------------------------------------------------------


@extend_schema(
    tags=[ASSIGNMENTS],
    parameters=[s.AssignmentFilterSerializer],
    responses={200: s.AssignmentSerializer(many=True), **list_problems()},
)
class AssignmentListView(generics.ListAPIView):
    """Penugasan dalam yurisdiksi pemanggil, batas waktu terdekat dahulu / the assignments
    the caller's jurisdiction covers, soonest deadline first."""

    serializer_class = s.AssignmentSerializer
    pagination_class = KeptCountPages

    def get_queryset(self):
        filters = parse(s.AssignmentFilterSerializer, self.request.query_params)
        return selectors.assignments_for(self.request.user, **filters)

    def list(self, request, *args, **kwargs):
        """The page's keys first (counted and paged over the assignments alone, without the
        joins the printed values need), then the page's values by id within the caller's
        jurisdiction, one compiled query (selectors.page_values, workflow.api.listed)."""
        keys = self.paginate_queryset(self.get_queryset().values("pk", "due_at"))
        ids = [key["pk"] for key in keys]
        found = selectors.page_values(request.user, ids, LISTED_VALUES)
        page = [listed(found[pk]) for pk in ids if pk in found]  # gone meanwhile: left out
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AssignmentDetailView(APIView):
    @extend_schema(
        tags=[ASSIGNMENTS],
        parameters=[ASSIGNMENT_ID],
        responses={200: s.AssignmentDetailSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu penugasan / one assignment."""
        return Response(_assignment_body(request, pk))


class AssignmentTransitionView(APIView):
    """A transition without input; answers with the assignment as it now is."""

    service = None  # set by each subclass

    @extend_schema(
        tags=[ASSIGNMENTS],
        parameters=[ASSIGNMENT_ID],
        request=None,
        responses={200: s.AssignmentDetailSerializer, **problems(403, 404, 409)},
    )
    def post(self, request, pk):
        assignment = selectors.get_visible_assignment(request.user, pk)
        self.service(assignment=assignment, actor=request.user, **self.arguments(request))
        return Response(_assignment_body(request, pk))

    def arguments(self, request):
        return {}


class AcknowledgeView(AssignmentTransitionView):
    """Konfirmasi penerimaan / acknowledge (the addressed office or its Dukcapil head)."""

    service = staticmethod(services.acknowledge_assignment)


class StartView(AssignmentTransitionView):
    """Mulai mengerjakan, juga setelah dikembalikan / start work, also after a return."""

    service = staticmethod(services.start_assignment)


class VerifyView(AssignmentTransitionView):
    """Verifikasi laporan / verify the submission (ministry offices; the issuing governor
    under his own directive)."""

    service = staticmethod(services.verify_assignment)


class SubmitView(AssignmentTransitionView):
    service = staticmethod(services.submit_assignment)

    @extend_schema(
        tags=[ASSIGNMENTS],
        parameters=[ASSIGNMENT_ID],
        request=s.SubmitInputSerializer,
        responses={200: s.AssignmentDetailSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Laporkan pelaksanaan (catatan wajib); eskalasi berhenti / submit what was done
        (a note is required); escalation stops (the addressed office)."""
        return super().post(request, pk)

    def arguments(self, request):
        return parse(s.SubmitInputSerializer, request.data)


class ReturnView(AssignmentTransitionView):
    service = staticmethod(services.return_assignment)

    @extend_schema(
        tags=[ASSIGNMENTS],
        parameters=[ASSIGNMENT_ID],
        request=RequiredReasonInputSerializer,
        responses={200: s.AssignmentDetailSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Kembalikan laporan untuk diperbaiki (alasan wajib) / return the submission for
        rework (reason required; ministry offices; the issuing governor under his own
        directive)."""
        return super().post(request, pk)

    def arguments(self, request):
        return parse(RequiredReasonInputSerializer, request.data)


class AssignmentTimelineView(APIView):
    @extend_schema(
        tags=[ASSIGNMENTS],
        parameters=[ASSIGNMENT_ID],
        responses={200: s.TimelineEntrySerializer(many=True), **problems(404)},
    )
    def get(self, request, pk):
        """Riwayat status, langkah eskalasi dan notifikasi beserta status pengirimannya,
        urut waktu / state changes, escalation steps and notifications with their delivery
        state, in time order."""
        assignment = selectors.get_visible_assignment(request.user, pk)
        entries = selectors.timeline(assignment)
        return Response(s.TimelineEntrySerializer(entries, many=True).data)
