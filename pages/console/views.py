"""The ministry console and the governor's view: thin views over compliance and workflow
reads, and forms that call their services. Governors and provincial heads see the same
pages narrowed to their province by the jurisdiction filters; they take no action here
(the services refuse them, and no button is offered), except that a governor decides the
extension requests under the directives his office issued, on the approvals page."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from compliance import services
from compliance.case_file import case_file, case_files, latest_case
from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import (
    MINISTRY_KINDS,
    ComplianceState,
    Province,
    Regency,
    RequestStatus,
    SuspensionPeriod,
)
from compliance.offices import head_offices_without_address
from compliance.overview import (
    describe,
    get_visible_suspension_request,
    regencies_for,
)
from compliance.permissions import get_visible_regency, jurisdiction, office_for
from compliance.selectors import downtime_by, downtime_days
from workflow import laggards as acceleration
from workflow import services as workflow_services
from workflow.laggards import issue_acceleration_directives_now
from workflow.models import Directive
from workflow.selectors import (
    ZONE_LABELS,
    get_visible_extension_request,
)

from .. import charts, confirm
from ..common import localise, shown_reason, user_offices
from . import queries, realisation
from .access import console_page, home_province_id, is_national, next_url, report_refusal
from .forms import ACTION_FORMS, OptionalReasonForm, ReasonForm, form_for
from .labels import ACTION_LABELS, STATE_LABELS, STATES, TRANSITION_LABELS

PAGE_SIZE = 25
STATE_SERIES = [charts.Series(s, STATE_LABELS[s], charts.STATE_COLOURS[s]) for s in STATES]


def _page(request, items, param="page"):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(param))


def _zone(province):
    return ZONE_LABELS[province.time_zone]


# --- the country (or, for a governor, his province) ---------------------------------


def _state_chart(rows):
    return charts.stacked_bar_chart(
        [(row["province"].name, row["counts"]) for row in rows],
        STATE_SERIES,
        title=_("Regencies and cities by compliance state, per province"),
        description="; ".join(
            f"{row['province'].name}: "
            + ", ".join(f"{STATE_LABELS[s]} {n}" for s, n in row["counts"].items() if n)
            for row in rows
        ),
        css_class="states-by-province",
    )


def _escalation_chart(months):
    levels = sorted({level for _, counts in months for level in counts})
    series = [
        charts.Series(
            str(level),
            _("level %(level)s") % {"level": level},
            charts.LEVEL_COLOURS[min(level, len(charts.LEVEL_COLOURS) - 1)],
        )
        for level in levels
    ]
    rows = [(f"{month:%Y-%m}", {str(k): v for k, v in counts.items()}) for month, counts in months]
    level_word = _("level")  # outside the f-string, where xgettext finds it
    return charts.stacked_bar_chart(
        rows,
        series,
        title=_("Escalation steps taken per month, by the level they reached"),
        description="; ".join(
            f"{label}: " + ", ".join(f"{level_word} {k} {v}" for k, v in counts.items())
            for label, counts in rows
        ),
        css_class="escalations-by-month",
    )


DOWNTIME_CHART_ROWS = 20


def _downtime(user, province=None, now=None):
    """(chart, rows): the regencies with the most days without SIAK access (all periods,
    the open ones until now) in the user's jurisdiction, or the province; two queries."""
    periods = SuspensionPeriod.objects.all()
    condition = jurisdiction(user, province="regency__province_id", regency="regency_id")
    if condition is not None:
        periods = periods.filter(condition)
    if province is not None:
        periods = periods.filter(regency__province=province)
    by_code = downtime_by("regency__code", periods=periods, now=now)
    if not by_code:
        return None, []
    names = dict(Regency.objects.filter(code__in=by_code).values_list("code", "name"))
    rows = sorted(
        ((code, names[code], float(downtime_days(d))) for code, d in by_code.items()),
        key=lambda row: (-row[2], row[0]),
    )[:DOWNTIME_CHART_ROWS]
    days = _("days without SIAK access")
    chart = charts.stacked_bar_chart(
        [(name, {"days": n}) for _code, name, n in rows],
        [charts.Series("days", days, "#c92a2a")],
        title=_("Days without SIAK access, by regency or city"),
        description="; ".join(f"{name}: {charts.number_text(n)} {days}" for _code, name, n in rows),
        css_class="downtime",
    )
    return chart, rows


