"""Directive pages: the list, the
tracking page with its exports, and the issue and withdraw buttons. Thin: every rule is
workflow.services' or workflow.selectors'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.fsm import may_proceed
from compliance.models import Province
from pages import confirm, exports
from pages.common import localise
from workflow import selectors, services
from workflow.models import AssignmentState, DirectiveState

from . import tracking
from .access import (
    may_compose,
    may_manage,
    refused,
    visible_directive,
)
from .composer_views import ask_issue
from .forms import (
    PRIORITY_LABELS,
    SCOPE_LABELS,
    TrackingFilter,
)
from .labels import ASSIGNMENT_STATES, DIRECTIVE_STATES

DIRECTIVES_PER_PAGE = 25
RECIPIENTS_PER_PAGE = 50


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
        d.may_issue = may_proceed(d, "issue") and may_manage(request, d)
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
            "may_compose": may_compose(request),
        },
    )


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
    directive = visible_directive(request, pk)
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
        "may_manage": may_manage(request, directive),
        "may_issue": may_proceed(directive, "issue"),
        "may_withdraw": may_proceed(directive, "withdraw"),
    }
    template = "pages/directives/detail.html"
    if request.htmx and request.htmx.target == "recipients":
        template = "pages/directives/_recipients.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request, pk, fmt):
    directive = visible_directive(request, pk)
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
    directive = visible_directive(request, pk)
    back = reverse("directives:detail", args=[pk])
    if not confirm.confirmed(request) and directive.state == DirectiveState.DRAFT:
        return ask_issue(
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
    directive = visible_directive(request, pk)
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
