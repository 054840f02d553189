"""The caller's own API tokens: list, issue (from a signed-in session), rotate, revoke."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.views import parse, problems
from compliance.errors import NotAllowed

from . import tokens
from .messages import Message
from .models import ApiToken

TAG = "token API / API tokens"
NAME = OpenApiParameter(
    "name", str, OpenApiParameter.PATH, description="nama token / the token's name"
)


class TokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(source="token_key", help_text="awal kunci / the key's start")
    state = serializers.SerializerMethodField(help_text="active | expired")

    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "state", "created", "expiry", "last_used_at"]

    def get_state(self, token) -> str:
        return token.state(timezone.now())


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(
        help_text="kunci, ditampilkan sekali ini saja / the key, shown this once only"
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class LifetimeSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        help_text="masa berlaku dalam hari (bawaan API_TOKEN_DAYS, paling lama "
        "API_TOKEN_MAX_DAYS) / days the token is valid (default API_TOKEN_DAYS, at most "
        "API_TOKEN_MAX_DAYS)",
    )


class TokenInputSerializer(LifetimeSerializer):
    name = serializers.RegexField(tokens.NAME, max_length=100, help_text=tokens.NAME_RULE)


def _issued(token, key):
    token.token = key
    return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenListView(APIView):
    @extend_schema(tags=[TAG], responses={200: TokenSerializer(many=True), **problems()})
    def get(self, request):
        """Token API milik pemanggil yang belum dicabut / the caller's tokens not revoked."""
        return Response(TokenSerializer(tokens.live_tokens(request.user), many=True).data)

    @extend_schema(
        tags=[TAG],
        request=TokenInputSerializer,
        responses={201: IssuedTokenSerializer, **problems(400, 403, 409)},
    )
    def post(self, request):
        """Terbitkan token bernama untuk diri sendiri, dari sesi yang sudah masuk (bukan dengan
        token) / issue a named token for yourself, from a signed-in session (not with a
        token: a token renews itself by rotation)."""
        if isinstance(request.auth, ApiToken):
            raise NotAllowed(Message("token_cannot_issue"))
        data = parse(TokenInputSerializer, request.data)
        return _issued(
            *tokens.issue(request.user, data["name"], days=data.get("days"), by=request.user)
        )


class TokenRotateView(APIView):
    @extend_schema(
        tags=[TAG],
        parameters=[NAME],
        request=LifetimeSerializer,
        responses={201: IssuedTokenSerializer, **problems(400, 404)},
    )
    def post(self, request, name):
        """Ganti token: kunci baru dengan nama yang sama, kunci lama langsung tidak berlaku /
        rotate: a new key under the same name, the old key stops working at once."""
        data = parse(LifetimeSerializer, request.data)
        return _issued(*tokens.rotate(request.user, name, days=data.get("days"), by=request.user))


class TokenDetailView(APIView):
    @extend_schema(tags=[TAG], parameters=[NAME], responses={204: None, **problems(404)})
    def delete(self, request, name):
        """Cabut token / revoke the token: it stops working at once."""
        tokens.revoke(request.user, name, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
