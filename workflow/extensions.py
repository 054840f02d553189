"""Extension requests: the recipient asks for a later due date, the directive's
manager decides; an approval moves the deadline and the escalation steps still to come."""

import datetime as dt
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from compliance.errors import Conflict, InvalidInput

from . import feed, timeline
from .authority import authorize, extendable
from .calendar import due_instant
from .escalation import replan
from .messages import Message
from .models import (
    Assignment,
    ExtensionRequest,
    ExtensionStatus,
)

# The event of an approved extension: the deadline moved, the state did not.
DUE_MOVED = "extend_due"


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def request_extension(
    *,
    assignment: Assignment,
    actor: User,
    new_due_date: dt.date,
    reason: str,
    at: dt.datetime | None = None,
) -> ExtensionRequest:
    office = authorize(actor, "request_extension", assignment)
    if not (reason or "").strip():
        raise InvalidInput(Message("reason_required"), errors={"reason": ["required"]})
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not extendable(assignment):
        raise Conflict(Message("assignment_closed", state=assignment.state))
    if new_due_date <= assignment.due_date:
        raise InvalidInput(Message("due_not_later"), errors={"new_due": ["not_later"]})
    if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(Message("extension_pending"))
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        new_due_date=new_due_date,
        reason=reason,
        requested_by=actor,
        requested_office=office,
        requested_at=at or timezone.now(),
    )
    feed.extension_changed(request, "requested", request.requested_at)
    return request


def _decide_extension(
    request: ExtensionRequest, actor: User, status: str, reason: str, at: dt.datetime | None
) -> ExtensionRequest:
    # The directive's managers decide: the ministry, or the governor who issued it.
    action = "approve_extension" if status == ExtensionStatus.APPROVED else "reject_extension"
    office = authorize(actor, action, request.assignment)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(Message("extension_already_decided", status=request.status))
    request.status, request.decided_by, request.decided_office = status, actor, office
    request.decided_at, request.decision_reason = at or timezone.now(), reason
    request.save()
    feed.extension_changed(request, status, request.decided_at)
    return request


# not durable (a caller runs it inside its own transaction): pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def approve_extension(
    *, request: ExtensionRequest, actor: User, reason: str = "", at: dt.datetime | None = None
) -> ExtensionRequest:
    """The new due date moves the deadline and every escalation step still to come."""
    request = _decide_extension(request, actor, ExtensionStatus.APPROVED, reason, at)
    assignment = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the next_step join.
        Assignment.objects.select_for_update(of=("self",))
        .select_related("province", "next_step")
        .get(pk=request.assignment_id)
    )
    moved_from = assignment.due_date
    assignment.due_date = request.new_due_date
    assignment.due_at = due_instant(request.new_due_date, assignment.province.zoneinfo)
    replan(assignment)
    assignment.save(update_fields=["due_date", "due_at", "next_step_at"])
    _record_due_move(assignment, request, moved_from)
    return request


def _record_due_move(
    assignment: Assignment, request: ExtensionRequest, moved_from: dt.date
) -> None:
    """A deadline that moves is part of the assignment's history (its timeline, the feed):
    an event row of its own, the state unchanged."""
    timeline.record(
        assignment,
        DUE_MOVED,
        at=cast(dt.datetime, request.decided_at),  # set by _decide_extension
        actor=request.decided_by,
        office=request.decided_office,
        reason=request.decision_reason,
        payload={
            "extension": request.pk,
            "from_due_date": moved_from.isoformat(),
            "to_due_date": assignment.due_date.isoformat(),
        },
    )


# not durable (a caller runs it inside its own transaction): pages.confirm.once
# (the one-time key of a confirmed action)
@transaction.atomic
def reject_extension(
    *, request: ExtensionRequest, actor: User, reason: str, at: dt.datetime | None = None
) -> ExtensionRequest:
    if not (reason or "").strip():
        raise InvalidInput(Message("reason_required"), errors={"reason": ["required"]})
    return _decide_extension(request, actor, ExtensionStatus.REJECTED, reason, at)
