"""Assignment use cases: the recipient acknowledges, starts and submits; the
directive's manager verifies or returns the work."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from compliance.errors import InvalidInput
from compliance.fsm import apply_transition
from compliance.models import Office
from compliance.services import upload_evidence

from . import proposals, report_notes
from .authority import authorize
from .messages import Message
from .models import ESCALATION_STOPPED, Assignment


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("office", "province")
        .get(pk=assignment.pk)
    )


def _move(
    assignment: Assignment,
    name: str,
    *,
    actor: User | None,
    office: Office,
    at: dt.datetime,
    fields: tuple[str, ...] = (),
    reason: str = "",
    payload: dict[str, Any] | None = None,
    label: str | None = None,
) -> Assignment:
    """The transition `name` on the locked assignment with its event row (recorded as
    `label`); `fields`: the other fields the use case set, saved with the state."""
    # next_step: a verify or withdraw stops the escalation (Assignment.stop_escalation).
    apply_transition(
        assignment,
        name,
        actor=actor,
        office=office,
        reason=reason,
        payload=payload,
        at=at,
        label=label,
        update_fields=["next_step", "next_step_at", *fields],
    )
    if assignment.state in ESCALATION_STOPPED:
        proposals.lapse_for([assignment.pk], at=at)
    return assignment


# not durable (a caller runs it inside its own transaction): the demo loader
# (workflow/demo.py)
@transaction.atomic
def acknowledge_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize(actor, "acknowledge", assignment)
    assignment, at = _locked(assignment), at or timezone.now()
    assignment.acknowledged_at = at
    return _move(
        assignment, "acknowledge", actor=actor, office=office, at=at, fields=("acknowledged_at",)
    )


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def start_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize(actor, "start", assignment)
    assignment, at = _locked(assignment), at or timezone.now()
    return _move(assignment, "start", actor=actor, office=office, at=at)


# not durable (a caller runs it inside its own transaction): the demo loader
# (workflow/demo.py)
@transaction.atomic
def submit_assignment(
    *,
    assignment: Assignment,
    actor: User,
    note: str,
    evidence: File | None = None,
    at: dt.datetime | None = None,
) -> Assignment:
    """The recipient's report: a note, and for a regency's assignment an evidence file if
    one is sent, stored as the regency's evidence document and named in the note
    (workflow.report_notes). The file is kept only if the report goes in."""
    office = authorize(actor, "submit", assignment)
    if not (note or "").strip():
        raise InvalidInput(Message("note_required"), errors={"note": ["required"]})
    if evidence is not None:
        if assignment.regency is None:
            raise InvalidInput(
                Message("evidence_needs_regency"), errors={"evidence": ["no_regency"]}
            )
        document = upload_evidence(regency=assignment.regency, actor=actor, file=evidence, at=at)
        note = report_notes.with_evidence(note, document)
    assignment, at = _locked(assignment), at or timezone.now()
    assignment.submitted_at, assignment.note = at, note
    return _move(
        assignment,
        "submit",
        actor=actor,
        office=office,
        at=at,
        fields=("submitted_at", "note"),
        reason=note,
    )


# not durable (a caller runs it inside its own transaction): the demo loader
# (workflow/demo.py)
@transaction.atomic
def verify_assignment(
    *, assignment: Assignment, actor: User, at: dt.datetime | None = None
) -> Assignment:
    office = authorize(actor, "verify", assignment)
    assignment, at = _locked(assignment), at or timezone.now()
    return _move(assignment, "verify", actor=actor, office=office, at=at)


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def return_assignment(
    *, assignment: Assignment, actor: User, reason: str, at: dt.datetime | None = None
) -> Assignment:
    office = authorize(actor, "return", assignment)
    if not (reason or "").strip():
        raise InvalidInput(Message("reason_required"), errors={"reason": ["required"]})
    assignment, at = _locked(assignment), at or timezone.now()
    _move(
        assignment,
        "return_for_rework",
        actor=actor,
        office=office,
        at=at,
        reason=reason,
        label="return",
    )
    proposals.revive_for(assignment, at=at)
    return assignment


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def acknowledge_by_link(*, assignment: Assignment, at: dt.datetime | None = None) -> Assignment:
    """The one-click link in the assignment's e-mail: the signed link, sent to the
    office's address, is the authority. Recorded with no actor, through the office."""
    assignment, at = _locked(assignment), at or timezone.now()
    assignment.acknowledged_at = at
    return _move(
        assignment,
        "acknowledge",
        actor=None,
        office=assignment.office,
        at=at,
        fields=("acknowledged_at",),
        payload={"via": "email_link"},
    )
