"""Liveness and readiness for load balancers and orchestrators."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker():
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        # The filesystem transport "connects" to anything; make it touch its folder.
        conn.default_channel  # noqa: B018


@never_cache
def readyz(request):
    failing = {}
    for part, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
        except Exception as exc:  # any failure means not ready; the message says which
            failing[part] = f"{type(exc).__name__}: {exc}"
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})
