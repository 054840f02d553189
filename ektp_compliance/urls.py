from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health
from .problems import api_not_found

admin.site.site_header = "Kepatuhan KTP-el · Kemendagri"
admin.site.site_title = "Kepatuhan KTP-el"


def favicon(request):
    """Browsers ask for /favicon.ico where no page names its icon (the admin, the API docs)."""
    return redirect(static("pages/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    path("api/v1/auth/tokens/", include("accounts.urls")),
    path("api/v1/auth/", include("rest_framework.urls")),
    path("api/v1/", include("compliance.api.urls")),
    path("ack/", include("workflow.notifications.urls")),
    path("api/v1/", include("workflow.api.urls")),
    path("api/v1/", include("equipment.api.urls")),
    path("api/v1/", include("webhooks.urls")),
    re_path(r"^api/", api_not_found),  # after every API route: the API's own 404
    path("", include("pages.urls")),
]
