"""Directive pages: the list, the composer (with its live recipient summary), the
tracking page with its exports, and the issue and withdraw buttons. Thin: every rule is
workflow.services' or workflow.selectors'."""

import hashlib

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.models import OfficeKind, Province
from pages import confirm, exports
from pages.common import localise, user_offices
from workflow import selectors, services
from workflow.models import AssignmentState, DirectiveState, ScopeKind

from . import composer, reports, tracking
from .forms import (
    PRIORITY_LABELS,
    SCOPE_LABELS,
    DirectiveForm,
    ReturnForm,
    ScopeForm,
    TrackingFilter,
)
from .labels import ASSIGNMENT_STATES, DIRECTIVE_STATES

DIRECTIVES_PER_PAGE = 25
RECIPIENTS_PER_PAGE = 50


def refused(request, reason, status=403):
    return render(request, "pages/directives/refused.html", {"reason": reason}, status=status)


def _is_ministry(request):
    return any(o.is_ministry for o in user_offices(request))


def _may_compose(request):
    return any(o.kind in services.DIRECTIVE_ISSUER_KINDS for o in user_offices(request))


def _governed_province(request):
    """The province a governor (without a ministry office) composes for; None else.
    Whether a scope fits is workflow.services' rule; this only narrows what is offered."""
    if _is_ministry(request):
        return None
    return next((o.province for o in user_offices(request) if o.kind == OfficeKind.GOVERNOR), None)


def _may_manage(request, directive):
    return services.managing_office(user_offices(request), directive) is not None


def _directive(request, pk):
    try:
        return selectors.get_visible_directive(request.user, pk)
    except NotFound as exc:
        raise Http404(localise(exc)) from None


# --- list ------------------------------------------------------------------------------


