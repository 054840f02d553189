"""Directive use cases: drafting, issuing (fan-out to every addressed office) and
withdrawing."""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from compliance.errors import Conflict, InvalidInput
from compliance.models import OfficeKind, Province, TimeZone

from . import feed, proposals
from .authority import authorize_manager, issuing_office
from .calendar import BusinessCalendar, due_instant
from .escalation import plan_first_steps
from .models import (
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    DocumentKind,
    EscalationPolicy,
    EscalationStep,
    Notification,
)
from .notifications import outbox
from .scopes import Scope, recipient_offices
from .statements import insert_sql, named

# The kind of document a directive is when its author does not say: the issuing office's.
DOCUMENT_BY_OFFICE: dict[str, str] = {
    OfficeKind.MINISTER: DocumentKind.SURAT_MENTERI,
    OfficeKind.GOVERNOR: DocumentKind.SURAT_GUBERNUR,
}

# A directive issued, and its assignments: a list of instances, or on PostgreSQL a
# queryset of the rows written set-based (_fan_out).
Issued = tuple[Directive, QuerySet[Assignment] | list[Assignment]]


def require_programme_basis(policy: EscalationPolicy | None, programme_basis: str | None) -> None:
    """A ladder ending in sanctions (written warnings, temporary dismissal) is the law's
    for national strategic programmes only (UU 23/2014 Pasal 67 huruf f and Pasal 68): a
    directive under such a policy names the instrument that makes its subject one."""
    if policy and policy.requires_programme_basis and not (programme_basis or "").strip():
        raise InvalidInput(
            f"Kebijakan '{policy.slug}' berujung sanksi (UU 23/2014 Pasal 67-68) yang hanya "
            "berlaku bagi program strategis nasional: sebutkan instrumen yang menetapkan "
            "program ini sebagai program strategis nasional / the policy "
            f"'{policy.slug}' ends in sanctions, which the law gives for national strategic "
            "programmes only: name the instrument that makes this one",
            errors={"programme_basis": ["required"]},
        )


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
            raise InvalidInput(
                f"'{field}' wajib diisi / '{field}' is required", errors={field: ["required"]}
            )
    parsed = Scope.parse(scope)
    policy_obj = EscalationPolicy.objects.filter(slug=policy).first() if policy else None
    if policy and policy_obj is None:
        raise InvalidInput(
            f"Kebijakan eskalasi '{policy}' tidak dikenal / unknown escalation policy",
            errors={"policy": ["unknown"]},
        )
    if document_kind and document_kind not in DocumentKind.values:
        raise InvalidInput(
            f"Jenis naskah dinas '{document_kind}' tidak dikenal / unknown document kind",
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


@transaction.atomic
def issue_directive(*, directive: Directive, actor: User, at: dt.datetime | None = None) -> Issued:
    """Issue the directive: one assignment per addressed office, in bulk, with its first
    notification in the outbox, all in this one transaction."""
    authorize_manager(actor, directive)
    return _fan_out(directive, at or timezone.now())


def _fan_out(directive: Directive, now: dt.datetime) -> Issued:
    """Returns (directive, its assignments): a list of instances on databases other than
    PostgreSQL; on PostgreSQL, where the rows are written set-based, a queryset of them
    in the order they were written."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if not can_proceed(directive.issue):
        raise Conflict(
            f"Direktif berstatus '{directive.state}' tidak dapat diterbitkan / "
            f"A directive in state '{directive.state}' cannot be issued"
        )
    if directive.due_date < timezone.localdate(now):
        raise InvalidInput(
            "Batas waktu sudah lewat / due_date is in the past", errors={"due_date": ["in_past"]}
        )
    directive.issue()
    directive.issued_at = now
    directive.save(update_fields=["state", "issued_at"])
    feed.directive_changed(directive, "issued", now, recipient_offices(directive))
    if connection.vendor == "postgresql":
        outbox.dispatch_on_commit(_write_assignments_and_notices(directive, now))
        return directive, directive.assignments.order_by("id")
    assignments = [
        Assignment(
            directive=directive,
            office=office,
            province=office.province,
            regency_id=office.regency_id,
            due_date=directive.due_date,
            # A recipient (regent, mayor, governor) has a province.
            due_at=due_instant(directive.due_date, cast(Province, office.province).zoneinfo),
            issued_at=now,
        )
        for office in recipient_offices(directive)
    ]
    plan_first_steps(assignments, directive.policy_id)
    assignments = Assignment.objects.bulk_create(assignments, batch_size=1000)
    notices = Notification.objects.bulk_create(
        [_issued_notice(directive, a) for a in assignments], batch_size=1000
    )
    outbox.dispatch_on_commit([n.pk for n in notices])
    return directive, assignments


@transaction.atomic
def issue_system_directive(*, directive: Directive, at: dt.datetime) -> Issued:
    """Issue a directive the system opened in answer to an event (no person issues it)."""
    return _fan_out(directive, at)


# On PostgreSQL the assignments and their issue notices are one statement: the
# assignments selected from the recipient offices, the notices from the rows just
# inserted; no model instance per recipient (a national fan-out writes 552 of each).
# What depends on the recipient's time zone (the due instant, the first step's instant)
# is computed in Python once per zone. The notice context matches _issued_notice's
# exactly (the due instant in ISO 8601, UTC).
_ASSIGNMENTS_SELECT = """
SELECT %(directive)s, o.id, o.province_id, o.regency_id, %(due_date)s, z.due_at,
       %(now)s, %(next_step)s, z.next_at {defaults}
FROM compliance_office o
JOIN compliance_province p ON p.id = o.province_id
JOIN unnest(%(zones)s::text[], %(due_ats)s::timestamptz[], %(next_ats)s::timestamptz[])
    AS z(zone, due_at, next_at) ON z.zone = p.time_zone
WHERE o.id IN ({{recipients}})
ORDER BY o.kind, o.title
RETURNING id, office_id, due_at
"""

_NOTICES_SELECT = """
SELECT 'assignment:' || a.id || ':issued', a.office_id, o.email, 'directive_issued',
       jsonb_build_object(
           'directive', %(directive)s::bigint, 'title', %(title)s::text, 'office', o.title,
           'due_at', to_char(a.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
       o.language, a.id {defaults}
FROM assigned a JOIN compliance_office o ON o.id = a.office_id
ORDER BY a.id
RETURNING id
"""


def _write_assignments_and_notices(directive: Directive, now: dt.datetime) -> list[int]:
    """One assignment per recipient office with its first step planned, and its issue
    notice in the outbox; returns the notices' ids."""
    calendar = BusinessCalendar.from_database()
    steps = EscalationStep.objects.filter(policy_id=directive.policy_id).order_by("order")
    first = steps.first()
    zones = [zone for zone, _ in TimeZone.choices]
    due_ats = [due_instant(directive.due_date, zoneinfo.ZoneInfo(z)) for z in zones]
    next_ats = [
        first
        and first.instant(
            issued_at=now,
            due_date=directive.due_date,
            previous_at=None,
            tz=zoneinfo.ZoneInfo(z),
            calendar=calendar,
        )
        for z in zones
    ]
    recipients, recipient_params = named(
        recipient_offices(directive).order_by().values("pk"), "recipient_"
    )
    assignments, assignment_params = insert_sql(
        Assignment,
        [
            "directive_id",
            "office_id",
            "province_id",
            "regency_id",
            "due_date",
            "due_at",
            "issued_at",
            "next_step_id",
            "next_step_at",
        ],
        _ASSIGNMENTS_SELECT,
        prefix="assignment_default_",
    )
    assignments = assignments.replace("{recipients}", recipients)
    notices, notice_params = insert_sql(
        Notification,
        [
            "dedupe_key",
            "recipient_office_id",
            "recipient_email",
            "template",
            "context",
            "language",
            "assignment_id",
        ],
        _NOTICES_SELECT,
    )
    params = {
        **recipient_params,
        **assignment_params,
        **notice_params,
        "directive": directive.pk,
        "title": directive.title,
        "due_date": directive.due_date,
        "now": now,
        "next_step": first and first.pk,
        "zones": zones,
        "due_ats": due_ats,
        "next_ats": next_ats,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"WITH assigned AS ({assignments}) {notices}", params)
        return [row[0] for row in cursor.fetchall()]


def _issued_notice(directive: Directive, assignment: Assignment) -> Notification:
    return Notification(
        dedupe_key=f"assignment:{assignment.pk}:issued",
        recipient_office=assignment.office,
        recipient_email=assignment.office.email,
        language=assignment.office.language,
        template="directive_issued",
        assignment=assignment,
        context={
            "directive": directive.pk,
            "title": directive.title,
            "office": assignment.office.title,
            "due_at": assignment.due_at.astimezone(dt.UTC).isoformat(),
        },
    )


@transaction.atomic
def withdraw_directive(
    *, directive: Directive, actor: User, reason: str = "", at: dt.datetime | None = None
) -> Directive:
    """Withdraw the directive and every open assignment: their escalation stops."""
    office = authorize_manager(actor, directive)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if not can_proceed(directive.withdraw):
        raise Conflict(
            f"Direktif berstatus '{directive.state}' tidak dapat ditarik / cannot withdraw"
        )
    at = at or timezone.now()
    directive.withdraw()
    directive.withdrawn_at = at
    directive.save(update_fields=["state", "withdrawn_at"])
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
    feed.directive_changed(directive, "withdrawn", at, recipient_offices(directive), reason=reason)
    feed.assignments_changed(events)
    return directive
