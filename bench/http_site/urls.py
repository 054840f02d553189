"""The project's URLs, and `bench/ping/`: the baseline every endpoint is compared with."""

from django.db import connection
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from ektp_compliance.urls import urlpatterns as project_urlpatterns


class Ping(APIView):
    """One query (`SELECT 1`) and a short JSON answer through the whole middleware stack and
    DRF's request cycle, without authentication, permissions or throttling: what any
    endpoint costs before it does its own work."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return Response({"ok": cursor.fetchone()[0]})


class SignedInPing(Ping):
    """The same query and answer behind the API's own authentication (the token),
    permission and throttles: the floor under every endpoint of the API, printed beside
    the baseline so that what an endpoint's own work costs can be told apart from what
    signing in costs. Not the baseline: the issue's ratios are to the bare view."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = api_settings.DEFAULT_PERMISSION_CLASSES
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES


urlpatterns = [
    path("bench/ping/", Ping.as_view(), name="bench-ping"),
    path("bench/signed-in-ping/", SignedInPing.as_view(), name="bench-signed-in-ping"),
    *project_urlpatterns,
]
