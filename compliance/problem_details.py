"""Problem details (RFC 9457) outside DRF's views: a plain Django view's or a middleware's
answer, in the same form as the API's (ektp_compliance.problems builds those)."""

from django.http import JsonResponse

from compliance.api.renderers import PROBLEM_CONTENT_TYPE

CONTENT_TYPE = PROBLEM_CONTENT_TYPE
TYPE_PREFIX = "urn:ektp-compliance:problem:"

# status: (type slug, title)
_KNOWN = {
    400: ("invalid-input", "Masukan tidak valid / Invalid input"),
    401: ("not-authenticated", "Belum terautentikasi / Not authenticated"),
    403: ("not-allowed", "Tidak diizinkan / Not allowed"),
    404: ("not-found", "Tidak ditemukan / Not found"),
    405: ("method-not-allowed", "Metode tidak diizinkan / Method not allowed"),
    406: ("not-acceptable", "Format tidak dapat disediakan / Not acceptable"),
    409: ("conflict", "Konflik status / State conflict"),
    413: ("too-large", "Terlalu besar / Content too large"),
    415: ("unsupported-media-type", "Jenis konten tidak didukung / Unsupported media type"),
    422: ("invalid-input", "Masukan tidak valid / Invalid input"),
    429: ("throttled", "Terlalu banyak permintaan / Too many requests"),
}


def type_and_title(status):
    slug, title = _KNOWN.get(status, ("error", f"Galat / Error {status}"))
    return TYPE_PREFIX + slug, title


def problem_json(request, *, status, detail, slug=None, title=None, **extra):
    """Problem details from outside DRF's views (a plain Django view, a middleware's
    answer), in the same form as problem_response."""
    type_, default_title = type_and_title(status)
    body = {
        "type": TYPE_PREFIX + slug if slug else type_,
        "title": title or default_title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)