def _realisation_chart(rows, title):
    # Words fetched outside the f-strings: xgettext does not see calls inside them.
    path, lagging, no_data = _("path"), _("lagging"), _("no data")
    return charts.target_bar_chart(
        realisation.target_bars(rows),
        title=title,
        description="; ".join(
            f"{r.region.name}: "
            + (charts.percent_text(r.value) if r.value is not None else no_data)
            + (f" ({path} {charts.percent_text(r.expected)})" if r.expected is not None else "")
            + (f" {lagging}" if r.lagging else "")
            for r in rows
        ),
        # xgettext:no-python-format
        target_label=_("Path to 100 % on 31 December"),
    )


OFFICE_ADDRESS_ROWS = 20


def _is_ministry(request):
    return any(o.kind in MINISTRY_KINDS for o in user_offices(request))


def _offices_without_address(province=None):
    """The head-of-region seats whose mail reaches nobody yet: their count and the first
    rows (two queries, whatever their number). For ministry users, who load addresses."""
    offices = head_offices_without_address(province)
    count = offices.count()
    rows = list(offices.select_related("province", "regency")[:OFFICE_ADDRESS_ROWS])
    return {
        "count": count,
        "rows": rows,
        "more": count - len(rows),
        "domain": settings.OFFICE_EMAIL_DOMAIN,
    }


@console_page
def country(request):
    user, now = request.user, timezone.now()
    figures = realisation.stored(request)
    at = realisation.as_of(request, figures)
    province_id = home_province_id(request)
    counts = queries.state_counts_by_province(user)
    months = queries.escalations_by_month(user)
    suspended = _page(request, regencies_for(user, state=ComplianceState.SUSPENDED), "sp")
    context = {
        "at": at,
        "province": next((r["province"] for r in counts if r["province"].pk == province_id), None),
        "counts": counts,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "totals": {s: sum(r["counts"][s] for r in counts) for s in STATES},
        "grand_total": sum(r["total"] for r in counts),
        "state_chart": _state_chart(counts),
        "suspended_page": suspended,
        "suspended": _with_zones(describe(suspended.object_list, user, now=now)),
        "overdue": queries.overdue_by_level(user, now=now),
        "months": months,
        "escalation_chart": _escalation_chart(months) if months else None,
    }
    context["is_ministry"] = _is_ministry(request)
    if context["is_ministry"]:
        context["unaddressed"] = _offices_without_address()
    context["downtime_chart"], context["downtime_rows"] = _downtime(user, now=now)
    context.update(_realisation_context(request, figures, counts, context["province"]))
    return render(request, "pages/console/country.html", context)


def _realisation_context(request, figures, counts, province):
    """Realisation by province; for a governor, by regency too; the laggards: read from
    the stored figures (compliance.summary) in one query. Empty (the page says "no
    recording data yet") until reports exist."""
    user = request.user
    # Regional offices see the laggards of their jurisdiction only.
    stored = realisation.stored_figures(
        figures,
        province_ids=[r["province"].pk for r in counts],
        lagging_in=None if is_national(request) else regencies_for(user),
        regencies=regencies_for(user, province=province.code) if province else None,
    )
    provinces = stored.provinces
    context = {
        "province_realisation": provinces,
        "provinces_without_data": len(counts) - len(provinces or []),
    }
    if not provinces:
        return context
    context["province_chart"] = _realisation_chart(
        provinces, _("e-KTP realisation by province against the path to the year-end target")
    )
    if province:
        rows = stored.regencies
        context["regency_realisation"] = rows
        context["regency_chart"] = rows and _realisation_chart(
            rows, _("e-KTP realisation by regency against the path to the year-end target")
        )
    laggards = sorted(
        stored.laggards.values(), key=lambda lag: float(lag.realisation) - float(lag.expected)
    )
    context["laggards"] = _page(request, laggards, "lp")
    return context