# ?sort= on the directive list: the column and its direction; "-" first is descending.
SORTS = {
    "due": ("due_date", "id"),
    "-due": ("-due_date", "-id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "state": ("state", "-created_at", "-id"),
    "-state": ("-state", "-created_at", "-id"),
}
QUERY_MAX_LENGTH = 100


@login_required
@require_GET
def directive_list(request):
    """The directives the user sees, six columns (the counts by state and by escalation
    level are on each directive's own page), filtered by state and by words of the title
    (?q=), sorted by due date, title or state (?sort=), server-side; the filter and the
    sort are kept in the pagination's and the headers' links."""
    state = request.GET.get("state")
    state = state if state in DirectiveState.values else None
    q = " ".join(request.GET.get("q", "").split())[:QUERY_MAX_LENGTH]
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else ""
    directives = selectors.directives_for(request.user, state=state)
    if q:
        directives = directives.filter(title__icontains=q)
    if sort:
        directives = directives.order_by(*SORTS[sort])
    page = Paginator(directives, DIRECTIVES_PER_PAGE)
    page = page.get_page(request.GET.get("page"))
    page.object_list = selectors.describe_directives(page.object_list, request.user)
    for d in page.object_list:
        d.state_label = DIRECTIVE_STATES[d.state]
        d.may_issue = d.state == DirectiveState.DRAFT and _may_manage(request, d)
        counts = d.assignment_counts["by_state"]
        d.answered = counts[AssignmentState.SUBMITTED] + counts[AssignmentState.VERIFIED]
    kept = {k: v for k, v in (("state", state), ("q", q)) if v}
    columns = []
    for key, label in (("title", _("Directive")), ("state", _("State")), ("due", _("Due date"))):
        ascending = sort != key
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + urlencode(kept | {"sort": key if ascending else f"-{key}"}),
                "aria_sort": "ascending"
                if sort == key
                else "descending"
                if sort == f"-{key}"
                else "none",
            }
        )
    return render(
        request,
        "pages/directives/list.html",
        {
            "page": page,
            "state": state or "",
            "q": q,
            "sort": sort,
            "columns": columns,
            "query": urlencode(kept | ({"sort": sort} if sort else {})),
            "states": DIRECTIVE_STATES.items(),
            "may_compose": _may_compose(request),
        },
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
    if not _may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    province = _governed_province(request)
    form = DirectiveForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        issue = request.POST.get("action") == "issue"
        if issue and not confirm.confirmed(request):
            count = _try_issue(request, form)
            if count is not None:
                return _ask_issue(
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


def _ask_issue(request, *, title, count, due_date, scope, cancel_url):
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
    if not _may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    summary = _summary(request.GET, _governed_province(request), _issuer(request))
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
    if not _may_compose(request):
        return refused(request, _("Only ministry offices and governors compose directives."))
    return HttpResponse(request.session.get(PREVIEW_KEY, ""))


# --- tracking --------------------------------------------------------------------------


def _recipient_sort(request):
    sort = request.GET.get("sort", "")
    return sort if sort in tracking.SORTS else ""


def _tracking(request, directive):
    assignments = selectors.assignments_for(request.user, directive=directive.pk)
    provinces = Province.objects.filter(pk__in=assignments.order_by().values("province_id"))
    steps = list(directive.policy.steps.order_by("order"))
    form = TrackingFilter(request.GET, provinces=provinces, steps=steps)
    rows = tracking.tracked_assignments(
        request.user, directive=directive.pk, filters=form.filters(), sort=_recipient_sort(request)
    )
    return form, rows, {s.order: s for s in steps}


def _recipient_columns(request):
    """The recipients table's sortable headers: each links to its sort (the other
    direction if it is the current one), keeping the filters; aria-sort says which."""
    sort = _recipient_sort(request)
    kept = request.GET.copy()
    for name in ("page", "sort"):
        kept.pop(name, None)
    columns = {}
    for key, label in (
        ("region", _("Recipient")),
        ("state", _("State")),
        ("due", _("Due (recipient's time)")),
        ("level", _("Escalation level")),
        ("activity", _("Last activity")),
    ):
        query = kept.copy()
        query["sort"] = f"-{key}" if sort == key else key
        columns[key] = {
            "key": key,
            "label": label,
            "url": "?" + query.urlencode(),
            "aria_sort": "ascending"
            if sort == key
            else "descending"
            if sort == f"-{key}"
            else "none",
        }
    return columns


def _last_activity(a):
    """What happened last to the assignment (a state change, or a notice with its
    delivery state) and when: (label, instant, whether it is a notice)."""
    notice_at, event_at = a.last_notice_at, a.last_event_at
    if event_at is not None and (notice_at is None or event_at >= notice_at):
        return ASSIGNMENT_STATES.get(a.last_event_state, a.last_event_state), event_at, False
    if notice_at is not None:
        label = tracking.NOTICE_LABELS.get(a.last_notice_template, a.last_notice_template)
        return label, notice_at, True
    return ASSIGNMENT_STATES[AssignmentState.ISSUED], a.issued_at, False


@login_required
@require_GET
def detail(request, pk):
    directive = _directive(request, pk)
    [directive] = selectors.describe_directives([directive], request.user)
    form, rows, steps = _tracking(request, directive)
    page = Paginator(rows, RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.state_label = ASSIGNMENT_STATES[a.state]
        a.due_text = tracking.due_text(a)
        a.acknowledged_text = tracking.local_text(a.acknowledged_at, a)
        a.step = steps.get(a.escalation_level)
        a.notice_label = tracking.NOTICE_LABELS.get(a.last_notice_template, a.last_notice_template)
        a.notice_state_label = tracking.NOTICE_STATE_LABELS.get(a.last_notice_state, "")
        a.notice_at_text = tracking.local_text(a.last_notice_at, a)
        a.activity_label, at, a.activity_is_notice = _last_activity(a)
        a.activity_text = tracking.local_text(at, a)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "directive": directive,
        "state_label": DIRECTIVE_STATES[directive.state],
        "priority_label": PRIORITY_LABELS.get(directive.priority, directive.priority),
        "scope_label": SCOPE_LABELS.get(directive.scope_kind, directive.scope_kind),
        "counts": [
            (ASSIGNMENT_STATES[s], directive.assignment_counts["by_state"][s])
            for s in AssignmentState.values
        ],
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sort": _recipient_sort(request),
        "columns": _recipient_columns(request),
        "may_manage": _may_manage(request, directive),
        "may_issue": directive.state == DirectiveState.DRAFT,
        "may_withdraw": directive.state in (DirectiveState.DRAFT, DirectiveState.ISSUED),
    }
    template = "pages/directives/detail.html"
    if request.htmx and request.htmx.target == "recipients":
        template = "pages/directives/_recipients.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request, pk, fmt):
    directive = _directive(request, pk)
    rows = _tracking(request, directive)[1]
    return exports.table_response(
        fmt,
        f"direktif-{directive.pk}-penerima",
        exports.assignment_header(),
        exports.assignment_rows(rows),
        title=_("Recipients"),
    )


# --- issue and withdraw ---------------------------------------------------------------


@login_required
@require_POST
def issue(request, pk):
    directive = _directive(request, pk)
    back = reverse("directives:detail", args=[pk])
    if not confirm.confirmed(request) and directive.state == DirectiveState.DRAFT:
        return _ask_issue(
            request,
            title=directive.title,
            count=services.recipient_offices(directive).count(),
            due_date=directive.due_date,
            scope=SCOPE_LABELS.get(directive.scope_kind, ""),
            cancel_url=back,
        )

    def act():
        try:
            assignments = services.issue_directive(directive=directive, actor=request.user)[1]
        except NotAllowed as exc:
            return refused(request, localise(exc)), False
        except (Conflict, InvalidInput) as exc:
            messages.error(request, localise(exc))
            return redirect(back), False
        messages.success(
            request,
            _("The directive was issued to %(count)d offices.") % {"count": len(assignments)},
        )
        return redirect(back), True

    if not confirm.confirmed(request):  # no longer a draft: the service says why
        return act()[0]
    return confirm.once(request, act, fallback=back)


@login_required
@require_POST
def withdraw(request, pk):
    directive = _directive(request, pk)
    reason = request.POST.get("reason", "")
    try:
        services.withdraw_directive(directive=directive, actor=request.user, reason=reason)
    except NotAllowed as exc:
        return refused(request, localise(exc))
    except Conflict as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("The directive was withdrawn; its open assignments stop."))
    return redirect("directives:detail", pk=pk)


# --- one recipient's report: verify or return it ----------------------------------------


def _report_page(request, directive, assignment_pk, *, return_form=None, status=200):
    try:
        assignment = reports.report_file(request.user, directive, assignment_pk)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
    may_decide = assignment.state == AssignmentState.SUBMITTED and _may_manage(request, directive)
    context = {
        "directive": directive,
        "assignment": assignment,
        "state_label": ASSIGNMENT_STATES[assignment.state],
        "step": directive.policy.steps.filter(order=assignment.escalation_level).first(),
        "may_decide": may_decide,
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "pages/directives/report.html", context, status=status)


@login_required
@require_GET
def report(request, pk, assignment):
    """What one recipient reported (the note, its files, every submission, the timeline),
    with the verify and return forms for the office that manages the directive."""
    return _report_page(request, _directive(request, pk), assignment)


def _decide(request, pk, assignment, decision, done):
    directive = _directive(request, pk)
    try:
        found = reports.report_file(request.user, directive, assignment)
        decision(found)
    except NotFound as exc:
        raise Http404(localise(exc)) from None
    except NotAllowed as exc:
        return refused(request, localise(exc))
    except Conflict as exc:  # no longer submitted: decided meanwhile
        messages.error(request, localise(exc))
    else:
        messages.success(request, done)
    return redirect("directives:report", pk=pk, assignment=assignment)


@login_required
@require_POST
def verify(request, pk, assignment):
    return _decide(
        request,
        pk,
        assignment,
        lambda a: services.verify_assignment(assignment=a, actor=request.user),
        _("The report was verified: this assignment is done."),
    )


@login_required
@require_POST
def return_report(request, pk, assignment):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _report_page(
            request, _directive(request, pk), assignment, return_form=form, status=400
        )
    reason = form.cleaned_data["reason"]
    return _decide(
        request,
        pk,
        assignment,
        lambda a: services.return_assignment(assignment=a, actor=request.user, reason=reason),
        _("The report was returned for rework; the recipient is told why."),
    )
