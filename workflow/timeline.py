"""An assignment's history: every change to an assignment (a transition, a deadline moved,
a warning proposed or signed, a weekly figure) is one AssignmentEvent row, written in the
change's transaction and put in the event feed (`assignment.<transition>`). Every writer
goes through `record`; an assignment's transitions reach it through
compliance.fsm.apply_transition, for which this module registers Assignment's event row."""

import datetime as dt
from typing import Any, cast

from django.contrib.auth.models import User

from compliance import fsm
from compliance.errors import Conflict
from compliance.i18n import reason_fields
from compliance.models import Office

from . import feed
from .messages import Message
from .models import Assignment, AssignmentEvent


def record(
    assignment: Assignment,
    transition: str,
    *,
    at: dt.datetime,
    from_state: str | None = None,
    actor: User | None = None,
    office: Office | None = None,
    reason: Message | str = "",
    payload: dict[str, Any] | None = None,
) -> AssignmentEvent:
    """The row for `transition` of `assignment` (its state now the `to_state`; from
    `from_state`, by default the same: a change that moves no state), announced in the feed."""
    row = AssignmentEvent.objects.create(
        assignment=assignment,
        actor=actor,
        office=office,
        at=at,
        transition=transition,
        from_state=assignment.state if from_state is None else from_state,
        to_state=assignment.state,
        **reason_fields(reason),  # the system's Message: its code and parameters too
        payload=payload or {},
    )
    feed.assignments_changed([row])
    return row


def _write_event(t: fsm.Transition) -> AssignmentEvent:
    """An assignment's transition (compliance.fsm.apply_transition) as its event row."""
    return record(
        cast(Assignment, t.obj),  # registered for Assignment
        t.name,
        at=t.at,
        from_state=t.from_state,
        actor=t.actor,
        office=t.office,
        reason=t.reason,
        payload=t.payload,
    )


def _refused(assignment: Assignment, name: str, from_state: str) -> Conflict:
    return Conflict(Message("assignment_not_allowed", name=name, state=from_state))


fsm.register(Assignment, write_event=_write_event, refused=_refused)
