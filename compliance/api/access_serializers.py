"""Shapes of the access orders (compliance.access): to cut or restore SIAK access."""

from django.utils import timezone
from rest_framework import serializers

from ..models import (
    AccessOrder,
    AccessOrderState,
)
from .inputs import (
    Pattern,
    QueryFilters,
    optional_text,
)
from .planned import PlannedRepresentation
from .serializers import order_kind, order_state


class IssuedOrderSerializer(PlannedRepresentation, serializers.ModelSerializer):
    """The access order waiting for the network operators (compliance.access)."""

    kind = order_kind(read_only=True)
    state = order_state(read_only=True)

    class Meta:
        model = AccessOrder
        fields = ["id", "kind", "state", "issued_at", "due_at"]
        read_only_fields = fields


class AccessOrderSerializer(serializers.ModelSerializer):
    """A director's order to cut or restore a regency's SIAK access, as the network
    operators carry it out (compliance.access)."""

    regency = serializers.CharField(source="regency.code", read_only=True)
    regency_name = serializers.CharField(source="regency.name", read_only=True)
    kind = order_kind(read_only=True)
    state = order_state(read_only=True)
    request = serializers.IntegerField(
        source="request_id",
        read_only=True,
        allow_null=True,
        help_text="permintaan pemutusan yang dijawab (perintah putus) / the suspension request "
        "it answers (a cut; null for a restoration)",
    )
    issued_by = serializers.CharField(
        source="issued_by.username", read_only=True, allow_null=True, default=None
    )
    issued_office = serializers.CharField(source="issued_office.title", read_only=True)
    executed_by = serializers.CharField(
        source="executed_by.username", read_only=True, allow_null=True, default=None
    )
    executed_office = serializers.CharField(
        source="executed_office.title", read_only=True, allow_null=True, default=None
    )
    overdue = serializers.SerializerMethodField(
        help_text="masih menunggu pelaksanaan sesudah due_at / still waiting past due_at"
    )

    class Meta:
        model = AccessOrder
        fields = [
            "id",
            "regency",
            "regency_name",
            "kind",
            "state",
            "reason",
            "request",
            "issued_by",
            "issued_office",
            "issued_at",
            "due_at",
            "escalated_at",
            "executed_by",
            "executed_office",
            "executed_at",
            "reference",
            "cancelled_at",
            "cancel_reason",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, order) -> bool:
        now = self.context.get("now") or timezone.now()
        return order.state == AccessOrderState.ISSUED and order.due_at <= now


class AccessOrderFilterSerializer(QueryFilters):
    state = order_state(required=False)
    kind = order_kind(required=False)
    regency = Pattern(
        r"^\d{2}\.\d{2}$",
        required=False,
        help_text="kode kabupaten/kota / regency code, e.g. 15.02",
    )


class ExecuteInputSerializer(serializers.Serializer):
    executed_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="saat dilaksanakan, ISO 8601 (bawaan: sekarang); tidak di masa depan dan "
        "tidak sebelum perintah diterbitkan (else 422) / when it was carried out, ISO 8601 "
        "(default: now); neither in the future nor before the order was issued (else 422)",
    )
    reference = optional_text(
        max_length=100,
        help_text="nomor rujukan pelaksanaan (tiket, perubahan) / the network side's own "
        "reference (a change or ticket number)",
    )
