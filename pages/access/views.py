"""Access orders (compliance.access): the network operators' work queue, where they confirm
that a director's order to cut or restore a regency's SIAK access was carried out, and
the same orders read-only for the ministry, the auditors and the governors (within their
jurisdiction). The regency's state changes only with that confirmation; the confirmation
asks first (pages.confirm) and acts once per confirmation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance import services
from compliance.access import get_visible_order, orders_for
from compliance.errors import Conflict, InvalidInput
from compliance.models import AccessOrder, AccessOrderKind, AccessOrderState, OfficeKind, Violation
from compliance.permissions import office_for

from .. import confirm
from ..common import localise, row_reason, user_offices
from ..console.access import CONSOLE_KINDS, next_url, office_page, refused
from .forms import TIME, WIB, ExecuteForm

State, Kind = AccessOrderState, AccessOrderKind
PAGE_SIZE = 25
# The operators act here; whoever reads the console reads the orders of his jurisdiction.
ACCESS_KINDS = CONSOLE_KINDS | {OfficeKind.NETWORK_OPERATOR}


# Signed in with an office that sees access orders; an order outside the user's
# jurisdiction is a 404, a refused action a 403 page that says why.
access_page = office_page(
    ACCESS_KINDS,
    "Perintah akses SIAK untuk operator jaringan, kementerian, auditor dan provinsi / "
    "Access orders are for the network operators, the ministry, the auditors and the "
    "provinces",
)


def is_operator(request):
    return any(o.kind == OfficeKind.NETWORK_OPERATOR for o in user_offices(request))


def _may_execute(request, order):
    offices = user_offices(request)
    return office_for(request.user, "execute_access_order", order.regency, offices=offices)


def _orders(request, **filters):
    return orders_for(request.user, **filters).select_related(
        "request__requested_by", "request__requested_office"
    )


def _described(order, now):
    """The order with what the pages show of it: overdue, the reason in the reader's
    language (a system's reason is bilingual; a director's note is his own)."""
    order.overdue = order.state == State.ISSUED and order.due_at <= now
    request = order.request
    author = order.issued_by_id
    if request is not None and order.reason == request.reason:
        author = request.requested_by_id  # the director added nothing: the request's reason
    order.shown_reason = row_reason(order, by=author)
    return order


def _form(order, data=None):
    return ExecuteForm(data=data, order=order, auto_id=f"id_o{order.pk}_%s")


def _page(request, orders, param="page"):
    return Paginator(orders, PAGE_SIZE).get_page(request.GET.get(param))


@access_page
def orders(request):
    """The orders waiting for execution, the most overdue first."""
    return _render_queue(request)


def _render_queue(request, bound=None, status=200):
    now = timezone.now()
    page = _page(request, _orders(request, state=State.ISSUED).order_by("due_at", "id"))
    acting = is_operator(request)
    for order in page:
        _described(order, now)
        if acting:
            order.form = bound if bound is not None and bound.order.pk == order.pk else _form(order)
    context = {"tab": "issued", "page": page, "can_execute": acting, "bound_form": bound}
    return render(request, "pages/access/orders.html", context, status=status)


@access_page
def done(request):
    """The orders carried out or cancelled, the latest first."""
    now = timezone.now()
    finished = (
        _orders(request)
        .exclude(state=State.ISSUED)
        .annotate(finished_at=Coalesce("executed_at", "cancelled_at"))
        .order_by("-finished_at", "-id")
    )
    page = _page(request, finished)
    for order in page:
        _described(order, now)
    waiting = orders_for(request.user, state=State.ISSUED).count()
    context = {"tab": "done", "page": page, "waiting": waiting}
    return render(request, "pages/access/done.html", context)


@access_page
def order(request, pk):
    return _render_order(request, pk)


def _render_order(request, pk, bound=None, status=200):
    order = _orders(request).filter(pk=pk).first()
    if order is None:
        raise Http404
    _described(order, timezone.now())
    can_execute = order.state == State.ISSUED and bool(_may_execute(request, order))
    violations = []
    if order.kind == Kind.CUT:  # what the cut answers: the case's violations
        violations = (
            Violation.objects.filter(case=order.case_id)
            .select_related("flagged_by", "flagged_office")
            .order_by("flagged_at", "id")
        )
    context = {
        "order": order,
        "form": bound or (_form(order) if can_execute else None),
        "can_execute": can_execute,
        "violations": violations,
        "console": bool({o.kind for o in user_offices(request)} & CONSOLE_KINDS),
    }
    return render(request, "pages/access/order.html", context, status=status)


def _detail_url(order):
    return reverse("access:order", args=[order.pk])


def _render_again(request, order, form, status):
    """The page the form was sent from, with its errors: the order's page, or the queue
    while the order is in it (one executed or cancelled meanwhile has left it)."""
    still_waiting = AccessOrder.objects.filter(pk=order.pk, state=State.ISSUED).exists()
    if request.POST.get("next") == _detail_url(order) or not still_waiting:
        return _render_order(request, order.pk, bound=form, status=status)
    return _render_queue(request, bound=form, status=status)


@require_POST
@access_page
def execute(request, pk):
    """An operator confirms that the order was carried out, at the time given (WIB) or now,
    with the network's reference."""
    order = get_visible_order(request.user, pk)
    if not _may_execute(request, order):
        return refused(
            request,
            "Hanya operator jaringan yang mengonfirmasi pelaksanaan perintah akses / "
            "Only the network operators confirm that an access order was carried out",
        )
    form = _form(order, data=request.POST)
    if not form.is_valid():
        return _render_again(request, order, form, 400)
    back = next_url(request, reverse("access:orders"))

    def act():
        try:
            done = services.execute_access_order(
                order=order,
                actor=request.user,
                at=form.cleaned_data["executed_at"],
                reference=form.cleaned_data["reference"],
            )
        except InvalidInput as exc:
            fields = [f for f in getattr(exc, "errors", None) or {} if f in form.fields]
            form.add_error(fields[0] if fields else None, localise(exc))
            return _render_again(request, order, form, 400), False
        except Conflict as exc:
            form.add_error(None, localise(exc))
            return _render_again(request, order, form, 409), False
        messages.success(request, _executed_message(done))
        return redirect(back), True

    if confirm.confirmed(request):
        return confirm.once(request, act, fallback=back)
    if order.state == State.ISSUED:
        return _ask(request, order, form, back)
    return act()[0]  # executed (nothing to do again) or cancelled (refused): no question


