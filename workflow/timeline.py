"""An assignment's history: every change to an assignment (a transition, a deadline moved,
a warning proposed or signed, a weekly figure) is one AssignmentEvent row, written in the
change's transaction and put in the event feed (`assignment.<transition>`). Every writer
goes through `record`."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from compliance.models import Office

from . import feed
from .models import Assignment, AssignmentEvent


def record(
    assignment: Assignment,
    transition: str,
    *,
    at: dt.datetime,
    from_state: str | None = None,
    actor: User | None = None,
    office: Office | None = None,
    reason: str = "",
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
        reason=reason,
        payload=payload or {},
    )
    feed.assignments_changed([row])
    return row