def _with_zones(regencies):
    for r in regencies:
        r.zone = _zone(r.province)
    return regencies


# --- a province -----------------------------------------------------------------------


@console_page
def province(request, code):
    user = request.user
    province = get_object_or_404(Province, code=code)
    regencies = regencies_for(user, province=code)
    if not regencies.exists():
        raise Http404  # outside the jurisdiction: as if it did not exist
    figures = realisation.stored(request)
    at = realisation.as_of(request, figures)
    page = _page(request, regencies)
    described = _with_zones(describe(page.object_list, user))
    rows = realisation.stored_figures(figures, lagging_in=False, regencies=regencies).regencies
    by_pk = {row.region.pk: row for row in rows or []}
    for r in described:
        r.realisation = by_pk.get(r.pk)
    context = {
        "province": province,
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "page": page,
        "regencies": described,
        "at": at,
        "zone": _zone(province),
        "regency_realisation": rows,
        "regency_chart": rows
        and _realisation_chart(
            rows, _("e-KTP realisation by regency against the path to the year-end target")
        ),
    }
    if _is_ministry(request):
        context["unaddressed"] = _offices_without_address(province)
    context["downtime_chart"], context["downtime_rows"] = _downtime(user, province=province)
    return render(request, "pages/console/province.html", context)


# --- a regency ------------------------------------------------------------------------


def _periods(regency, now):
    periods = list(SuspensionPeriod.objects.filter(regency=regency).order_by("started_at"))
    for p in periods:
        p.days = downtime_days(p.downtime(now))
    return periods


def _action_forms(regency, bound):
    """[(action, label, form, url)] for the actions the user may take now."""
    forms = []
    request_pk = regency.pending_suspension_request and regency.pending_suspension_request.pk
    for action in regency.available_transitions:
        if action not in ACTION_FORMS:
            continue  # evidence and remediation are the regency's own (the inbox)
        form = bound if bound is not None and bound.prefix == action else form_for(action)
        if action in ("approve_suspension", "reject_suspension"):
            decision = action.split("_")[0]
            url = reverse("console:decide_suspension", args=[request_pk, decision])
        else:
            url = reverse("console:act", args=[regency.code, action])
        forms.append((action, ACTION_LABELS[action], form, url))
    return forms


def _render_regency(request, regency, *, bound=None, status=200):
    user, now = request.user, timezone.now()
    [regency] = describe([regency], user, now=now)
    at = realisation.as_of(request)
    timeline, letters = queries.regency_timeline(user, regency)
    points, start_value = realisation.regency_series(at, regency)
    order = regency.issued_order  # decided, waiting for the network operators
    if order is not None:
        order.overdue = order.due_at <= now
    context = {
        "regency": regency,
        "issued_order": order,
        "zone": _zone(regency.province),
        "state_label": STATE_LABELS.get(regency.state, regency.state),
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "diagram": charts.state_diagram(
            type(regency),
            regency.state,
            state_labels=STATE_LABELS,
            transition_labels=TRANSITION_LABELS,
            title=_("Compliance states; the current one is highlighted"),
            description=_("Current state: %(state)s") % {"state": STATE_LABELS[regency.state]},
        ),
        "actions": _action_forms(regency, bound),
        "is_requester": bool(
            regency.pending_suspension_request
            and regency.pending_suspension_request.requested_by_id == user.pk
        ),
        "periods": _periods(regency, now),
        # What a decision here is made on: the open case, else the last one (its history).
        "case_file": case_file(regency.open_case or latest_case(regency)),
        "tz": regency.province.time_zone,
        "timeline": _page(request, timeline),
        "letters": letters,
        "at": at,
        "series": points,
    }
    if points:
        context["path_chart"] = charts.path_chart(
            points,
            start=at.replace(month=1, day=1),
            end=at.replace(month=12, day=31),
            start_value=start_value,
            title=_("e-KTP realisation in %(year)s against the straight path to 100 %%")
            % {"year": at.year},
            description="; ".join(
                f"{d.isoformat()}: {charts.percent_text(v)}" for d, v in points if v is not None
            ),
        )
    return render(request, "pages/console/regency.html", context, status=status)


