"""Directive use cases: drafting and issuing (fan-out to every addressed office)."""

import datetime as dt
import zoneinfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed

from compliance.errors import Conflict, InvalidInput, NotAllowed, NotFound
from compliance.models import MINISTRY_KINDS, Office, OfficeKind, Province, Regency, TimeZone
from compliance.offices import active_offices
from compliance.permissions import jurisdiction

from . import feed, proposals
from .calendar import BusinessCalendar, due_instant
from .escalation import plan_first_steps, replan
from .models import (
    ESCALATION_STOPPED,
    Assignment,
    AssignmentEvent,
    AssignmentState,
    Directive,
    DocumentKind,
    EscalationPolicy,
    EscalationStep,
    ExtensionRequest,
    ExtensionStatus,
    Notification,
    ScopeKind,
)
from .notifications import outbox
from .statements import insert_sql, named

HEADS_OF_REGENCY = [OfficeKind.REGENT, OfficeKind.MAYOR]


def _ministry_office(actor):
    for office in active_offices(actor):
        if office.kind in MINISTRY_KINDS:
            return office
    raise NotAllowed(
        "Hanya jabatan kementerian yang dapat menerbitkan direktif / "
        "Only ministry offices issue directives"
    )


DIRECTIVE_ISSUER_KINDS = MINISTRY_KINDS | {OfficeKind.GOVERNOR}


def issuing_office(actor, scope):
    """The office through which the actor drafts a directive with this scope: a ministry
    office for any scope; a governor's (holder or Plt./Plh.) only for a scope wholly
    inside his province, which is where his authority over regents and mayors ends."""
    offices = active_offices(actor)
    governors = [o for o in offices if o.kind == OfficeKind.GOVERNOR]
    if not governors or any(o.kind in MINISTRY_KINDS for o in offices):
        return _ministry_office(actor)
    scope_kind, province, codes = _parse_scope(scope)
    for office in governors:
        if _inside_province(office.province_id, scope_kind, province, codes):
            return office
    raise NotAllowed(
        "Gubernur hanya dapat menerbitkan direktif untuk kabupaten/kota di provinsinya / "
        "A governor issues directives only to the regencies and cities of his own province"
    )


def _inside_province(province_id, scope_kind, province, codes):
    if scope_kind == ScopeKind.PROVINCE:
        return province.pk == province_id
    if scope_kind == ScopeKind.REGIONS:
        inside = Regency.objects.filter(code__in=codes, province_id=province_id).count()
        return all("." in c for c in codes) and inside == len(codes)
    return False


def managing_office(offices, directive):
    """The office among `offices` through which its holder may issue or withdraw the
    directive and verify or return its recipients' work: any ministry office, or the
    governor's office that issued it; None otherwise."""
    for office in offices:
        if office.kind in MINISTRY_KINDS:
            return office
        if office.kind == OfficeKind.GOVERNOR and office.pk == directive.issuing_office_id:
            return office
    return None


def _authorize_manager(actor, directive):
    office = managing_office(active_offices(actor), directive)
    if office is not None:
        return office
    if any(o.kind == OfficeKind.GOVERNOR for o in active_offices(actor)):
        raise NotAllowed(
            "Hanya kementerian atau gubernur yang menerbitkannya yang dapat mengelola "
            "direktif ini / Only the ministry or the governor who issued it may manage "
            "this directive"
        )
    return _ministry_office(actor)  # raises, with the message ministry-only callers know


def _parse_scope(scope):
    """(scope kind, province, region codes) from the API's scope object."""
    scope = scope or {}
    if scope.get("all_regencies") is True:
        return ScopeKind.ALL_REGENCIES, None, []
    if scope.get("all_provinces") is True:
        return ScopeKind.ALL_PROVINCES, None, []
    if "province" in scope:
        province = Province.objects.filter(code=scope["province"]).first()
        if province is None:
            raise InvalidInput(
                f"Kode provinsi '{scope['province']}' tidak dikenal / unknown province code",
                errors={"scope.province": ["unknown"]},
            )
        return ScopeKind.PROVINCE, province, []
    codes = scope.get("regions")
    if isinstance(codes, list) and codes:
        codes = sorted(set(map(str, codes)))
        known = set(Province.objects.filter(code__in=codes).values_list("code", flat=True))
        known |= set(Regency.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvalidInput(
                f"Kode wilayah tidak dikenal: {', '.join(unknown)} / unknown region codes",
                errors={"scope.regions": [f"unknown:{c}" for c in unknown]},
            )
        return ScopeKind.REGIONS, None, codes
    raise InvalidInput(
        'Cakupan harus salah satu dari {"all_regencies": true}, {"all_provinces": true}, '
        '{"province": "15"}, {"regions": ["15.02", ...]} / invalid scope',
        errors={"scope": ["invalid"]},
    )


def recipient_offices(directive):
    """The offices a directive addresses: regents and mayors, or governors."""
    offices = Office.objects.select_related("province")
    kind = directive.scope_kind
    if kind == ScopeKind.ALL_REGENCIES:
        return offices.filter(kind__in=HEADS_OF_REGENCY)
    if kind == ScopeKind.ALL_PROVINCES:
        return offices.filter(kind=OfficeKind.GOVERNOR)
    if kind == ScopeKind.PROVINCE:
        return offices.filter(kind__in=HEADS_OF_REGENCY, province_id=directive.scope_province_id)
    provinces = [c for c in directive.scope_regions if "." not in c]
    regencies = [c for c in directive.scope_regions if "." in c]
    return offices.filter(kind=OfficeKind.GOVERNOR, province__code__in=provinces) | offices.filter(
        kind__in=HEADS_OF_REGENCY, regency__code__in=regencies
    )


# The kind of document a directive is when its author does not say: the issuing office's.
DOCUMENT_BY_OFFICE = {
    OfficeKind.MINISTER: DocumentKind.SURAT_MENTERI,
    OfficeKind.GOVERNOR: DocumentKind.SURAT_GUBERNUR,
}


def require_programme_basis(policy, programme_basis):
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
    actor,
    title,
    body,
    legal_basis,
    due_date,
    scope,
    priority="normal",
    policy=None,
    document_kind=None,
    programme_basis="",
):
    office = issuing_office(actor, scope)
    for field, value in (("title", title), ("body", body), ("legal_basis", legal_basis)):
        if not (value or "").strip():
            raise InvalidInput(
                f"'{field}' wajib diisi / '{field}' is required", errors={field: ["required"]}
            )
    scope_kind, province, codes = _parse_scope(scope)
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
        scope_kind=scope_kind,
        scope_province=province,
        scope_regions=codes,
    )
    if policy_obj:
        directive.policy = policy_obj
    directive.save()
    return directive


