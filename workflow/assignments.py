"""Assignment use cases: the recipient acknowledges, starts and submits; the
directive's manager verifies or returns the work."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from compliance.errors import Conflict, InvalidInput
from compliance.models import Office

from . import proposals, timeline
from .authority import authorize_directive_manager, authorize_recipient
from .models import ESCALATION_STOPPED, Assignment


def _transition(
    assignment: Assignment, name: str, *, at: dt.datetime | None = None
) -> tuple[Assignment, str, dt.datetime]:
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("office", "province")
        .get(pk=assignment.pk)
    )
    method = getattr(assignment, name)
    from_state = assignment.state
    if not can_proceed(method):
        raise Conflict(
            f"'{name}' tidak dapat dilakukan dari status '{from_state}' / "
            f"'{name}' is not allowed from state '{from_state}'"
        )
    method()
    at = at or timezone.now()
    return assignment, from_state, at


def _record(
    assignment: Assignment,
    name: str,
    from_state: str,
    *,
    actor: User | None,
    office: Office,
    at: dt.datetime,
    fields: list[str],
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> Assignment:
    # next_step: a verify or withdraw stops the escalation (Assignment.stop_escalation).
    assignment.save(update_fields=["state", "next_step", "next_step_at", *fields])
    if assignment.state in ESCALATION_STOPPED:
        proposals.lapse_for([assignment.pk], at=at)
    timeline.record(
        assignment,
        name,
        at=at,
        from_state=from_state,
        actor=actor,
        office=office,
        reason=reason,
        payload=payload,
    )
    return assignment


@transaction.atomic
def acknowledge_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize_recipient(actor, assignment)
    assignment, from_state, at = _transition(assignment, "acknowledge", at=at)
    assignment.acknowledged_at = at
    return _record(
        assignment,
        "acknowledge",
        from_state,
        actor=actor,
        office=office,
        at=at,
        fields=["acknowledged_at"],
    )


@transaction.atomic
def start_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize_recipient(actor, assignment)
    assignment, from_state, at = _transition(assignment, "start", at=at)
    return _record(assignment, "start", from_state, actor=actor, office=office, at=at, fields=[])


@transaction.atomic
def submit_assignment(
    *, assignment: Assignment, actor: User, note: str, at: dt.datetime | None = None
) -> Assignment:
    office = authorize_recipient(actor, assignment)
    if not (note or "").strip():
        raise InvalidInput(
            "Catatan laporan wajib diisi / note is required", errors={"note": ["required"]}
        )
    assignment, from_state, at = _transition(assignment, "submit", at=at)
    assignment.submitted_at, assignment.note = at, note
    return _record(
        assignment,
        "submit",
        from_state,
        actor=actor,
        office=office,
        at=at,
        fields=["submitted_at", "note"],
        reason=note,
    )


@transaction.atomic
def verify_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize_directive_manager(actor, assignment)
    assignment, from_state, at = _transition(assignment, "verify", at=at)
    return _record(assignment, "verify", from_state, actor=actor, office=office, at=at, fields=[])


@transaction.atomic
def return_assignment(
    *, assignment: Assignment, actor: User, reason: str, at: dt.datetime | None = None
) -> Assignment:
    office = authorize_directive_manager(actor, assignment)
    if not (reason or "").strip():
        raise InvalidInput(
            "Alasan wajib diisi / reason is required", errors={"reason": ["required"]}
        )
    assignment, from_state, at = _transition(assignment, "return_for_rework", at=at)
    proposals.revive_for(assignment, at=at)
    return _record(
        assignment,
        "return",
        from_state,
        actor=actor,
        office=office,
        at=at,
        fields=[],
        reason=reason,
    )


@transaction.atomic
def acknowledge_by_link(*, assignment: Assignment, at: dt.datetime | None = None) -> Assignment:
    """The one-click link in the assignment's e-mail: the signed link, sent to the
    office's address, is the authority. Recorded with no actor, through the office."""
    assignment, from_state, at = _transition(assignment, "acknowledge", at=at)
    assignment.acknowledged_at = at
    return _record(
        assignment,
        "acknowledge",
        from_state,
        actor=None,
        office=assignment.office,
        at=at,
        fields=["acknowledged_at"],
        payload={"via": "email_link"},
    )