@console_page
def regency(request, code):
    return _render_regency(request, get_visible_regency(request.user, code))


_SERVICES = {
    "flag": lambda regency, actor, data: services.flag_regency(
        regency=regency, actor=actor, **data
    ),
    "request_suspension": lambda regency, actor, data: services.request_suspension(
        regency=regency, actor=actor, reason=data["reason"]
    ),
    "reject_remediation": lambda regency, actor, data: services.reject_remediation(
        regency=regency, actor=actor, reason=data["reason"]
    ),
    "reconnect": lambda regency, actor, data: services.reconnect_regency(
        regency=regency, actor=actor, reason=data["reason"]
    ),
    "clear": lambda regency, actor, data: services.clear_regency(
        regency=regency, actor=actor, reason=data["reason"]
    ),
}
# Lazy: read in the reader's language when the message is shown, not at import.
DONE = {
    "flag": gettext_lazy("The violation is recorded."),
    "request_suspension": gettext_lazy("The suspension request is sent to the directors."),
    "reject_remediation": gettext_lazy("The remediation is rejected."),
    "reconnect": gettext_lazy(
        "The remediation is accepted and the order to restore SIAK access is sent to the "
        "network operators: the regency is reconnected when they confirm it was carried out."
    ),
    "clear": gettext_lazy("The regency is cleared."),
    "approve": gettext_lazy(
        "The suspension is approved and the order to cut SIAK access is sent to the network "
        "operators: the regency is suspended when they confirm it was carried out."
    ),
    "reject": gettext_lazy("The suspension request is rejected."),
}


@require_POST
@console_page
def act(request, code, action):
    """One transition on a regency, through its service."""
    if action not in _SERVICES:
        raise Http404
    regency = get_visible_regency(request.user, code)
    form = form_for(action, data=request.POST)
    if not form.is_valid():
        return _render_regency(request, regency, bound=form, status=400)
    back = next_url(request, reverse("console:regency", args=[regency.code]))
    if action in CONFIRMED_ACTIONS and confirm.confirmed(request):
        return confirm.once(request, lambda: _act(request, regency, action, form), fallback=back)
    if action in CONFIRMED_ACTIONS and _may(request, regency, action):
        return _ask_reconnect(request, regency, back)
    return _act(request, regency, action, form)[0]  # a refusal needs no confirmation


# Actions that change a regency's SIAK access ask first (pages.confirm).
CONFIRMED_ACTIONS = {"reconnect"}


def _may(request, regency, action):
    return office_for(request.user, action, regency, offices=user_offices(request)) is not None


def _act(request, regency, action, form):
    """(response, done): the service's transition, or the page again with its refusal."""
    try:
        _SERVICES[action](regency, request.user, form.cleaned_data)
    except InvalidInput as exc:
        form.add_error(None, localise(exc))
        return _render_regency(request, regency, bound=form, status=400), False
    except (NotAllowed, Conflict) as exc:
        report_refusal(request, exc)
        done = False
    else:
        messages.success(request, str(DONE[action]))
        done = True
    back = next_url(request, reverse("console:regency", args=[regency.code]))
    return redirect(back), done


def _ask_reconnect(request, regency, back):
    [regency] = describe([regency], request.user)
    days = regency.downtime_days
    name = f"{regency.code} {regency.name}"
    effects = [
        _(
            "SIAK access of %(regency)s will be restored by the network operators: an order "
            "goes to them now, and once they confirm it was carried out its Dukcapil office "
            "serves residents through the central population network again."
        )
        % {"regency": name},
        _(
            "The remediation is accepted now; the regency is reconnected and enters its "
            "probation when the operators confirm the restoration."
        ),
    ]
    if days:
        effects.append(
            _("It has been without SIAK access for %(days)s days.")
            % {"days": number_format(days, decimal_pos=0 if days == int(days) else 2)}
        )
    return confirm.ask(
        request,
        title=_("Confirm: reconnect %(regency)s") % {"regency": name},
        effects=effects,
        button=_("Yes, order SIAK access restored"),
        cancel_url=back,
    )


# --- approvals ------------------------------------------------------------------------


