"""The primitives every compliance use case is made of: lock the regency row, run a
django-fsm transition, save it, log it, put it in the event feed and announce it on commit.
compliance.services and compliance.access build the use cases from these."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet

from . import compiled, events, fsm
from .errors import Conflict, InvalidInput
from .i18n import Message, reason_fields
from .models import (
    AccessOrderState,
    ComplianceCase,
    ComplianceState,
    Office,
    Regency,
    TransitionLog,
)
from .signals import regency_transitioned

S = ComplianceState

if TYPE_CHECKING:  # django_stubs_ext is a development dependency
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Lock(TypedDict):
        has_open_suspension: bool  # SQLite answers 0 or 1

    LockedRegency = WithAnnotations[Regency, _Lock]


# One statement, written out: it runs at every transition, and the ORM would compile the
# same query (with its EXISTS) each time.
_LOCK_SQL = """
SELECT r.*, EXISTS (
    SELECT 1 FROM compliance_suspensionperiod p WHERE p.regency_id = r.id AND p.ended_at IS NULL
) AS has_open_suspension
FROM compliance_regency r WHERE r.id = %s
"""


def locked(regency: Regency) -> "LockedRegency":
    """The regency row, locked, with whether a suspension period is open: the lifecycle's
    conditions read it (compliance.models.regions), so a transition costs one SELECT ...
    FOR UPDATE, one UPDATE and one INSERT of its log row. The province (which never
    changes) is taken over from `regency` when it was loaded with it."""
    # SQLite has no row locks: its writers take the whole database (IMMEDIATE).
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    found = list(Regency.objects.raw(_LOCK_SQL + lock, [regency.pk]))
    if not found:
        raise Regency.DoesNotExist(f"Regency {regency.pk} does not exist")
    locked = found[0]
    if Regency.province.is_cached(regency):
        locked.province = regency.province
    return locked


def open_case(regency: Regency) -> ComplianceCase | None:
    found = compiled.read("compliance.transitions.open_case", _open_cases, regency.pk)
    return found[0] if found else None


def _open_cases(regency_id: int) -> QuerySet[ComplianceCase]:
    # What .first() reads: the model's ordering, else the primary key's.
    cases = ComplianceCase.objects.filter(regency_id=regency_id, closed_at__isnull=True)
    return (cases if cases.ordered else cases.order_by("pk"))[:1]


# Not in the lock's statement: in READ COMMITTED a SELECT ... FOR UPDATE that waited for
# the lock sees the locked row as committed but every other table as of its start, so a
# case or an order the lock's holder wrote would be missed. A statement after the lock
# sees them.
_HELD_SQL = """
SELECT (
    SELECT c.id FROM compliance_compliancecase c WHERE c.regency_id = %(regency)s
    AND c.closed_at IS NULL ORDER BY c.opened_at DESC LIMIT 1
), (
    SELECT o.id FROM compliance_accessorder o WHERE o.regency_id = %(regency)s
    AND o.state = %(issued)s ORDER BY o.id LIMIT 1
), (
    SELECT p.id FROM compliance_suspensionperiod p WHERE p.regency_id = %(regency)s
    AND p.ended_at IS NULL ORDER BY p.id LIMIT 1
)
"""


@dataclass(frozen=True)
class Held:
    """What the use cases read of a regency they have locked, in one statement: its open
    case, the id of its order waiting to be carried out, the id of its open suspension
    period (each None when there is none)."""

    open_case: ComplianceCase | None
    issued_order_id: int | None
    open_period_id: int | None


def held(regency: Regency) -> Held:
    """Read after `locked(regency)`, in the same transaction, before the use case changes
    the case, the orders or the periods (one round trip instead of three)."""
    with connection.cursor() as cursor:
        cursor.execute(_HELD_SQL, {"regency": regency.pk, "issued": AccessOrderState.ISSUED})
        case_id, order_id, period_id = cursor.fetchone()
    case = None
    if case_id is not None:
        # Its other fields deferred, read if ever asked for: the use cases write rows that
        # name the case, and close it.
        case = ComplianceCase.from_db(
            connection.alias, ["id", "regency_id", "closed_at"], [case_id, regency.pk, None]
        )
    return Held(case, order_id, period_id)


def _refused(regency: Regency, name: str, from_state: str) -> Conflict:
    return Conflict(Message("transition_not_allowed", name=name, state=from_state))


def _changed_concurrently() -> Conflict:
    return Conflict(Message("changed_concurrently"))


def _write_log(t: fsm.Transition) -> TransitionLog:
    """A regency's event row: its TransitionLog row, put in the event feed and announced
    on commit (workflow follows the log: workflow.log_consumer)."""
    regency = cast(Regency, t.obj)
    name, from_state, actor, office = t.name, t.from_state, t.actor, t.office
    log = TransitionLog(
        regency=regency,
        case=t.extra.get("case"),
        actor=actor,
        office=office,
        at=t.at,
        transition=name,
        from_state=from_state,
        to_state=t.to_state,
        **reason_fields(t.reason),  # a Message from the system: its code and parameters too
        payload=t.payload,
    )
    # the log row and its event in one statement on PostgreSQL (the event names the row)
    events.record_with(
        log,
        f"regency.{name}",
        key="log",
        at=log.at,
        regions=events.codes_of(regency.code),
        data={
            "regency": regency.code,
            "name": regency.name,
            "transition": name,
            "from_state": from_state,
            "to_state": log.to_state,
            "reason": str(t.reason),
            "office": office.title if office else None,
        },
    )
    transaction.on_commit(
        lambda: regency_transitioned.send(
            sender=Regency,
            regency=regency,
            transition=name,
            from_state=from_state,
            to_state=log.to_state,
            log=log,
            actor=actor,
        )
    )
    return log


fsm.register(Regency, write_event=_write_log, refused=_refused, concurrent=_changed_concurrently)


def run_transition(
    regency: Regency,
    name: str,
    *,
    actor: User | None,
    office: Office | None,
    reason: Message | str = "",
    payload: dict[str, Any] | None = None,
    case: ComplianceCase | None = None,
    at: dt.datetime | None = None,
) -> TransitionLog:
    """fsm.apply_transition on a locked regency: run the transition `name`, save it and
    log it at `at` in the case's file; returns the log row."""
    return cast(
        TransitionLog,
        fsm.apply_transition(
            regency,
            name,
            actor=actor,
            office=office,
            reason=reason,
            payload=payload,
            at=at,
            case=case,
        ),
    )


def require(value: str | None, field: str, message: Message | str) -> None:
    if not (value or "").strip():
        raise InvalidInput(message, errors={field: ["required"]})
