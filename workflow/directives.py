"""Directive use cases: drafting, issuing (fan-out to every addressed office) and
withdrawing."""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from compliance import fsm
from compliance.errors import Conflict, InvalidInput
from compliance.fsm import apply_transition, may_proceed
from compliance.models import Office, OfficeKind

from . import feed, proposals
from .authority import authorize_manager, issuing_office
from .calendar import BusinessCalendar, due_instant
from .escalation import NOTICE, next_step, steps_of
from .messages import Message
from .models import (
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    DocumentKind,
    EscalationPolicy,
    Notification,
)
from .notifications import outbox
from .scopes import Scope, recipient_offices
from .statements import insert_rows

# The kind of document a directive is when its author does not say: the issuing office's.
DOCUMENT_BY_OFFICE: dict[str, str] = {
    OfficeKind.MINISTER: DocumentKind.SURAT_MENTERI,
    OfficeKind.GOVERNOR: DocumentKind.SURAT_GUBERNUR,
}

# A directive issued, and its assignments in the order they were written.
Issued = tuple[Directive, QuerySet[Assignment]]


def require_programme_basis(policy: EscalationPolicy | None, programme_basis: str | None) -> None:
    """A ladder ending in sanctions (written warnings, temporary dismissal) is the law's
    for national strategic programmes only (UU 23/2014 Pasal 67 huruf f and Pasal 68): a
    directive under such a policy names the instrument that makes its subject one."""
    if policy and policy.requires_programme_basis and not (programme_basis or "").strip():
        raise InvalidInput(
            Message("sanctions_need_programme_basis", policy=policy.slug),
            errors={"programme_basis": ["required"]},
        )


# not durable (a caller runs it inside its own transaction): the composer (a draft
# issued at once), the demo loader (workflow/demo.py)
@transaction.atomic
def create_directive(
    *,
    actor: User,
    title: str,
    body: str,
    legal_basis: str,
    due_date: dt.date,
    scope: Mapping[str, Any] | None,
    priority: str = "normal",
    policy: str | None = None,
    document_kind: str | None = None,
    programme_basis: str | None = "",
) -> Directive:
    office = issuing_office(actor, scope)
    for field, value in (("title", title), ("body", body), ("legal_basis", legal_basis)):
        if not (value or "").strip():
            raise InvalidInput(Message("field_required", field=field), errors={field: ["required"]})
    parsed = Scope.parse(scope)
    policy_obj = EscalationPolicy.objects.filter(slug=policy).first() if policy else None
    if policy and policy_obj is None:
        raise InvalidInput(Message("unknown_policy", policy=policy), errors={"policy": ["unknown"]})
    if document_kind and document_kind not in DocumentKind.values:
        raise InvalidInput(
            Message("unknown_document_kind", kind=document_kind),
            errors={"document_kind": ["unknown"]},
        )
    require_programme_basis(policy_obj or EscalationPolicy.default(), programme_basis)
    directive = Directive(
        title=title,
        body=body,
        legal_basis=legal_basis,
        document_kind=document_kind
        or DOCUMENT_BY_OFFICE.get(office.kind, DocumentKind.SURAT_DIREKTUR_JENDERAL),
        programme_basis=(programme_basis or "").strip(),
        issuing_office=office,
        created_by=actor,
        due_date=due_date,
        priority=priority,
        **parsed.fields(),
    )
    if policy_obj:
        directive.policy = policy_obj
    directive.save()
    return directive


# not durable (a caller runs it inside its own transaction): the composer, pages.confirm.once
# (the one-time key of a confirmed action),
# the demo loader (workflow/demo.py)
@transaction.atomic
def issue_directive(*, directive: Directive, actor: User, at: dt.datetime | None = None) -> Issued:
    """Issue the directive: one assignment per addressed office, in bulk, with its first
    notification in the outbox, all in this one transaction."""
    office = authorize_manager(actor, directive)
    return _fan_out(directive, at or timezone.now(), actor=actor, office=office)


def _fan_out(
    directive: Directive,
    now: dt.datetime,
    *,
    actor: User | None = None,
    office: Office | None = None,
) -> Issued:
    """Returns (directive, its assignments). The rows are computed here, once for every
    database, and moved in bulk (workflow.statements)."""
    # The policy and the issuing office read with the lock: the feed's event names them
    # (workflow.feed), two queries fewer. Only the directive's row is locked.
    directive = (
        Directive.objects.select_for_update(of=("self",))
        .select_related("policy", "issuing_office")
        .get(pk=directive.pk)
    )
    if may_proceed(directive, "issue") and directive.due_date < timezone.localdate(now):
        raise InvalidInput(Message("due_date_in_past"), errors={"due_date": ["in_past"]})
    # Read before the transition: the feed's event takes its region codes from these
    # rows (a query fewer than asking the offices again).
    recipients = list(recipient_offices(directive).values_list(*RECIPIENT))
    directive.issued_at = now
    apply_transition(
        directive,
        "issue",
        actor=actor,
        office=office,
        at=now,
        update_fields=["issued_at"],
        regions=feed.codes_of_regions(row[CODES:] for row in recipients),
    )
    rows = _assignment_rows(directive, recipients, now)
    ids = insert_rows(Assignment, ASSIGNMENT, rows)
    due_at = ASSIGNMENT.index("due_at")
    # The due instant as the notice writes it, once per instant (one per time zone).
    instants = {row[due_at]: row[due_at].astimezone(dt.UTC).isoformat() for row in rows}
    notices = [
        _issued_notice(directive, pk, recipient, instants[row[due_at]])
        for pk, recipient, row in zip(ids, recipients, rows, strict=True)
    ]
    outbox.dispatch_on_commit(insert_rows(Notification, NOTICE, notices))
    # All of the directive's assignments are these: only issuing writes them, and a
    # directive is issued once (from its draft). No list of 552 ids to bind.
    return directive, directive.assignments.order_by("id")