def _decision_forms(kind, pk, bound=None):
    """The approve and reject forms of one card (ids unique on the page: "s" suspension,
    "e" extension, then its id); `bound`: the form sent back with its errors, in place."""
    letter = kind[0]
    forms = {
        "approve": OptionalReasonForm(prefix=f"approve_{kind}", auto_id=f"id_{letter}{pk}_%s"),
        "reject": ReasonForm(prefix=f"reject_{kind}", auto_id=f"id_{letter}{pk}_reject_%s"),
    }
    if bound is not None and bound.card == (kind, pk):
        forms[bound.decision] = bound
    return forms


def _bound_decision(request, kind, pk, decision, form_class):
    """The decision's form as sent, with the ids of its card."""
    blank = _decision_forms(kind, pk)[decision]
    form = form_class(data=request.POST, prefix=blank.prefix, auto_id=blank.auto_id)
    form.card, form.decision = (kind, pk), decision
    return form


def _suspensions_and_reconnections(request, offices, waiting, bound=None):
    user = request.user
    suspensions = _page(request, waiting["suspensions"].select_related("regency__province"), "sp")
    for r in suspensions:
        r.zone = _zone(r.regency.province)
        r.can_decide = (
            office_for(user, "approve_suspension", r.regency, offices=offices) is not None
            and r.requested_by_id != user.pk
        )
        r.forms = _decision_forms("suspension", r.pk, bound)
    reconnections = _page(request, waiting["reconnections"], "rp")
    reconnecting = _with_zones(queries.describe_reconnections(reconnections.object_list, user))
    for r in reconnecting:
        r.form = OptionalReasonForm(prefix="reconnect", auto_id=f"id_r{r.pk}_%s")
    # Each card with the file it decides on, in one batch (compliance.case_file).
    files = case_files(
        [r.case_id for r in suspensions] + [r.open_case.pk for r in reconnecting if r.open_case]
    )
    for r in suspensions:
        r.file = files.get(r.case_id)
    for r in reconnecting:
        r.file = files.get(r.open_case.pk) if r.open_case else None
    return {
        "suspensions": suspensions,
        "reconnections": reconnections,
        "reconnecting": reconnecting,
    }


def _pending_extensions(request, offices, pending, bound=None):
    """The pending extension requests of the queue, a page of them; who may decide one is
    the directive's managing office, the rule the service applies."""
    extensions = _page(
        request, pending.select_related("assignment__province", "assignment__regency"), "ep"
    )
    for e in extensions:
        e.zone = _zone(e.assignment.province)
        directive = e.assignment.directive
        e.can_decide = workflow_services.managing_office(offices, directive) is not None
        e.forms = _decision_forms("extension", e.pk, bound)
    return extensions


@console_page
def approvals(request):
    """Directors' queue: suspension requests, regencies awaiting reconnection, extension
    requests. A governor (no ministry office) sees only the extension requests under the
    directives his office issued, which he decides; the rest stays with the ministry."""
    return _render_approvals(request)


def _render_approvals(request, bound=None, status=200):
    """The queue; `bound`: a decision's form sent back with its errors, shown on its card."""
    offices = user_offices(request)
    waiting = queries.waiting_approval(request.user, offices)
    if "suspensions" in waiting:
        context = _suspensions_and_reconnections(request, offices, waiting, bound)
    else:
        context = {"governor_only": True}
    context["extensions"] = _pending_extensions(request, offices, waiting["extensions"], bound)
    context["bound_form"] = bound  # its errors put "Galat:" in the title
    return render(request, "pages/console/approvals.html", context, status=status)


def _choose(decision, **choices):
    if decision not in choices:
        raise Http404
    return choices[decision]


