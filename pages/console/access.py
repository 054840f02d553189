"""Who may open the console, and how domain errors become pages."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from compliance.errors import NotAllowed, NotFound
from compliance.models import MINISTRY_KINDS, OfficeKind, Scope

from ..common import localise, user_offices

# Ministry offices run the console; governors and provincial heads read it for their
# province; auditors read everything. Regency offices have their inbox instead.
CONSOLE_KINDS = MINISTRY_KINDS | {
    OfficeKind.GOVERNOR,
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
    OfficeKind.AUDITOR,
}


def refused(request, exc_or_reason, status=403):
    return render(
        request,
        "pages/console/refused.html",
        {"reason": localise(exc_or_reason)},
        status=status,
    )


def office_page(kinds, refusal):
    """A decorator: signed in with an office of `kinds` (else a 403 page saying
    `refusal`); NotFound (unknown or outside the jurisdiction) is 404, NotAllowed a 403
    page that says why."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not {o.kind for o in user_offices(request)} & kinds:
                return refused(request, refusal)
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except NotAllowed as exc:
                return refused(request, exc)

        return wrapper

    return decorate


console_page = office_page(
    CONSOLE_KINDS,
    "Konsol ini untuk jabatan kementerian dan provinsi / "
    "The console is for ministry and provincial offices",
)


def is_national(request):
    return any(o.scope == Scope.NATIONAL for o in user_offices(request))


def home_province_id(request):
    """The one province a provincial office covers, or None (national, or several)."""
    provinces = {o.province_id for o in user_offices(request) if o.scope == Scope.PROVINCE}
    return provinces.pop() if len(provinces) == 1 and not is_national(request) else None


def next_url(request, default):
    """Where to go after a POST: the form's `next` when it is one of our own pages."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def report_refusal(request, exc):
    messages.error(request, localise(exc))
