"""An evidence document, opened by whoever's jurisdiction covers its regency (the same
rule as the regency's page and the API: compliance.selectors.get_visible_evidence; a
document outside it is a 404). PDFs and images open in the browser (inline), anything
else is downloaded; either way under the type its content was checked to be at upload
(compliance.evidence), never sniffed."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from compliance.case_file import INLINE_TYPES
from compliance.errors import NotFound
from compliance.selectors import get_visible_evidence

from .common import localise


def serve(document):
    """The document's file: inline when a browser shows its type, else an attachment."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=document.content_type not in INLINE_TYPES,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    # The browser's own PDF viewer runs as an object of our origin; nothing else may.
    response._csp_replace = {"object-src": ["'self'"]}
    return response


@login_required
@require_GET
def evidence_file(request, pk):
    try:
        document = get_visible_evidence(request.user, pk)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
    return serve(document)