@transaction.atomic
def issue_directive(*, directive, actor, at=None):
    """Issue the directive: one assignment per addressed office, in bulk, with its first
    notification in the outbox, all in this one transaction."""
    _authorize_manager(actor, directive)
    return _fan_out(directive, at or timezone.now())


def _fan_out(directive, now):
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
            due_at=due_instant(directive.due_date, office.province.zoneinfo),
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
def issue_system_directive(*, directive, at):
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


def _write_assignments_and_notices(directive, now):
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


def _issued_notice(directive, assignment):
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


# --- assignments ----------------------------------------------------------------

_REGIONAL_HEAD_OF_DUKCAPIL = {
    OfficeKind.REGENT: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.MAYOR: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.GOVERNOR: OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
}


def visible_assignments(user):
    """Assignments within the user's jurisdiction."""
    condition = jurisdiction(user)
    return Assignment.objects.all() if condition is None else Assignment.objects.filter(condition)


def _acts_for(office, recipient):
    """Whether the holder of `office` acts for `recipient`: the office itself (holder or
    Plt.), or the Dukcapil head of the same region acting for its regent, mayor or
    governor."""
    return office.pk == recipient.pk or (
        office.kind == _REGIONAL_HEAD_OF_DUKCAPIL.get(recipient.kind)
        and office.province_id == recipient.province_id
        and office.regency_id == recipient.regency_id
    )


def offices_acted_for(user):
    """The recipient offices the user acts for (the rule of _acts_for, as a query): whose
    assignments fill the user's inbox and, for a governor, in whose name letters go out."""
    condition = Q(pk__in=[])
    for office in active_offices(user):
        condition |= Q(pk=office.pk)
        served = [k for k, helper in _REGIONAL_HEAD_OF_DUKCAPIL.items() if helper == office.kind]
        if served:
            condition |= Q(
                kind__in=served, province_id=office.province_id, regency_id=office.regency_id
            )
    return Office.objects.filter(condition)


def _acting_office(user, assignment):
    """The office through which the user acts for the assignment's recipient."""
    return next((o for o in active_offices(user) if _acts_for(o, assignment.office)), None)


def _authorize_recipient(user, assignment):
    office = _acting_office(user, assignment)
    if office is None:
        if not visible_assignments(user).filter(pk=assignment.pk).exists():
            raise NotFound(f"Penugasan {assignment.pk} tidak ditemukan / Assignment not found")
        raise NotAllowed(
            "Hanya jabatan penerima penugasan yang dapat melakukannya / "
            "Only the addressed office may do this"
        )
    return office


def _authorize_directive_manager(user, assignment):
    if not visible_assignments(user).filter(pk=assignment.pk).exists():
        raise NotFound(f"Penugasan {assignment.pk} tidak ditemukan / Assignment not found")
    return _authorize_manager(user, assignment.directive)


def _transition(assignment, name, *, actor, office, reason="", payload=None, at=None):
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


def _record(assignment, name, from_state, *, actor, office, at, fields, reason="", payload=None):
    assignment.save(update_fields=["state", *fields])
    if assignment.state in ESCALATION_STOPPED:
        proposals.lapse_for([assignment.pk], at=at)
    row = AssignmentEvent.objects.create(
        assignment=assignment,
        actor=actor,
        office=office,
        at=at,
        transition=name,
        from_state=from_state,
        to_state=assignment.state,
        reason=reason,
        payload=payload or {},
    )
    feed.assignments_changed([row])
    return assignment


