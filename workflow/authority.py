"""Who may act on directives and assignments: through which office a person drafts,
issues and manages a directive, and for which recipient offices he acts."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from compliance.errors import NotAllowed, NotFound
from compliance.models import MINISTRY_KINDS, Office, OfficeKind
from compliance.offices import active_offices
from compliance.permissions import jurisdiction

from .models import Assignment, Directive
from .scopes import Scope


def ministry_office(actor: User | AnonymousUser) -> Office:
    for office in active_offices(actor):
        if office.kind in MINISTRY_KINDS:
            return office
    raise NotAllowed(
        "Hanya jabatan kementerian yang dapat menerbitkan direktif / "
        "Only ministry offices issue directives"
    )


DIRECTIVE_ISSUER_KINDS = MINISTRY_KINDS | {OfficeKind.GOVERNOR}


def issuing_office(actor: User | AnonymousUser, scope: Mapping[str, Any] | None) -> Office:
    """The office through which the actor drafts a directive with this scope: a ministry
    office for any scope; a governor's (holder or Plt./Plh.) only for a scope wholly
    inside his province, which is where his authority over regents and mayors ends."""
    offices = active_offices(actor)
    governors = [o for o in offices if o.kind == OfficeKind.GOVERNOR]
    if not governors or any(o.kind in MINISTRY_KINDS for o in offices):
        return ministry_office(actor)
    parsed = Scope.parse(scope)
    for office in governors:
        if parsed.inside_province(office.province_id):
            return office
    raise NotAllowed(
        "Gubernur hanya dapat menerbitkan direktif untuk kabupaten/kota di provinsinya / "
        "A governor issues directives only to the regencies and cities of his own province"
    )


def managing_office(offices: Iterable[Office], directive: Directive) -> Office | None:
    """The office among `offices` through which its holder may issue or withdraw the
    directive and verify or return its recipients' work: any ministry office, or the
    governor's office that issued it; None otherwise."""
    for office in offices:
        if office.kind in MINISTRY_KINDS:
            return office
        if office.kind == OfficeKind.GOVERNOR and office.pk == directive.issuing_office_id:
            return office
    return None


def authorize_manager(actor: User | AnonymousUser, directive: Directive) -> Office:
    office = managing_office(active_offices(actor), directive)
    if office is not None:
        return office
    if any(o.kind == OfficeKind.GOVERNOR for o in active_offices(actor)):
        raise NotAllowed(
            "Hanya kementerian atau gubernur yang menerbitkannya yang dapat mengelola "
            "direktif ini / Only the ministry or the governor who issued it may manage "
            "this directive"
        )
    return ministry_office(actor)  # raises, with the message ministry-only callers know


_REGIONAL_HEAD_OF_DUKCAPIL: dict[str, str] = {
    OfficeKind.REGENT: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.MAYOR: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.GOVERNOR: OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
}


def visible_assignments(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """Assignments within the user's jurisdiction."""
    condition = jurisdiction(user)
    return Assignment.objects.all() if condition is None else Assignment.objects.filter(condition)


def _acts_for(office: Office, recipient: Office) -> bool:
    """Whether the holder of `office` acts for `recipient`: the office itself (holder or
    Plt.), or the Dukcapil head of the same region acting for its regent, mayor or
    governor."""
    return office.pk == recipient.pk or (
        office.kind == _REGIONAL_HEAD_OF_DUKCAPIL.get(recipient.kind)
        and office.province_id == recipient.province_id
        and office.regency_id == recipient.regency_id
    )


def offices_acted_for(user: User | AnonymousUser) -> QuerySet[Office]:
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


def _acting_office(user: User | AnonymousUser, assignment: Assignment) -> Office | None:
    """The office through which the user acts for the assignment's recipient."""
    return next((o for o in active_offices(user) if _acts_for(o, assignment.office)), None)


def authorize_recipient(user: User | AnonymousUser, assignment: Assignment) -> Office:
    office = _acting_office(user, assignment)
    if office is None:
        if not visible_assignments(user).filter(pk=assignment.pk).exists():
            raise NotFound(f"Penugasan {assignment.pk} tidak ditemukan / Assignment not found")
        raise NotAllowed(
            "Hanya jabatan penerima penugasan yang dapat melakukannya / "
            "Only the addressed office may do this"
        )
    return office


def authorize_directive_manager(user: User | AnonymousUser, assignment: Assignment) -> Office:
    if not visible_assignments(user).filter(pk=assignment.pk).exists():
        raise NotFound(f"Penugasan {assignment.pk} tidak ditemukan / Assignment not found")
    return authorize_manager(user, assignment.directive)