def _decide(request, thing, decision, kind, choices, done, ask=None, invalid=None):
    """Approve or reject a request from the approvals queue through its service; the
    reason comes from the form of that decision. A form with errors comes back where it
    was: on its card in the queue (or `invalid(form)`, the page it was sent from).
    `ask(back)`: the confirmation page a decision needs first (pages.confirm), then it
    acts once per confirmation."""
    service, form_class = _choose(decision, **choices)
    back = next_url(request, reverse("console:approvals"))
    form = _bound_decision(request, kind, thing.pk, decision, form_class)
    if not form.is_valid():
        if invalid is not None and back != reverse("console:approvals"):
            return invalid(form)
        return _render_approvals(request, bound=form, status=400)
    reason = form.cleaned_data["reason"]

    def act():
        try:
            service(request=thing, actor=request.user, reason=reason)
        except (InvalidInput, NotAllowed, Conflict) as exc:
            report_refusal(request, exc)
            return redirect(back), False
        messages.success(request, str(done[decision]))
        return redirect(back), True

    if confirm.confirmed(request):  # whatever has happened since: once per key
        return confirm.once(request, act, fallback=back)
    return act()[0] if ask is None else ask(back)


@require_POST
@console_page
def decide_suspension(request, pk, decision):
    """A director approves or rejects an officer's suspension request."""
    suspension_request = get_visible_suspension_request(request.user, pk)
    choices = {
        "approve": (services.approve_suspension, OptionalReasonForm),
        "reject": (services.reject_suspension, ReasonForm),
    }

    def ask(back):
        return _ask_suspension(request, suspension_request, back)

    def invalid(form):  # sent from the regency's page: its action form, open, with errors
        action = form_for(f"{decision}_suspension", data=request.POST)
        action.is_valid()
        return _render_regency(request, suspension_request.regency, bound=action, status=400)

    return _decide(
        request,
        suspension_request,
        decision,
        "suspension",
        choices,
        DONE,
        ask=ask if decision == "approve" and _may_decide(request, suspension_request) else None,
        invalid=invalid,
    )


def _may_decide(request, suspension_request):
    """Whether approving could succeed; if not, the service's refusal is shown at once."""
    return (
        suspension_request.status == RequestStatus.PENDING
        and suspension_request.requested_by_id != request.user.pk
        and _may(request, suspension_request.regency, "approve_suspension")
    )


def _ask_suspension(request, suspension_request, back):
    """Approving cuts the regency's SIAK access: say so, and why it was asked."""
    regency = suspension_request.regency
    [described] = describe([regency], request.user)
    name = f"{regency.code} {regency.name}"
    effects = [
        _(
            "SIAK access of %(regency)s will be cut by the network operators: an order goes "
            "to them now, and once they confirm it was carried out its Dukcapil office can no "
            "longer serve residents through the central population network until it is "
            "reconnected."
        )
        % {"regency": name},
    ]
    residents = getattr(described, "residents_affected", None)
    if residents:
        effects.append(
            _("%(residents)s residents obliged to hold an e-KTP live there.")
            % {"residents": number_format(residents, force_grouping=True)}
        )
    requester = suspension_request.requested_by
    effects.append(
        _("Requested by %(who)s: %(reason)s")
        % {
            "who": (requester.get_full_name() or requester.username)
            if requester
            else _("the system"),
            "reason": shown_reason(
                suspension_request.reason, by=suspension_request.requested_by_id
            ),
        }
    )
    return confirm.ask(
        request,
        title=_("Confirm: suspend %(regency)s") % {"regency": name},
        effects=effects,
        button=_("Yes, approve and order the cut"),
        cancel_url=back,
    )


EXTENSION_DONE = {
    "approve": gettext_lazy("The new due date applies."),
    "reject": gettext_lazy("The extension request is rejected."),
}


@require_POST
@console_page
def decide_extension(request, pk, decision):
    """The directive's manager (the ministry, or the governor who issued it) approves
    (moving the deadline and later steps) or rejects an extension."""
    extension = get_visible_extension_request(request.user, pk)
    choices = {
        "approve": (workflow_services.approve_extension, OptionalReasonForm),
        "reject": (workflow_services.reject_extension, ReasonForm),
    }
    return _decide(request, extension, decision, "extension", choices, EXTENSION_DONE)


# --- acceleration directives for the laggards -----------------------------------------


