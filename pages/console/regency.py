"""A regency's page and the transitions taken on it (through the compliance services)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from compliance import services, state_diagram
from compliance.case_file import case_file, latest_case
from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import SuspensionPeriod
from compliance.permissions import get_visible_regency, office_for
from compliance.selectors import describe, downtime_days

from .. import charts, confirm
from ..common import localise, user_offices
from . import queries, realisation
from .access import console_page, next_url, report_refusal
from .forms import ACTION_FORMS, form_for
from .labels import ACTION_LABELS, STATE_LABELS, STATES
from .panels import (
    page_of,
    zone_of,
)


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


def render_regency(request, regency, *, bound=None, status=200):
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
        "zone": zone_of(regency.province),
        "state_label": STATE_LABELS.get(regency.state, regency.state),
        "states": [(s, STATE_LABELS[s]) for s in STATES],
        "diagram": state_diagram.figure(
            current=regency.state,
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
        "timeline": page_of(request, timeline),
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
    return render_regency(request, get_visible_regency(request.user, code))


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
        return render_regency(request, regency, bound=form, status=400)
    back = next_url(request, reverse("console:regency", args=[regency.code]))
    if action in CONFIRMED_ACTIONS and confirm.confirmed(request):
        return confirm.once(request, lambda: _act(request, regency, action, form), fallback=back)
    if action in CONFIRMED_ACTIONS and may_act(request, regency, action):
        return _ask_reconnect(request, regency, back)
    return _act(request, regency, action, form)[0]  # a refusal needs no confirmation


# Actions that change a regency's SIAK access ask first (pages.confirm).
CONFIRMED_ACTIONS = {"reconnect"}


def may_act(request, regency, action):
    return office_for(request.user, action, regency, offices=user_offices(request)) is not None


def _act(request, regency, action, form):
    """(response, done): the service's transition, or the page again with its refusal."""
    try:
        _SERVICES[action](regency, request.user, form.cleaned_data)
    except InvalidInput as exc:
        form.add_error(None, localise(exc))
        return render_regency(request, regency, bound=form, status=400), False
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
