"""The approvals queue: suspension requests, regencies awaiting reconnection and extension
requests, and the decisions taken on them."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from compliance import services
from compliance.case_file import case_files
from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import RequestStatus
from compliance.permissions import decider_office
from compliance.selectors import (
    describe,
    describe_reconnections,
    get_visible_suspension_request,
)
from workflow import services as workflow_services
from workflow.selectors import get_visible_extension_request

from .. import confirm
from ..common import row_reason, user_offices
from . import queries
from .access import console_page, next_url, report_refusal
from .forms import OptionalReasonForm, ReasonForm, form_for
from .panels import (
    page_of,
    with_zones,
    zone_of,
)
from .regency import DONE, render_regency


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
    suspensions = page_of(request, waiting["suspensions"].select_related("regency__province"), "sp")
    for r in suspensions:
        r.zone = zone_of(r.regency.province)
        r.can_decide = (
            decider_office(user, "approve_suspension", r, regency=r.regency, offices=offices)
            is not None
        )
        r.forms = _decision_forms("suspension", r.pk, bound)
    reconnections = page_of(request, waiting["reconnections"], "rp")
    reconnecting = with_zones(describe_reconnections(reconnections.object_list, user))
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
    extensions = page_of(
        request, pending.select_related("assignment__province", "assignment__regency"), "ep"
    )
    for e in extensions:
        e.zone = zone_of(e.assignment.province)
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
        return render_regency(request, suspension_request.regency, bound=action, status=400)

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
    return suspension_request.status == RequestStatus.PENDING and (
        decider_office(
            request.user, "approve_suspension", suspension_request, offices=user_offices(request)
        )
        is not None
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
            "reason": row_reason(suspension_request, by=suspension_request.requested_by_id),
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