@transaction.atomic
def acknowledge_assignment(*, assignment, actor, at=None):
    office = _authorize_recipient(actor, assignment)
    assignment, from_state, at = _transition(
        assignment, "acknowledge", actor=actor, office=office, at=at
    )
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
def start_assignment(*, assignment, actor, at=None):
    office = _authorize_recipient(actor, assignment)
    assignment, from_state, at = _transition(assignment, "start", actor=actor, office=office, at=at)
    return _record(assignment, "start", from_state, actor=actor, office=office, at=at, fields=[])


@transaction.atomic
def submit_assignment(*, assignment, actor, note, at=None):
    office = _authorize_recipient(actor, assignment)
    if not (note or "").strip():
        raise InvalidInput(
            "Catatan laporan wajib diisi / note is required", errors={"note": ["required"]}
        )
    assignment, from_state, at = _transition(
        assignment, "submit", actor=actor, office=office, at=at
    )
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
def verify_assignment(*, assignment, actor, at=None):
    office = _authorize_directive_manager(actor, assignment)
    assignment, from_state, at = _transition(
        assignment, "verify", actor=actor, office=office, at=at
    )
    return _record(assignment, "verify", from_state, actor=actor, office=office, at=at, fields=[])


@transaction.atomic
def return_assignment(*, assignment, actor, reason, at=None):
    office = _authorize_directive_manager(actor, assignment)
    if not (reason or "").strip():
        raise InvalidInput(
            "Alasan wajib diisi / reason is required", errors={"reason": ["required"]}
        )
    assignment, from_state, at = _transition(
        assignment, "return_for_rework", actor=actor, office=office, at=at
    )
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
def withdraw_directive(*, directive, actor, reason="", at=None):
    """Withdraw the directive and every open assignment: their escalation stops."""
    office = _authorize_manager(actor, directive)
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
        a.withdraw()
        a.next_step, a.next_step_at = None, None
    Assignment.objects.bulk_update(
        open_ones, ["state", "next_step", "next_step_at"], batch_size=1000
    )
    AssignmentEvent.objects.bulk_create(events, batch_size=1000)
    proposals.lapse_for([a.pk for a in open_ones], at=at)
    feed.directive_changed(directive, "withdrawn", at, recipient_offices(directive), reason=reason)
    feed.assignments_changed(events)
    return directive


@transaction.atomic
def request_extension(*, assignment, actor, new_due_date, reason, at=None):
    office = _authorize_recipient(actor, assignment)
    if not (reason or "").strip():
        raise InvalidInput(
            "Alasan wajib diisi / reason is required", errors={"reason": ["required"]}
        )
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state in ESCALATION_STOPPED:
        raise Conflict(
            f"Penugasan berstatus '{assignment.state}' / assignment is {assignment.state}"
        )
    if new_due_date <= assignment.due_date:
        raise InvalidInput(
            "Batas waktu baru harus setelah batas waktu sekarang / new_due must be later than the current due date",
            errors={"new_due": ["not_later"]},
        )
    if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(
            "Sudah ada permintaan perpanjangan yang menunggu / An extension request is pending"
        )
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        new_due_date=new_due_date,
        reason=reason,
        requested_by=actor,
        requested_office=office,
        requested_at=at or timezone.now(),
    )
    feed.extension_changed(request, "requested", request.requested_at)
    return request


def _decide_extension(request, actor, status, reason, at):
    # The directive's managers decide: the ministry, or the governor who issued it.
    office = _authorize_directive_manager(actor, request.assignment)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(f"Permintaan sudah diputus ({request.status}) / already decided")
    request.status, request.decided_by, request.decided_office = status, actor, office
    request.decided_at, request.decision_reason = at or timezone.now(), reason
    request.save()
    feed.extension_changed(request, status, request.decided_at)
    return request


@transaction.atomic
def approve_extension(*, request, actor, reason="", at=None):
    """The new due date moves the deadline and every escalation step still to come."""
    request = _decide_extension(request, actor, ExtensionStatus.APPROVED, reason, at)
    assignment = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the next_step join.
        Assignment.objects.select_for_update(of=("self",))
        .select_related("province", "next_step")
        .get(pk=request.assignment_id)
    )
    assignment.due_date = request.new_due_date
    assignment.due_at = due_instant(request.new_due_date, assignment.province.zoneinfo)
    replan(assignment)
    assignment.save(update_fields=["due_date", "due_at", "next_step_at"])
    return request


@transaction.atomic
def reject_extension(*, request, actor, reason, at=None):
    if not (reason or "").strip():
        raise InvalidInput(
            "Alasan wajib diisi / reason is required", errors={"reason": ["required"]}
        )
    return _decide_extension(request, actor, ExtensionStatus.REJECTED, reason, at)


@transaction.atomic
def acknowledge_by_link(*, assignment, at=None):
    """The one-click link in the assignment's e-mail: the signed link, sent to the
    office's address, is the authority. Recorded with no actor, through the office."""
    assignment, from_state, at = _transition(
        assignment, "acknowledge", actor=None, office=None, at=at
    )
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
