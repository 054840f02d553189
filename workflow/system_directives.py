"""Directives the system opens itself, in answer to an event or a measurement (a device
reported broken, a regency lagging behind the recording target), and how they end.

Each carries a unique origin key: opening the same one twice, from a retry or from two
processes at once, opens it once (the second insert meets the unique index and is
dropped). Nothing here asks who the caller is: the event or the schedule is the authority.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django_fsm import can_proceed

from compliance.fsm import apply_transition, may_proceed
from compliance.models import Office, OfficeKind, Regency
from compliance.offices import official_title

from . import timeline  # noqa: F401  (registers Assignment's event row)
from .messages import Message
from .models import Assignment, AssignmentState, Directive, EscalationPolicy, ScopeKind
from .services import issue_system_directive

SYSTEM_USERNAME = "sistem"


def system_user() -> User:
    """The account recorded as the author of what the system opens (it cannot sign in)."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def director_general_office() -> Office:
    """Dukcapil's Director General, in whose name the system addresses the regions."""
    office = Office.objects.filter(kind=OfficeKind.DIRECTOR_GENERAL).first()
    if office is None:
        office, _ = Office.objects.get_or_create(
            kind=OfficeKind.DIRECTOR_GENERAL,
            defaults={"title": official_title(OfficeKind.DIRECTOR_GENERAL)},
        )
    return office


def open_system_directive(
    *,
    origin_key: str,
    regency: Regency,
    title: str,
    body: str,
    legal_basis: str,
    due_date: dt.date,
    at: dt.datetime,
    policy: EscalationPolicy | None = None,
    actor: User | None = None,
    issuing_office_id: int | None = None,
    created_by_id: int | None = None,
) -> tuple[Directive, Assignment | None] | None:
    """Create and issue a directive to the regency's regent or mayor; returns
    (directive, assignment), or None when the origin key was already used. `policy`:
    an EscalationPolicy (default: the default policy). In the Director General's name
    and by `actor` (default: the system's account), unless the ids of another issuing
    office and author are given (a remediation directive: the official who flagged)."""
    if Directive.objects.filter(origin_key=origin_key).exists():
        return None
    issuing_office_id = issuing_office_id or director_general_office().pk
    created_by_id = created_by_id or (actor or system_user()).pk
    try:
        with transaction.atomic():
            directive = Directive.objects.create(
                title=title,
                body=body,
                legal_basis=legal_basis,
                issuing_office_id=issuing_office_id,
                created_by_id=created_by_id,
                due_date=due_date,
                priority="high",
                **({"policy": policy} if policy else {}),
                scope_kind=ScopeKind.REGIONS,
                scope_regions=[regency.code],
                origin_key=origin_key,
            )
            directive, assignments = issue_system_directive(directive=directive, at=at)
    except IntegrityError:
        return None  # opened meanwhile by another process
    return directive, (assignments[0] if assignments else None)


def move_automatically(
    assignment: Assignment,
    method_name: str,
    transition: str,
    at: dt.datetime,
    reason: Message | str = "",
    *,
    actor: User | None = None,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Take a transition the system decides, if the state allows it, and record it (no
    actor, or the system's account; `payload` added to {"automatic": True}); False when
    the assignment is already past it."""
    if not may_proceed(assignment, method_name):
        return False
    apply_transition(
        assignment,
        method_name,
        actor=actor,
        office=None,
        reason=reason,
        payload={"automatic": True, **(payload or {})},
        at=at,
        label=transition,
        save=False,  # the caller saves the assignment after its moves
    )
    return True


def _open_assignments(origin_prefix: str) -> QuerySet[Assignment]:
    return (
        Assignment.objects.select_for_update()
        .filter(directive__origin_key__startswith=origin_prefix)
        .exclude(state__in=[AssignmentState.VERIFIED, AssignmentState.WITHDRAWN])
    )


def _close_directives(origin_prefix: str, method_name: str, **fields: Any) -> None:
    directives = Directive.objects.select_for_update().filter(origin_key__startswith=origin_prefix)
    for directive in directives:
        method = getattr(directive, method_name)
        if can_proceed(method):
            method()
            for name, value in fields.items():
                setattr(directive, name, value)
            directive.save(update_fields=["state", *fields])


@transaction.atomic
def start_system_assignments(*, origin_prefix: str, at: dt.datetime, reason: Message | str) -> int:
    """The work has begun (e.g. the device is under repair): the open assignments are
    acknowledged and in progress; their escalation goes on until the work is done."""
    started = 0
    for a in _open_assignments(origin_prefix):
        move_automatically(a, "acknowledge", "acknowledge", at, reason)
        move_automatically(a, "start", "start", at, reason)
        a.acknowledged_at = a.acknowledged_at or at
        a.save()
        started += 1
    return started


@transaction.atomic
def complete_system_assignments(
    *,
    origin_prefix: str,
    at: dt.datetime,
    reason: Message | str,
    actor: User | None = None,
    payload: dict[str, Any] | None = None,
) -> int:
    """The work is done (e.g. the device works again): the open assignments of the
    directives whose origin key starts with `origin_prefix` are acknowledged, submitted
    and verified, and the directives closed. Returns how many assignments were verified.
    `actor` (e.g. system_user()) and `payload` (e.g. the figures that closed it) are
    recorded on each entry."""
    done = 0
    for a in _open_assignments(origin_prefix):
        for name in ("acknowledge", "submit", "verify"):
            move_automatically(a, name, name, at, reason, actor=actor, payload=payload)
        a.acknowledged_at = a.acknowledged_at or at
        a.submitted_at = a.submitted_at or at
        a.save()  # verified: its escalation stopped with the transition
        done += 1
    _close_directives(origin_prefix, "close")
    return done


@transaction.atomic
def withdraw_system_assignments(
    *, origin_prefix: str, at: dt.datetime, reason: Message | str
) -> int:
    """The obligation has no object any more (e.g. the device was decommissioned): the
    open assignments are withdrawn, their escalation stops, the directives withdrawn."""
    done = 0
    for a in _open_assignments(origin_prefix):
        move_automatically(a, "withdraw", "withdraw", at, reason)
        a.save()  # withdrawn: its escalation stopped with the transition
        done += 1
    _close_directives(origin_prefix, "withdraw", withdrawn_at=at)
    return done