# What fan-out reads of each recipient office: plain values, no model instance (a
# national fan-out addresses 552 offices); its region codes last, for the feed.
RECIPIENT = (
    "id",
    "province_id",
    "regency_id",
    "title",
    "email",
    "language",
    "province__time_zone",
    *feed.OFFICE_CODES,
)
CODES = RECIPIENT.index(feed.OFFICE_CODES[0])
ASSIGNMENT = (
    "directive_id",
    "office_id",
    "province_id",
    "regency_id",
    "due_date",
    "due_at",
    "issued_at",
    "next_step_id",
    "next_step_at",
)


def _assignment_rows(
    directive: Directive, recipients: list[tuple[Any, ...]], now: dt.datetime
) -> list[tuple[Any, ...]]:
    """One assignment per recipient office, its first step planned; what depends on the
    recipient's time zone (the due instant, the first step's instant) once per zone."""
    calendar = BusinessCalendar.from_database()
    steps = steps_of(directive.policy_id, {})
    zones: dict[str, tuple[dt.datetime, int | None, dt.datetime | None]] = {}
    rows = []
    for office, province, regency, _, _, _, zone, *_ in recipients:
        if zone not in zones:
            tz = zoneinfo.ZoneInfo(zone)
            step, at = next_step(
                steps,
                None,
                issued_at=now,
                due_date=directive.due_date,
                previous_at=None,
                tz=tz,
                calendar=calendar,
            )
            zones[zone] = (due_instant(directive.due_date, tz), step and step.pk, at)
        due_at, step_id, at = zones[zone]
        rows.append(
            (directive.pk, office, province, regency, directive.due_date, due_at, now, step_id, at)
        )
    return rows


def _issued_notice(
    directive: Directive, assignment_id: int, recipient: tuple[Any, ...], due_at: str
) -> tuple[Any, ...]:
    """The issue notice of one assignment, a row of escalation.NOTICE; `due_at` the due
    instant in UTC, ISO 8601."""
    office, _, _, title, email, language, *_ = recipient
    context = {
        "directive": directive.pk,
        "title": directive.title,
        "office": title,
        "due_at": due_at,
    }
    key = f"assignment:{assignment_id}:issued"
    return (key, office, email, language, "directive_issued", assignment_id, context)


# not durable (a caller runs it inside its own transaction): the system's use cases
# (workflow/system_directives.py)
@transaction.atomic
def issue_system_directive(*, directive: Directive, at: dt.datetime) -> Issued:
    """Issue a directive the system opened in answer to an event (no person issues it)."""
    return _fan_out(directive, at)


# durable: no caller runs it inside a transaction of its own; it commits on return
@transaction.atomic(durable=True)
def withdraw_directive(
    *, directive: Directive, actor: User, reason: str = "", at: dt.datetime | None = None
) -> Directive:
    """Withdraw the directive and every open assignment: their escalation stops."""
    office = authorize_manager(actor, directive)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    at = at or timezone.now()
    directive.withdrawn_at = at
    apply_transition(
        directive,
        "withdraw",
        actor=actor,
        office=office,
        reason=reason,
        at=at,
        update_fields=["withdrawn_at"],
    )
    open_ones = list(
        directive.assignments.select_for_update().exclude(
            state__in=[AssignmentState.VERIFIED, AssignmentState.WITHDRAWN]
        )
    )
    events = []
    for a in open_ones:
        events.append(
            AssignmentEvent(
                assignment=a,
                actor=actor,
                office=office,
                at=at,
                transition="withdraw",
                from_state=a.state,
                to_state=AssignmentState.WITHDRAWN,
                reason=reason,
            )
        )
        a.withdraw()  # its escalation stops with it
    Assignment.objects.bulk_update(
        open_ones, ["state", "next_step", "next_step_at"], batch_size=1000
    )
    AssignmentEvent.objects.bulk_create(events, batch_size=1000)
    proposals.lapse_for([a.pk for a in open_ones], at=at)
    feed.assignments_changed(events)
    return directive


# A directive's history is the event feed: each transition (compliance.fsm.apply_transition)
# writes its feed event, addressed to the regions it reaches. (The system's directives are
# closed in workflow.system_directives without one: closing is the end of their work,
# which the assignments' own events already tell.)
FEED_TYPES = {"issue": "issued", "withdraw": "withdrawn"}


def _write_event(t: fsm.Transition) -> None:
    directive = cast(Directive, t.obj)  # registered for Directive
    extra = {"reason": str(t.reason)} if t.name == "withdraw" else {}
    # Issuing passes the codes of the offices it read (`regions`); withdrawing asks.
    regions = t.extra.get("regions")
    if regions is None:
        regions = feed.codes_of_offices(recipient_offices(directive))
    feed.directive_changed(directive, FEED_TYPES[t.name], t.at, regions, **extra)


def _refused(directive: Directive, name: str, state: str) -> Conflict:
    code = "directive_cannot_issue" if name == "issue" else "directive_cannot_withdraw"
    return Conflict(Message(code, state=state))


fsm.register(Directive, write_event=_write_event, refused=_refused)
