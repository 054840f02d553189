"""/api/v1/webhook-subscriptions/: the caller's own subscriptions (docs/webhooks.md)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.inputs import Pattern, required_text
from compliance.api.views import parse, problems

from . import services
from .models import Delivery, Subscription

TAG = "webhook"
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


class SubscriptionInputSerializer(serializers.Serializer):
    url = required_text(max_length=500, help_text="https://, alamat publik / a public https URL")
    event_types = serializers.ListField(
        child=Pattern(services.TYPE),
        required=False,
        default=list,
        help_text="[] semua; 'regency' semua regency.*; 'regency.flag' satu jenis / [] all "
        "types; 'regency' every regency.*; 'regency.flag' one",
    )
    regions = serializers.ListField(
        child=Pattern(services.REGION),
        required=False,
        default=list,
        help_text="[] seluruh yurisdiksi; kode provinsi/kabupaten / [] the whole jurisdiction; "
        "else province or regency codes",
    )


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "event_types",
            "regions",
            "cursor",
            "attempts",
            "next_attempt_at",
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]


class CreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text="ditampilkan sekali / shown once: keep it now")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class ReplaySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, help_text="kursor / a feed cursor")


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "event", "attempt", "at", "status_code", "ok", "latency_ms", "error"]


class SubscriptionListView(APIView):
    @extend_schema(tags=[TAG], responses={200: SubscriptionSerializer(many=True), **problems()})
    def get(self, request):
        """Langganan milik pemanggil / the caller's subscriptions."""
        rows = Subscription.objects.filter(owner=request.user)
        return Response(SubscriptionSerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        request=SubscriptionInputSerializer,
        responses={201: CreatedSerializer, **problems(400, 422)},
    )
    def post(self, request):
        """Berlangganan peristiwa / subscribe to events: answers with the `secret`, once.
        Deliveries start from now; replay sends earlier ones."""
        data = parse(SubscriptionInputSerializer, request.data)
        sub = services.subscribe(owner=request.user, **data)
        return Response(CreatedSerializer(sub).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(APIView):
    @extend_schema(tags=[TAG], parameters=[ID], responses={204: None, **problems(404)})
    def delete(self, request, pk):
        """Berhenti berlangganan / unsubscribe."""
        services.unsubscribe(owner=request.user, pk=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RotateSecretView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[ID],
        request=None,
        responses={200: CreatedSerializer, **problems(404)},
    )
    def post(self, request, pk):
        """Rahasia baru; yang lama tetap ikut menandatangani selama masa tumpang tindih / a
        new secret, shown once; the old one still signs alongside for
        WEBHOOK_SECRET_OVERLAP_HOURS."""
        sub = services.rotate_secret(owner=request.user, pk=pk)
        return Response(CreatedSerializer(sub).data)


class ReplayView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[ID],
        request=ReplaySerializer,
        responses={200: SubscriptionSerializer, **problems(400, 404)},
    )
    def post(self, request, pk):
        """Kirim ulang sejak kursor / deliver again every event after the cursor `after`
        (a disabled subscription is enabled again)."""
        after = parse(ReplaySerializer, request.data)["after"]
        sub = services.replay(owner=request.user, pk=pk, after=after)
        return Response(SubscriptionSerializer(sub).data)


class DeliveryListView(APIView):
    @extend_schema(
        tags=[TAG], parameters=[ID], responses={200: DeliverySerializer(many=True), **problems(404)}
    )
    def get(self, request, pk):
        """Catatan pengiriman terakhir / the subscription's last 100 delivery attempts."""
        sub = services.owned(request.user, pk)
        rows = Delivery.objects.filter(subscription=sub)[:100]
        return Response(DeliverySerializer(rows, many=True).data)
