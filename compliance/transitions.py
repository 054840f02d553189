"""The primitives every compliance use case is made of: lock the regency row, run a
django-fsm transition, save it, log it, put it in the event feed and announce it on commit.
compliance.services and compliance.access build the use cases from these."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from . import events
from .errors import Conflict, InvalidInput
from .models import ComplianceCase, ComplianceState, Office, Regency, TransitionLog
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
    return ComplianceCase.objects.filter(regency=regency, closed_at__isnull=True).first()


def run_transition(
    regency: Regency,
    name: str,
    *,
    actor: User | None,
    office: Office | None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    case: ComplianceCase | None = None,
    at: dt.datetime | None = None,
) -> TransitionLog:
    """Run the fsm transition `name` on a locked regency, save it and log it at `at`."""
    method = getattr(regency, name)
    from_state = regency.state
    if not can_proceed(method):
        raise Conflict(
            f"Transisi '{name}' tidak dapat dilakukan dari status '{from_state}' / "
            f"Transition '{name}' is not allowed from state '{from_state}'"
        )
    method()
    try:
        regency.save(update_fields=["state"])
    except ConcurrentTransition:
        raise Conflict(
            "Status kabupaten/kota diubah bersamaan oleh pihak lain / "
            "The regency's state was changed concurrently"
        ) from None
    log = TransitionLog.objects.create(
        regency=regency,
        case=case,
        actor=actor,
        office=office,
        at=at or timezone.now(),
        transition=name,
        from_state=from_state,
        to_state=regency.state,
        reason=reason,
        payload=payload or {},
    )
    events.record(
        f"regency.{name}",
        at=log.at,
        regions=events.codes_of(regency.code),
        data={
            "regency": regency.code,
            "name": regency.name,
            "transition": name,
            "from_state": from_state,
            "to_state": log.to_state,
            "reason": reason,
            "office": office.title if office else None,
            "log": log.pk,
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


def require(value: str | None, field: str, message: str) -> None:
    if not (value or "").strip():
        raise InvalidInput(message, errors={field: ["required"]})
