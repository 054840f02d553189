"""Proposed written warnings, before the official who signs or declines them (one service:
workflow.proposals)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import KeysetPages, QueryFilters, required_text
from compliance.api.views import list_problems, parse, problems

from .. import proposals
from ..models import ProposalState

TAG = "usulan sanksi / sanction proposals"
PROPOSAL_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="id usulan / proposal id"
)


class ProposalLetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()


class ProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=ProposalState.choices)
    assignment = serializers.IntegerField(source="assignment_id")
    step = serializers.CharField(source="step_event.step.slug")
    action = serializers.CharField(source="step_event.step.action")
    addressee = serializers.CharField(source="assignment.office.title")
    regency = serializers.CharField(source="assignment.regency.code", allow_null=True)
    directive = serializers.IntegerField(source="assignment.directive_id")
    directive_title = serializers.CharField(source="assignment.directive.title")
    legal_basis = serializers.CharField(source="assignment.directive.legal_basis")
    due_date = serializers.DateField(source="assignment.due_date")
    acknowledged_at = serializers.DateTimeField(source="assignment.acknowledged_at")
    assignment_state = serializers.CharField(source="assignment.state")
    signatory_office = serializers.CharField(source="signatory_office.title")
    proposed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    letter = ProposalLetterSerializer(allow_null=True)
    may_sign = serializers.SerializerMethodField()

    def get_may_sign(self, proposal) -> bool:
        request = self.context.get("request")
        return bool(request) and proposals.may_sign(request.user, proposal)


class DeclineInputSerializer(serializers.Serializer):
    reason = required_text(
        max_length=2000, help_text="alasan penolakan (wajib) / why it is declined (required)"
    )


class ProposalFilterSerializer(QueryFilters):
    state = serializers.ChoiceField(choices=ProposalState.choices, required=False)


@extend_schema(
    tags=[TAG],
    parameters=[ProposalFilterSerializer],
    responses={200: ProposalSerializer(many=True), **list_problems()},
)
class ProposalListView(generics.ListAPIView):
    """Usulan teguran tertulis yang ditandatangani (atau disiapkan) jabatan pemanggil,
    terlama dahulu / the proposed written warnings the caller's offices sign (or prepare),
    oldest first."""

    serializer_class = ProposalSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(ProposalFilterSerializer, self.request.query_params)
        rows = proposals.visible_proposals(self.request.user).order_by("proposed_at", "id")
        if "state" in filters:
            rows = rows.filter(state=filters["state"])
        return rows


class ProposalDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[PROPOSAL_ID],
        responses={200: ProposalSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu usulan dengan fakta verifikasinya / one proposal with the facts of its
        verification."""
        proposal = proposals.get_visible_proposal(request.user, pk)
        return Response(ProposalSerializer(proposal, context={"request": request}).data)


class ProposalSignView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[PROPOSAL_ID],
        request=None,
        responses={200: ProposalLetterSerializer, **problems(403, 404, 409)},
    )
    def post(self, request, pk):
        """Tandatangani: surat diberi nomor sekarang, bertanggal hari ini, lalu dikirim /
        sign: the letter is numbered now, dated today, and sent (the signatory office's
        holder or its Plt./Plh. only). Answers the letter's id and number."""
        letter = proposals.sign(proposal_id=pk, actor=request.user)
        return Response(ProposalLetterSerializer(letter).data)


class ProposalDeclineView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[PROPOSAL_ID],
        request=DeclineInputSerializer,
        responses={200: ProposalSerializer, **problems(400, 403, 404, 409)},
    )
    def post(self, request, pk):
        """Tolak dengan alasan: tidak ada surat, tangga eskalasi penugasan ini berhenti /
        decline with a reason: no letter, and this assignment's ladder stops."""
        data = parse(DeclineInputSerializer, request.data)
        proposal = proposals.decline(proposal_id=pk, actor=request.user, reason=data["reason"])
        proposal = proposals.get_visible_proposal(request.user, proposal.pk)
        return Response(ProposalSerializer(proposal, context={"request": request}).data)
