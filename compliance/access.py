"""SIAK access: a director decides to cut or restore it, the network operators carry the
decision out and confirm it (docs/access-orders.md).

A decision issues an AccessOrder; the regency's state changes only when an operator (or
the network system, through the API with its token) confirms the execution, and that
instant opens or closes the suspension period, so downtime runs from the confirmed cut to
the confirmed restoration. An order not carried out within ACCESS_ORDER_DUE_HOURS (a
ministry policy choice) escalates to the director who decided it.
"""

import datetime as dt
from datetime import timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from . import events, state_rules
from .errors import Conflict, InvalidInput, NotFound
from .i18n import reason_fields
from .messages import Message
from .models import (
    AccessOrder,
    AccessOrderKind,
    AccessOrderState,
    ComplianceCase,
    ComplianceState,
    Office,
    Regency,
    RemediationStatus,
    RequestStatus,
    SuspensionPeriod,
    SuspensionRequest,
)
from .permissions import authorize, authorize_decision, jurisdiction
from .signals import access_order_changed
from .transitions import Held, held, locked, require, run_transition

S = ComplianceState
Kind, State = AccessOrderKind, AccessOrderState


def issued_order(regency: Regency) -> AccessOrder | None:
    """The regency's order waiting to be carried out, or None (there is at most one)."""
    return AccessOrder.objects.filter(regency=regency, state=State.ISSUED).first()


def issued_order_held(regency: Regency, held: Held) -> AccessOrder | None:
    """issued_order, read only when `held` (compliance.transitions.held) saw one."""
    return None if held.issued_order_id is None else issued_order(regency)


def _refuse_while_issued(regency: Regency, doing: str, held: Held) -> None:
    """`doing`: what is refused, "request", "reconnect" or "reject" (the message code's end).
    `held`: what was read after the lock."""
    refused = state_rules.order_waits(regency, issued_order_held(regency, held), doing)
    if refused is not None:
        raise Conflict(refused)


def _issue(
    regency: Regency,
    kind: str,
    *,
    case: ComplianceCase,
    actor: User,
    office: Office,
    reason: Message | str,
    at: dt.datetime,
    request: SuspensionRequest | None = None,
    period_id: int | None = None,
) -> AccessOrder:
    order = AccessOrder(
        regency=regency,
        case=case,
        kind=kind,
        request=request,
        period_id=period_id,
        **reason_fields(reason),
        issued_by=actor,
        issued_office=office,
        issued_at=at,
        due_at=at + timedelta(hours=settings.ACCESS_ORDER_DUE_HOURS),
    )
    _announce(order, "issued", at)  # saves it
    return order


def _announce(order: AccessOrder, change: str, at: dt.datetime, **extra: Any) -> None:
    """Record the change in the event feed and tell the listeners (in the transaction).
    A new order is saved here, with its event (one statement on PostgreSQL)."""
    regions, data = events.codes_of(order.regency.code), {**describe(order), **extra}
    if order._state.adding:
        events.record_with(
            order, f"access_order.{change}", key="access_order", at=at, regions=regions, data=data
        )
    else:
        events.record(f"access_order.{change}", at=at, regions=regions, data=data)
    access_order_changed.send(sender=AccessOrder, order=order, change=change, at=at)


def describe(order: AccessOrder) -> dict[str, Any]:
    """The order as the event feed, webhooks and e-mails carry it."""
    return {
        "access_order": order.pk,
        "regency": order.regency.code,
        "name": order.regency.name,
        "kind": order.kind,
        "state": order.state,
        "request": order.request_id,
        "reason": order.reason,
        "issued_office": order.issued_office.title,
        "issued_at": order.issued_at.isoformat(),
        "due_at": order.due_at.isoformat(),
        "executed_at": order.executed_at.isoformat() if order.executed_at else None,
        "reference": order.reference,
    }


# --- the director's decisions --------------------------------------------------------