@console_page
@require_POST
def issue_acceleration(request):
    """The button under the laggards: issue now what the weekly task would issue."""
    at = parse_date(request.POST.get("at") or "")
    target = reverse("console:country") + (f"?at={at.isoformat()}" if at else "")
    if at is None:
        messages.error(request, _("Choose the date of the recording figures."))
        return redirect(target)
    if not confirm.confirmed(request) and _is_ministry(request):
        return _ask_acceleration(request, at, target)

    def act():
        try:
            issued = issue_acceleration_directives_now(actor=request.user, at=at)
        except (NotAllowed, InvalidInput) as exc:
            report_refusal(request, exc)
            return redirect(target), False
        outcomes = ("opened", "updated", "closed", "unchanged")
        done = {o: sum(1 for i in issued if i.outcome == o) for o in outcomes}
        messages.success(
            request,
            _(
                "%(opened)s acceleration directives issued, %(updated)s open ones given this "
                "week's figures and a reminder, %(closed)s closed (no longer lagging); "
                "%(unchanged)s regencies already had theirs for this week."
            )
            % done,
        )
        return redirect(target), True

    if not confirm.confirmed(request):  # refused: no confirmation needed
        return act()[0]
    return confirm.once(request, act, fallback=target)


def _planned_acceleration(at):
    """{outcome: [regency]} of what the run at `at` will do: workflow.laggards.plan where
    it exists (open, update or close each regency's track), else the laggards without
    their directive of that week (opened) and those with it (unchanged)."""
    planner = getattr(acceleration, "plan", None)
    outcomes = {"opened": [], "updated": [], "closed": [], "unchanged": []}
    if planner is not None:
        for item in planner(at):
            outcomes.setdefault(item.outcome, []).append(item.laggard.regency)
        return outcomes
    lagging = realisation.find_laggards(at).values()
    keys = {acceleration.origin_key(lag.regency, at): lag.regency for lag in lagging}
    done = set(Directive.objects.filter(origin_key__in=keys).values_list("origin_key", flat=True))
    for key, regency in keys.items():
        outcomes["unchanged" if key in done else "opened"].append(regency)
    return outcomes


def _ask_acceleration(request, at, target):
    """Name who will receive what before the bulk issue."""
    planned = {k: sorted(v, key=lambda r: r.code) for k, v in _planned_acceleration(at).items()}
    opened, updated = planned["opened"], planned["updated"]
    closed, unchanged = planned["closed"], planned["unchanged"]
    effects = [
        ngettext(
            "%(count)s regional head will receive an acceleration directive and its e-mail, "
            "with the governor in copy.",
            "%(count)s regional heads will receive an acceleration directive and its e-mail, "
            "each with the governor in copy.",
            len(opened),
        )
        % {"count": len(opened)}
    ]
    if updated:
        effects.append(
            ngettext(
                "%(count)s regional head whose acceleration directive is still open will "
                "receive this week's figures and a reminder.",
                "%(count)s regional heads whose acceleration directives are still open will "
                "receive this week's figures and a reminder.",
                len(updated),
            )
            % {"count": len(updated)}
        )
    if closed:
        effects.append(
            ngettext(
                "%(count)s acceleration directive closes: its regency or city no longer lags.",
                "%(count)s acceleration directives close: their regencies and cities no "
                "longer lag.",
                len(closed),
            )
            % {"count": len(closed)}
        )
    if unchanged:
        effects.append(
            ngettext(
                "%(count)s regency or city already had its directive this week and gets "
                "nothing more.",
                "%(count)s regencies and cities already had their directive this week and "
                "get nothing more.",
                len(unchanged),
            )
            % {"count": len(unchanged)}
        )
    effects.append(_("Figures as of %(day)s.") % {"day": date_format(at, "j F Y")})
    labels = {
        "opened": _("new acceleration directive"),
        "updated": _("this week's figures and a reminder"),
        "closed": _("its directive closes"),
    }
    details = [
        f"{r.code} {r.name}: {labels[outcome]}"
        for outcome in ("opened", "updated", "closed")
        for r in planned[outcome]
    ]
    return confirm.ask(
        request,
        title=_("Confirm: issue acceleration directives"),
        effects=effects,
        details=details,
        button=_("Yes, issue the acceleration directives"),
        cancel_url=target,
    )
