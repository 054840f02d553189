"""Thin API views over equipment.services and equipment.selectors. Lookups go through
the caller's jurisdiction (404 outside it); errors are problem details."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import KeysetPages
from compliance.api.views import CODE, list_problems, parse, problems
from compliance.permissions import get_visible_regency

from .. import selectors, services
from . import serializers as s

TAG = "perangkat / equipment"
DEVICE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="id perangkat")


def _device_body(request, pk):
    device = selectors.get_visible_device(request.user, pk)
    device.history = list(selectors.history(device))
    return s.DeviceDetailSerializer(device).data


class DeviceListCreateView(generics.ListAPIView):
    serializer_class = s.DeviceSerializer
    pagination_class = KeysetPages

    def get_queryset(self):
        filters = parse(s.DeviceFilterSerializer, self.request.query_params)
        return selectors.devices_for(self.request.user, **filters)

    @extend_schema(
        tags=[TAG],
        parameters=[s.DeviceFilterSerializer],
        responses={200: s.DeviceSerializer(many=True), **list_problems()},
    )
    def get(self, request, *args, **kwargs):
        """Perangkat dalam yurisdiksi pemanggil / the devices the caller's jurisdiction
        covers, by district, kind and serial number."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        request=s.DeviceInputSerializer,
        responses={201: s.DeviceDetailSerializer, **problems(400, 403, 404, 409, 413, 415, 422)},
    )
    def post(self, request):
        """Daftarkan perangkat (berfungsi) / register a device, operational (the regency's
        Dukcapil head, its regent or mayor, or a ministry office)."""
        data = parse(s.DeviceInputSerializer, request.data)
        device = services.register_device(
            actor=request.user,
            district_code=data["district"],
            kind=data["kind"],
            serial_number=data["serial_number"],
            funded_by=data["funded_by"],
        )
        return Response(_device_body(request, device.pk), status.HTTP_201_CREATED)


class DeviceDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[DEVICE_ID],
        responses={200: s.DeviceDetailSerializer, **problems(404)},
    )
    def get(self, request, pk):
        """Satu perangkat dengan riwayat statusnya / one device with its status history."""
        return Response(_device_body(request, pk))


class DeviceStatusView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[DEVICE_ID],
        request=s.StatusInputSerializer,
        responses={200: s.DeviceDetailSerializer, **problems(400, 403, 404, 409, 413, 415)},
    )
    def post(self, request, pk):
        """Ubah status perangkat / change a device's status. `broken` opens the regency's
        repair obligation (an assignment to its regent or mayor); `operational` after a
        breakdown completes it; `decommissioned` withdraws it."""
        device = selectors.get_visible_device(request.user, pk)
        data = parse(s.StatusInputSerializer, request.data)
        services.change_device_status(device=device, actor=request.user, **data)
        return Response(_device_body(request, pk))


class RegencyEquipmentView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[CODE],
        responses={200: s.RegencyEquipmentSerializer, **problems(404)},
    )
    def get(self, request, code):
        """Ringkasan perangkat satu kabupaten/kota / a regency's devices working and out of
        service, and the days out of service."""
        regency = get_visible_regency(request.user, code)
        summary = selectors.equipment_summary([regency])[regency.pk]
        body = {"code": regency.code, "name": regency.name, **summary}
        return Response(s.RegencyEquipmentSerializer(body).data)