def _when(instant):
    return f"{date_format(timezone.localtime(instant, WIB), TIME)} WIB"


def _executed_message(order):
    values = {"regency": f"{order.regency.code} {order.regency.name}"}
    values["time"] = _when(order.executed_at)
    if order.kind == Kind.CUT:
        return _("Execution confirmed: %(regency)s is cut off from SIAK since %(time)s.") % values
    return _("Execution confirmed: %(regency)s is reconnected to SIAK since %(time)s.") % values


def _ask(request, order, form, back):
    """Name what the confirmation changes: the regency's state, from the time given."""
    at = form.cleaned_data["executed_at"]
    values = {
        "regency": f"{order.regency.code} {order.regency.name}",
        "time": _when(at) if at else _("the moment you confirm"),
    }
    if order.kind == Kind.CUT:
        effects = [
            _(
                "You confirm that SIAK access of %(regency)s was cut at %(time)s: the "
                "regency becomes suspended and its suspension period starts then."
            )
            % values,
            _(
                "Its Dukcapil office can no longer serve residents through SIAK until it is "
                "reconnected."
            ),
        ]
        title = _("Confirm: SIAK access of %(regency)s is cut") % values
        button = _("Yes, the access is cut")
    else:
        effects = [
            _(
                "You confirm that SIAK access of %(regency)s was restored at %(time)s: the "
                "regency is reconnected, its suspension period ends then and its probation "
                "begins."
            )
            % values,
        ]
        title = _("Confirm: SIAK access of %(regency)s is restored") % values
        button = _("Yes, the access is restored")
    effects.append(
        _("The director who decided it (%(office)s) is told by e-mail.")
        % {"office": order.issued_office.title}
    )
    reference = form.cleaned_data["reference"]
    details = [_("Reference number: %(reference)s") % {"reference": reference}] if reference else []
    return confirm.ask(
        request, title=title, effects=effects, details=details, button=button, cancel_url=back
    )
