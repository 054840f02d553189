"""The API: Django REST framework, its tokens (knox) and second factor, and the OpenAPI
schema (drf-spectacular)."""

import datetime as dt

from .environment import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "compliance.api.renderers.JSONRenderer",  # DRF's JSON, written by orjson
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "compliance.api.renderers.JSONParser",  # too deep a body: 400, not 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ektp_compliance.problems.problem_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Per signed-in user (token or session), and per address for anonymous calls; issuing a
    # directive fans out e-mails to every addressed office, so it has its own tighter scope
    # (workflow/api/views.py). Windows live in the cache (CACHES below): DRF's throttles,
    # kept atomically on Redis (compliance/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "compliance.api.throttling.UserRateThrottle",
        "compliance.api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER_RATE", default="1000/hour"),
        "anon": env.str("API_THROTTLE_ANON_RATE", default="60/hour"),
        "directive-issue": env.str("API_THROTTLE_DIRECTIVE_ISSUE_RATE", default="10/hour"),
    },
}
# API tokens (django-rest-knox, accounts.ApiToken): named, hashed, with an expiry. A token
# lasts API_TOKEN_DAYS unless its issuer chooses fewer or more, never over API_TOKEN_MAX_DAYS.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 (a model, not a secret)
# knox's own migrations create its default token table even when the model is swapped
# for ours (they predate the setting): without them, no knox_authtoken table exists.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS),
    "AUTH_HEADER_PREFIX": "Token",
    # A leaked key is recognisable (secret scanners, logs) by its prefix.
    "TOKEN_PREFIX": "ektp_",
}
# The second factor (django-otp, TOTP): the name authenticator apps show for our codes.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Kepatuhan KTP-el")

SPECTACULAR_SETTINGS = {
    "TITLE": "e-KTP compliance API (Kemendagri / Dukcapil)",
    "DESCRIPTION": "Kepatuhan perekaman KTP-el: direktif, penugasan, siklus kepatuhan kabupaten/kota.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files: ministry networks are often closed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several serializers share these choice sets: one named enum each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ComplianceStateEnum": "compliance.models.ComplianceState",
        "ViolationKindEnum": "compliance.models.ViolationKind",
        "RemediationStatusEnum": "compliance.models.RemediationStatus",
        "RequestStatusEnum": "compliance.models.RequestStatus",
        "RegencyKindEnum": "compliance.models.RegencyKind",
        "DirectiveStateEnum": "workflow.models.DirectiveState",
        "AssignmentStateEnum": "workflow.models.AssignmentState",
        "NotificationStateEnum": "workflow.models.NotificationState",
        "DeviceStatusEnum": "equipment.models.DeviceStatus",
        "DeviceKindEnum": "equipment.models.DeviceKind",
        "FundingEnum": "equipment.models.Funding",
    },
}