def _decide(
    request: SuspensionRequest, actor: User, action: str
) -> tuple[SuspensionRequest, Office]:
    office = authorize_decision(actor, action, request)
    request = (
        SuspensionRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    )
    if request.status != RequestStatus.PENDING:
        raise Conflict(Message("request_already_decided", status=request.status))
    if request.case.closed_at is not None:
        raise Conflict(Message("request_case_closed"))
    return request, office


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def approve_suspension(
    *,
    request: SuspensionRequest,
    actor: User,
    reason: str = "",
    at: dt.datetime | None = None,
) -> AccessOrder:
    """A director other than the requester approves: an order to cut the regency's SIAK
    access goes to the network operators. The regency stays flagged until they confirm."""
    regency = locked(request.regency)
    request, office = _decide(request, actor, "approve_suspension")
    refused = state_rules.refusal("approve_suspension", regency)
    if refused is not None:
        raise Conflict(refused)
    now = at or timezone.now()
    request.status = RequestStatus.APPROVED
    request.decided_by, request.decided_office, request.decided_at = actor, office, now
    request.decision_reason = reason
    request.save()
    request.regency = regency
    return _issue(
        regency,
        Kind.CUT,
        case=request.case,
        actor=actor,
        office=office,
        # without a reason of his own, the request's (the system's: its code too)
        reason=reason
        or Message.stored(request.reason_code, request.reason_params)
        or request.reason,
        at=now,
        request=request,
    )


# not durable (a caller runs it inside its own transaction): pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def reject_suspension(
    *, request: SuspensionRequest, actor: User, reason: str, at: dt.datetime | None = None
) -> SuspensionRequest:
    locked(request.regency)
    request, office = _decide(request, actor, "reject_suspension")
    require(reason, "reason", Message("reason_required"))
    request.status = RequestStatus.REJECTED
    request.decided_by, request.decided_office = actor, office
    request.decided_at = at or timezone.now()
    request.decision_reason = reason
    request.save()
    return request


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def reconnect_regency(
    *, regency: Regency, actor: User, reason: str = "", at: dt.datetime | None = None
) -> AccessOrder:
    """A director accepts the remediation of a regency that is cut off and orders its SIAK
    access restored; it is reconnected when the network operators confirm."""
    office = authorize(actor, "reconnect", regency)
    regency = locked(regency)
    reads = held(regency)
    _refuse_while_issued(regency, "reconnect", reads)
    if not can_proceed(regency.reconnect):
        raise Conflict(Message("reconnect_needs_remediated", state=regency.state))
    case = cast(ComplianceCase, reads.open_case)  # a remediated regency has one
    now = at or timezone.now()
    case.remediations.filter(status=RemediationStatus.SUBMITTED).update(
        status=RemediationStatus.ACCEPTED, decided_at=now
    )
    return _issue(
        regency,
        Kind.RESTORE,
        case=case,
        actor=actor,
        office=office,
        reason=reason,
        at=now,
        period_id=reads.open_period_id,  # a cut-off regency has one
    )


# --- the network operators' confirmation ------------------------------------------------


def check_execution_time(order: AccessOrder, at: dt.datetime, now: dt.datetime) -> None:
    """When an order may be said to have been carried out: not in the future, not before
    it was issued (InvalidInput naming `executed_at`). The pages' form asks it too."""
    if at > now:
        raise InvalidInput(Message("executed_in_future"), errors={"executed_at": ["in_future"]})
    if at < order.issued_at:
        raise InvalidInput(
            Message("executed_before_issue", issued_at=f"{order.issued_at:%Y-%m-%d %H:%M}"),
            errors={"executed_at": ["before_issue"]},
        )


