"""The one transition helper of every django-fsm model (issue 17, item 4).

`apply_transition(obj, name, ...)` checks that the transition may run from the object's
state (the guards are the transition's own: its `source=` and `conditions=`), runs it,
saves the object and writes its event row, all in one transaction: the event row and the
state change are committed together or not at all. Each model's event row differs
(compliance's TransitionLog, workflow's AssignmentEvent, equipment's StatusChange), so each
app registers, once, how its model's rows are written (`register`); the helper is written
once, here, in the lowest layer.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from .i18n import Message


@dataclass(frozen=True)
class Transition:
    """One transition that ran: what the event writer records."""

    obj: models.Model
    name: str  # the transition's name in the record (the method's, unless a label is given)
    from_state: str
    to_state: str
    at: dt.datetime
    actor: Any = None  # a User, or None for the system
    office: Any = None  # the acting compliance Office, or None
    reason: Message | str = ""  # a person's text, or the system's Message
    payload: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # model-specific (e.g. the case)


EventWriter = Callable[[Transition], Any]
# (object, transition name, state now) -> the exception when the state does not allow it.
Refusal = Callable[[Any, str, str], Exception]


@dataclass(frozen=True)
class Lifecycle:
    """How a model's transitions are recorded and refused."""

    state_field: str
    write_event: EventWriter
    refused: Refusal
    concurrent: Callable[[], Exception] | None = None  # a stale save (ConcurrentTransition)


_LIFECYCLES: dict[type[models.Model], Lifecycle] = {}


def register(
    model: type[models.Model],
    *,
    write_event: EventWriter,
    refused: Refusal,
    state_field: str = "state",
    concurrent: Callable[[], Exception] | None = None,
) -> None:
    """Register once how `model`'s transitions write their event row and are refused."""
    _LIFECYCLES[model] = Lifecycle(state_field, write_event, refused, concurrent)


def lifecycle(model: type[models.Model]) -> Lifecycle:
    try:
        return _LIFECYCLES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no registered event writer") from None


def may_proceed(obj: models.Model, name: str) -> bool:
    """Whether the transition `name` may run from `obj`'s state (source= and conditions=)."""
    return bool(can_proceed(getattr(obj, name)))


def apply_transition(
    obj: models.Model,
    name: str,
    *,
    actor: Any,
    office: Any,
    reason: Message | str = "",
    payload: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
    label: str | None = None,
    save: bool = True,
    update_fields: Sequence[str] = (),
    **extra: Any,
) -> Any:
    """Run the fsm transition `name` on `obj` (locked by the caller), save its state and
    `update_fields`, and write its event row at `at` (default: now); return the row.

    Refused (the model's registered refusal, a Conflict) when the state does not allow
    it. `label`: the transition's name in the record when it differs from the method's.
    `save=False`: the caller saves the object later in the same transaction (several
    moves at once). `extra`: passed to the model's event writer (e.g. `case=`). Runs in
    the caller's transaction (or its own): if the event row cannot be written, the state
    change is rolled back with it and the object keeps its former state."""
    life = lifecycle(type(obj))
    method = getattr(obj, name)
    from_state = getattr(obj, life.state_field)
    if not can_proceed(method):
        raise life.refused(obj, name, from_state)
    # savepoint=False: no extra statement per transition; an error marks the caller's
    # transaction for rollback, so the change and its row go together or not at all.
    try:
        with transaction.atomic(savepoint=False):
            method()
            if save:
                try:
                    obj.save(update_fields=[life.state_field, *update_fields])
                except ConcurrentTransition:
                    if life.concurrent is None:
                        raise
                    raise life.concurrent() from None
            return life.write_event(
                Transition(
                    obj=obj,
                    name=label or name,
                    from_state=from_state,
                    to_state=getattr(obj, life.state_field),
                    at=at or timezone.now(),
                    actor=actor,
                    office=office,
                    reason=reason,
                    payload=payload or {},
                    extra=extra,
                )
            )
    except BaseException:
        obj.__dict__[life.state_field] = from_state  # (a protected FSMField refuses setattr)
        raise
