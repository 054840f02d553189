"""Errors as RFC 9457 problem details (application/problem+json).

{"type", "title", "status", "detail", "instance"} and, for invalid input, "errors":
{field: [messages or codes]}. Domain errors (compliance.errors) carry their own
bilingual title and detail, and add the message's "code" and "params" (docs/api.md);
DRF's own errors get Bahasa Indonesia first, English second.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from compliance.errors import DomainError, InvalidInput
from compliance.i18n import bilingual
from compliance.problem_details import CONTENT_TYPE, TYPE_PREFIX, problem_json, type_and_title

# A service's InvalidInput comes after the view's serializer accepted the input's shape,
# the shape the OpenAPI schema states (a malformed request is 400 there). What a service
# refuses is a rule the schema cannot state (a code naming no region, a due date already
# past, a file that is no PDF): 422, still the invalid-input problem; a file over its
# limit: 413.
TOO_LARGE_CODES = {"too_large", "too large"}


def _domain_status(exc):
    if not isinstance(exc, InvalidInput):
        return exc.status
    codes = {code for field in exc.errors.values() for code in field}
    return 413 if codes & TOO_LARGE_CODES else 422


def _bilingual(exc):
    """DRF's message in Bahasa Indonesia and English when it is the stock one."""
    detail = str(exc.detail)
    default = getattr(exc, "default_detail", None)
    if default is None or detail != str(default):
        return detail
    return bilingual(default)


def problem_response(
    request, *, status, detail, title=None, errors=None, headers=None, type_=None, message=None
):
    default_type, default_title = type_and_title(status)
    body = {
        "type": type_ or default_type,
        "title": title or default_title,
        "status": status,
        "detail": detail,
    }
    if message is not None:  # the detail as a code and its parameters (compliance.i18n)
        body.update(message.as_dict())
    if request is not None:
        body["instance"] = request.path
    if errors:
        body["errors"] = errors
    # The browsable API renders HTML: only a JSON rendering is labelled problem+json.
    renderer = getattr(request, "accepted_renderer", None)
    json_rendering = renderer is None or renderer.format == "json"
    return Response(
        body,
        status=status,
        headers=headers,
        content_type=CONTENT_TYPE if json_rendering else None,
    )


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "Isi permintaan terlalu besar / Request body too large"
    default_code = "too_large"


def _validation_errors(exc):
    if isinstance(exc.detail, dict):
        return exc.detail
    return {"non_field_errors": exc.detail}


@csrf_exempt  # changes nothing, whatever the method
def api_not_found(request):
    """Any /api/v1/ path that names nothing: 404 as problem details, to anyone."""
    return problem_json(request, status=404, detail="Alamat API tidak dikenal / Unknown API path")


def problem_exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, DomainError):
        set_rollback()
        status = _domain_status(exc)
        return problem_response(
            request,
            status=status,
            title=exc.title,
            detail=exc.detail,
            errors=exc.errors,
            type_=TYPE_PREFIX + "invalid-input" if isinstance(exc, InvalidInput) else None,
            message=exc.message,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # Django's message may name what was looked up
    elif isinstance(exc, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(f"Permintaan ditolak / Request refused: {exc}")
    elif isinstance(exc, SuspiciousOperation):  # too many fields or files
        exc = exceptions.ParseError(f"Permintaan ditolak / Request refused: {exc}")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 handling and logging

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            request,
            status=exc.status_code,
            detail="Periksa kolom yang salah pada 'errors' / See the invalid fields in 'errors'",
            errors=_validation_errors(exc),
            headers=headers,
        )
    return problem_response(
        request, status=exc.status_code, detail=_bilingual(exc), headers=headers
    )