# not durable (a caller runs it inside its own transaction): the demo loader
# (compliance/demo.py), pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def execute_access_order(
    *,
    order: AccessOrder,
    actor: User,
    at: dt.datetime | None = None,
    reference: str | None = "",
    now: dt.datetime | None = None,
) -> AccessOrder:
    """An operator confirms the order was carried out at `at` (default: now). The cut
    opens the suspension period and suspends the regency; the restoration closes it and
    reconnects the regency. Confirming an order already executed changes nothing and
    returns it (the network system may retry); a cancelled order answers 409."""
    office = authorize(actor, "execute_access_order", order.regency)
    regency = locked(order.regency)
    order = AccessOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    order.regency = regency
    if order.state == State.EXECUTED:
        return order
    if order.state == State.CANCELLED:
        raise Conflict(
            Message(
                "order_cancelled",
                cancelled_at=f"{order.cancelled_at:%Y-%m-%d %H:%M}",
                reason_code=order.cancel_reason_code,
            )
        )
    now = now or timezone.now()
    at = at or now
    check_execution_time(order, at, now)
    order.state, order.executed_at = State.EXECUTED, at
    order.executed_by, order.executed_office = actor, office
    order.reference = (reference or "").strip()[:100]
    payload = {
        "access_order": order.pk,
        "decided_by": order.issued_by_id,
        "decided_office": order.issued_office_id,
        "reference": order.reference,
    }
    if order.kind == Kind.CUT:
        order.period = SuspensionPeriod.objects.create(
            regency=regency,
            case=order.case,
            request=cast(SuspensionRequest, order.request),  # every cut was requested
            started_at=at,
        )
        regency.has_open_suspension = True
        name = "suspend"
        payload |= {"request": order.request_id, "period": order.period.pk}
    else:
        name = "reconnect"  # its condition reads the period still open: closed after
        payload |= {"period": order.period_id}
    order.save()
    run_transition(
        regency,
        name,
        actor=actor,
        office=office,
        reason=order.reason,
        payload=payload,
        case=order.case,
        at=at,
    )
    if order.kind == Kind.RESTORE:
        restored = cast(SuspensionPeriod, order.period)  # a restoration ends the cut's period
        restored.ended_at = at
        restored.save(update_fields=["ended_at"])
        regency.has_open_suspension = False
    _announce(order, "executed", at)
    return order


# --- what else becomes of an order ----------------------------------------------------


def cancel_for_closed_case(case: ComplianceCase, at: dt.datetime) -> None:
    """The case closed before the cut was carried out (the remediation was accepted and
    the regency cleared): the cut is moot. Called by the clearing use case."""
    for order in AccessOrder.objects.select_for_update().filter(case=case, state=State.ISSUED):
        order.state, order.cancelled_at = State.CANCELLED, at
        cancelled = reason_fields(Message("case_closed_before_execution"), "cancel_reason")
        for name, value in cancelled.items():
            setattr(order, name, value)
        order.save(update_fields=["state", "cancelled_at", *cancelled])
        _announce(order, "cancelled", at)


def escalate_overdue(*, now: dt.datetime | None = None) -> list[AccessOrder]:
    """Every order still waiting past its due instant escalates once to the director who
    decided it (workflow e-mails him, and the operators again); returns the orders."""
    now = now or timezone.now()
    due = AccessOrder.objects.filter(state=State.ISSUED, due_at__lte=now, escalated_at=None)
    escalated = []
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            order = (
                AccessOrder.objects.select_for_update(of=("self",))
                .select_related("regency", "issued_office")
                .filter(pk=pk, state=State.ISSUED, escalated_at=None)
                .first()
            )
            if order is None:
                continue  # executed or escalated meanwhile
            order.escalated_at = now
            order.save(update_fields=["escalated_at"])
            _announce(order, "escalated", now)
            escalated.append(order)
    return escalated


# --- reads ---------------------------------------------------------------------------


def orders_for(
    user: User | AnonymousUser, *, state: str | None = None, kind: str | None = None
) -> QuerySet[AccessOrder]:
    """The access orders of the regencies the user's jurisdiction covers: the waiting
    ones oldest first, so the most urgent leads."""
    orders = AccessOrder.objects.select_related(
        "regency__province", "issued_office", "issued_by", "executed_office", "executed_by"
    )
    condition = jurisdiction(user, province="regency__province_id", regency="regency_id")
    if condition is not None:
        orders = orders.filter(condition)
    if state:
        orders = orders.filter(state=state)
    if kind:
        orders = orders.filter(kind=kind)
    return orders.order_by("issued_at", "id")


def get_visible_order(user: User | AnonymousUser, pk: int) -> AccessOrder:
    try:
        return orders_for(user).get(pk=pk)
    except AccessOrder.DoesNotExist:
        raise NotFound(Message("access_order_not_found", pk=pk)) from None
