"""Directive use cases: drafting and issuing (fan-out to every addressed office)."""

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from compliance.errors import Conflict, InvalidInput, NotAllowed
from compliance.models import MINISTRY_KINDS, Office, OfficeKind, Province, Regency
from compliance.offices import active_offices

from .calendar import due_instant
from .models import Assignment, Directive, EscalationPolicy, Notification, ScopeKind

HEADS_OF_REGENCY = [OfficeKind.REGENT, OfficeKind.MAYOR]


def _ministry_office(actor):
    for office in active_offices(actor):
        if office.kind in MINISTRY_KINDS:
            return office
    raise NotAllowed(
        "Hanya jabatan kementerian yang dapat menerbitkan direktif / "
        "Only ministry offices issue directives"
    )


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


@transaction.atomic
def create_directive(
    *, actor, title, body, legal_basis, due_date, scope, priority="normal", policy=None
):
    office = _ministry_office(actor)
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
    directive = Directive(
        title=title,
        body=body,
        legal_basis=legal_basis,
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
    _ministry_office(actor)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if not can_proceed(directive.issue):
        raise Conflict(
            f"Direktif berstatus '{directive.state}' tidak dapat diterbitkan / "
            f"A directive in state '{directive.state}' cannot be issued"
        )
    now = at or timezone.now()
    if directive.due_date < timezone.localdate(now):
        raise InvalidInput(
            "Batas waktu sudah lewat / due_date is in the past", errors={"due_date": ["in_past"]}
        )
    directive.issue()
    directive.issued_at = now
    directive.save(update_fields=["state", "issued_at"])
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                directive=directive,
                office=office,
                province_id=office.province_id,
                regency_id=office.regency_id,
                due_at=due_instant(directive.due_date, office.province.zoneinfo),
                issued_at=now,
            )
            for office in recipient_offices(directive)
        ],
        batch_size=1000,
    )
    Notification.objects.bulk_create(
        [_issued_notice(directive, a) for a in assignments], batch_size=1000
    )
    return directive, assignments


def _issued_notice(directive, assignment):
    return Notification(
        dedupe_key=f"assignment:{assignment.pk}:issued",
        recipient_office=assignment.office,
        recipient_email=assignment.office.email,
        template="directive_issued",
        assignment=assignment,
        context={
            "directive": directive.pk,
            "title": directive.title,
            "office": assignment.office.title,
            "due_at": assignment.due_at.isoformat(),
        },
    )
