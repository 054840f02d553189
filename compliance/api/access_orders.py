"""The access orders to cut or restore a regency's SIAK access (compliance.access): the
network operators' queue, one order, and the confirmation that it was carried out."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..access import get_visible_order, orders_for
from .access_serializers import (
    AccessOrderFilterSerializer,
    AccessOrderSerializer,
    ExecuteInputSerializer,
)
from .pagination import KeysetPages
from .views import (
    ACCESS_TAG,
    ORDER_ID,
    list_problems,
    parse,
    problems,
)


@extend_schema(
    tags=[ACCESS_TAG],
    parameters=[AccessOrderFilterSerializer],
    responses={200: AccessOrderSerializer(many=True), **list_problems()},
)
class AccessOrderListView(generics.ListAPIView):
    """Perintah putus/pulihkan akses SIAK dalam yurisdiksi pemanggil, terlama dahulu
    (antrian operator jaringan: ?state=issued) / the orders to cut or restore SIAK access
    in the caller's jurisdiction, oldest first (the network operators' queue)."""

    serializer_class = AccessOrderSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(AccessOrderFilterSerializer, self.request.query_params)
        regency = filters.pop("regency", None)
        orders = orders_for(self.request.user, **filters)
        return orders.filter(regency__code=regency) if regency else orders

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class AccessOrderDetailView(APIView):
    @extend_schema(
        tags=[ACCESS_TAG],
        parameters=[ORDER_ID],
        responses={200: AccessOrderSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu perintah akses / one access order."""
        return Response(AccessOrderSerializer(get_visible_order(request.user, pk)).data)


class ExecuteAccessOrderView(APIView):
    @extend_schema(
        tags=[ACCESS_TAG],
        parameters=[ORDER_ID],
        request=ExecuteInputSerializer,
        responses={
            200: AccessOrderSerializer,
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
        data = parse(ExecuteInputSerializer, request.data)
        services.execute_access_order(
            order=order,
            actor=request.user,
            at=data["executed_at"],
            reference=data["reference"],
        )
        return Response(AccessOrderSerializer(get_visible_order(request.user, pk)).data)
