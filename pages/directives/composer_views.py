"""The directive composer: the form, its live recipient summary and e-mail preview, and
the confirmation before a directive is issued."""

import hashlib

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from compliance.errors import Conflict, InvalidInput, NotAllowed
from pages import confirm
from pages.common import localise, user_offices
from workflow import services
from workflow.models import ScopeKind

from . import composer
from .access import governed_province, may_compose, refused
from .forms import (
    SCOPE_LABELS,
    DirectiveForm,
    ScopeForm,
)

# --- composer --------------------------------------------------------------------------


def _issuer(request):
    """The office the composer's user issues through (the preview's sender); None if none."""
    kinds = services.DIRECTIVE_ISSUER_KINDS
    return next((o for o in user_offices(request) if o.kind in kinds), None)


def _summary(data, province=None, issuer=None):
    if province is not None:  # a governor's province is fixed (its field is disabled)
        data = data.copy()
        data["province"] = province.code
    form = ScopeForm(data)
    form.is_valid()  # a half-typed field leaves out only itself (cleaned_data keeps the rest)
    return composer.summarise(
        form.unsaved_directive(),
        due_date=form.cleaned_data.get("due_date"),
        title=form.cleaned_data.get("title") or "",
        document_kind=form.cleaned_data.get("document_kind") or None,
        issuer=issuer,
    )


@login_required
def compose(request):
    if not may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    province = governed_province(request)
    form = DirectiveForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        issue = request.POST.get("action") == "issue"
        if issue and not confirm.confirmed(request):
            count = _try_issue(request, form)
            if count is not None:
                return ask_issue(
                    request,
                    title=form.cleaned_data["title"],
                    count=count,
                    due_date=form.cleaned_data["due_date"],
                    scope=SCOPE_LABELS.get(form.cleaned_data["scope_kind"], ""),
                    cancel_url=reverse("directives:compose"),
                )
        elif request.POST.get(confirm.KEY):  # a draft or a confirmed issue: once per key
            response = confirm.once(
                request,
                lambda: _create(request, form, issue),
                fallback=reverse("directives:list"),
            )
            if response is not None:
                return response
        else:
            response = _create(request, form, issue)[0]
            if response is not None:
                return response
    if request.method == "POST":
        summary = _summary(request.POST, province, _issuer(request))
    elif province is not None:  # the preselected scope: his province's regencies
        summary = _summary(
            QueryDict(f"scope_kind={ScopeKind.PROVINCE}"), province, _issuer(request)
        )
    else:
        summary = composer.ScopeSummary()
    _keep_preview(request, summary)
    context = {"form": form, "summary": summary, "submission": confirm.new_key()}
    return render(request, "pages/directives/compose.html", context)


def _create(request, form, issue):
    """(response, done): the directive saved (and issued), or (None, False) with the
    service's refusal on the form."""
    try:
        with transaction.atomic():  # issue now: no draft is left behind if issuing fails
            directive = services.create_directive(actor=request.user, **form.directive_arguments())
            if issue:
                services.issue_directive(directive=directive, actor=request.user)
    except InvalidInput as exc:
        form.add_service_errors(exc, localise(exc))
        return None, False
    except (NotAllowed, Conflict) as exc:
        form.add_error(None, localise(exc))
        return None, False
    if issue:
        messages.success(request, _("The directive was issued."))
    else:
        messages.success(request, _("The draft was saved. Check it, then issue it."))
    return redirect("directives:detail", pk=directive.pk), True


class _DryRun(Exception):
    pass


def _try_issue(request, form):
    """The number of offices the directive would be issued to, from the services
    themselves (drafted and issued, then rolled back: nothing is kept or sent), or None
    with their refusal on the form, which is then shown before any confirmation."""
    try:
        with transaction.atomic():
            directive = services.create_directive(actor=request.user, **form.directive_arguments())
            count = len(services.issue_directive(directive=directive, actor=request.user)[1])
            raise _DryRun
    except _DryRun:
        return count
    except InvalidInput as exc:
        form.add_service_errors(exc, localise(exc))
    except (NotAllowed, Conflict) as exc:
        form.add_error(None, localise(exc))
    return None


def ask_issue(request, *, title, count, due_date, scope, cancel_url):
    """Issuing sends the directive and its e-mail to every recipient at once: say to how
    many, what and by when, first (pages.confirm)."""
    effects = [
        ngettext(
            "%(count)s regional head will receive the directive “%(title)s” and its e-mail now.",
            "%(count)s regional heads will receive the directive “%(title)s” and its e-mail now.",
            count,
        )
        % {"count": count, "title": title},
        _("Due %(day)s, at the end of that day in each recipient's own time zone.")
        % {"day": date_format(due_date, "j F Y")},
    ]
    if scope:
        effects.append(_("Recipients: %(scope)s.") % {"scope": scope})
    return confirm.ask(
        request,
        title=_("Confirm: issue the directive"),
        effects=effects,
        button=ngettext(
            "Yes, issue it to %(count)s office", "Yes, issue it to %(count)s offices", count
        )
        % {"count": count},
        cancel_url=cancel_url,
    )


@login_required
@require_GET
def recipients(request):
    """The live summary (htmx): recipient count, deadlines per zone, e-mail preview."""
    if not may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    summary = _summary(request.GET, governed_province(request), _issuer(request))
    _keep_preview(request, summary)
    return render(request, "pages/directives/_summary.html", {"summary": summary})


PREVIEW_KEY = "directive_email_preview"


def _keep_preview(request, summary):
    """The e-mail preview is shown from its own address (email_preview): an e-mail's HTML
    styles itself inline, which the pages' Content-Security-Policy refuses."""
    if summary.preview:
        request.session[PREVIEW_KEY] = summary.preview.html
        summary.preview_version = hashlib.sha256(summary.preview.html.encode()).hexdigest()[:12]


@login_required
@require_GET
@xframe_options_sameorigin
@csp(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],  # the e-mail's own inline styles, nothing else
        "img-src": ["data:"],
        "frame-ancestors": ["'self'"],
        "sandbox": [],
    }
)
def email_preview(request):
    """The composer's latest e-mail preview, for its sandboxed frame: no script may run."""
    if not may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    return HttpResponse(request.session.get(PREVIEW_KEY, ""))
