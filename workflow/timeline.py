"""An assignment's history: every change to an assignment (a transition, a deadline moved,
a warning proposed or signed, a weekly figure) is one AssignmentEvent row, written in the
change's transaction and put in the event feed (`assignment.<transition>`). Every writer
goes through `record`."""

from . import feed
from .models import AssignmentEvent


def record(
    assignment, transition, *, at, from_state=None, actor=None, office=None, reason="", payload=None
):
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
