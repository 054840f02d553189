"""Who may do what on the directive pages, read from the offices the user holds (the
rules themselves are workflow's), and the page that says no."""

from django.http import Http404
from django.shortcuts import render

from compliance.errors import NotFound
from compliance.models import OfficeKind
from pages.common import localise, user_offices
from workflow import selectors, services


def refused(request, reason, status=403):
    return render(request, "pages/directives/refused.html", {"reason": reason}, status=status)


def is_ministry(request):
    return any(o.is_ministry for o in user_offices(request))


def may_compose(request):
    return any(o.kind in services.DIRECTIVE_ISSUER_KINDS for o in user_offices(request))


def governed_province(request):
    """The province a governor (without a ministry office) composes for; None else.
    Whether a scope fits is workflow.services' rule; this only narrows what is offered."""
    if is_ministry(request):
        return None
    return next((o.province for o in user_offices(request) if o.kind == OfficeKind.GOVERNOR), None)


def may_manage(request, directive):
    return services.managing_office(user_offices(request), directive) is not None


def visible_directive(request, pk):
    try:
        return selectors.get_visible_directive(request.user, pk)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
