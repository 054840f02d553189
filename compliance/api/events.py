"""GET /api/v1/events/: the event feed, in commit order, by cursor (docs/events.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import events
from ..models import Event
from .inputs import Pattern, QueryFilters
from .views import parse, problems

TAG = "peristiwa / events"
LIMIT, MAX_LIMIT = 100, 1000
TYPES = (
    "regency.<transition> (flag, suspend, submit_remediation, reject_remediation, "
    "reconnect, clear; before access orders also approve_suspension); "
    "access_order.issued, access_order.executed, "
    "access_order.escalated, access_order.cancelled; "
    "directive.issued, directive.withdrawn; assignment.<transition> (acknowledge, start, "
    "submit, verify, return, withdraw, sign_warning, decline_warning, acceleration_update, "
    "...); extension.requested, extension.approved, extension.rejected; sanction.proposed, "
    "sanction.signed, sanction.declined, sanction.lapsed; letter.issued"
)


class EventFilterSerializer(QueryFilters):
    after = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="kursor: peristiwa sesudahnya / the cursor: events after this one "
        "(an event's `cursor`; leave out to start from the first)",
    )
    type = Pattern(
        r"^[a-z_]+(\.[a-z_]+)?(,[a-z_]+(\.[a-z_]+)?)*$",
        required=False,
        help_text="jenis, dipisah koma; tanpa titik: semua jenis awalan itu / types, "
        "comma-separated: regency.flag is one type, regency all of regency.* "
        f"Types: {TYPES}",
    )
    province = Pattern(
        r"^\d{2}$", required=False, help_text="kode provinsi / a province code, e.g. 15"
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=LIMIT
    )


class EventSerializer(serializers.ModelSerializer):
    cursor = serializers.IntegerField(source="position", help_text="for ?after=")
    data = serializers.JSONField(
        help_text="isi menurut jenisnya (docs/events.md) / the body by type (docs/events.md)"
    )
    regions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Event
        fields = ["id", "type", "at", "regions", "data", "cursor"]


class FeedSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class EventFeedView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[EventFilterSerializer],
        responses={200: FeedSerializer, **problems(400)},
    )
    def get(self, request):
        """Peristiwa dalam yurisdiksi pemanggil, berurutan / the domain events within the
        caller's jurisdiction, in the order they committed; page on with `next` (a
        cursor, never an offset). An empty `results` with `next` null: nothing newer yet;
        ask again later with the last event's `cursor`."""
        filters = parse(EventFilterSerializer, request.query_params)
        page, more = events.read(
            request.user,
            after=filters.get("after", 0),
            types=filters["type"].split(",") if filters.get("type") else (),
            regions=[filters["province"]] if filters.get("province") else (),
            limit=filters["limit"],
        )
        next_url = None
        if more:
            query = request.query_params.copy()
            query["after"] = page[-1].position
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": EventSerializer(page, many=True).data, "next": next_url})
