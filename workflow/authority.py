"""Who may act on directives and assignments: through which office a person drafts,
issues and manages a directive, and for which recipient offices he acts."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from compliance.errors import NotAllowed, NotFound
from compliance.fsm import may_proceed
from compliance.models import MINISTRY_KINDS, Office, OfficeKind
from compliance.offices import active_offices
from compliance.permissions import Coverage, Refusal, coverage, granted

from .messages import Message
from .models import ESCALATION_STOPPED, Assignment, Directive
from .scopes import Scope


def ministry_office(actor: User | AnonymousUser) -> Office:
    for office in active_offices(actor):
        if office.kind in MINISTRY_KINDS:
            return office
    raise NotAllowed(Message("ministry_only_directives"))


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
    raise NotAllowed(Message("governor_own_province"))


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


def manager(actor: User | AnonymousUser, directive: Directive) -> Office | Refusal:
    """The policy of managing a directive (issue, withdraw, verify or return its work,
    decide its extensions): `managing_office`, or why not."""
    office = managing_office(active_offices(actor), directive)
    if office is not None:
        return office
    if any(o.kind == OfficeKind.GOVERNOR for o in active_offices(actor)):
        return Refusal(NotAllowed, Message("manager_only"))
    # The message ministry-only callers know.
    return Refusal(NotAllowed, Message("ministry_only_directives"))


def authorize_manager(actor: User | AnonymousUser, directive: Directive) -> Office:
    return granted(manager(actor, directive))


_REGIONAL_HEAD_OF_DUKCAPIL: dict[str, str] = {
    OfficeKind.REGENT: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.MAYOR: OfficeKind.REGENCY_DUKCAPIL_HEAD,
    OfficeKind.GOVERNOR: OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
}


def visible_assignments(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """Assignments within the user's jurisdiction."""
    return covered_assignments(coverage(user))


def covered_assignments(cover: Coverage, ids: Sequence[int] | None = None) -> QuerySet[Assignment]:
    """Assignments within a jurisdiction (with these region ids in place of its offices':
    compliance.compiled)."""
    return cover.covered(Assignment.objects.all(), ids)


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


def recipient(user: User | AnonymousUser, assignment: Assignment) -> Office | Refusal:
    """The policy of the recipient's actions: the office through which the user acts for
    the addressed office; 404 outside the user's jurisdiction, 403 inside it."""
    office = _acting_office(user, assignment)
    if office is not None:
        return office
    if not visible_assignments(user).filter(pk=assignment.pk).exists():
        return Refusal(NotFound, Message("assignment_not_found", pk=assignment.pk))
    return Refusal(NotAllowed, Message("recipient_only"))


def directive_manager(user: User | AnonymousUser, assignment: Assignment) -> Office | Refusal:
    """The policy of the manager's actions on an assignment: 404 outside the user's
    jurisdiction, else the directive's `manager`."""
    if not visible_assignments(user).filter(pk=assignment.pk).exists():
        return Refusal(NotFound, Message("assignment_not_found", pk=assignment.pk))
    return manager(user, assignment.directive)


def authorize_recipient(user: User | AnonymousUser, assignment: Assignment) -> Office:
    return granted(recipient(user, assignment))


def authorize_directive_manager(user: User | AnonymousUser, assignment: Assignment) -> Office:
    return granted(directive_manager(user, assignment))


# --- one policy per action on an assignment -------------------------------------------------

AssignmentPolicy = Callable[[User | AnonymousUser, Assignment], Office | Refusal]

# Who may take each action: the services ask it (authorize), and the pages and the API
# through `available_actions`.
POLICIES: dict[str, AssignmentPolicy] = {
    "acknowledge": recipient,
    "start": recipient,
    "submit": recipient,
    "request_extension": recipient,
    "verify": directive_manager,
    "return": directive_manager,
    "approve_extension": directive_manager,
    "reject_extension": directive_manager,
}
# The state guard of each action: the fsm transition it runs (its source=), or, for a
# request for more time, the rule extensions.request_extension applies.
TRANSITIONS = {
    "acknowledge": "acknowledge",
    "start": "start",
    "submit": "submit",
    "verify": "verify",
    "return": "return_for_rework",
}


def extendable(assignment: Assignment) -> bool:
    """Whether more time may be asked: not once the work is in, verified or withdrawn."""
    return assignment.state not in ESCALATION_STOPPED


def decide(user: User | AnonymousUser, action: str, assignment: Assignment) -> Office | Refusal:
    return POLICIES[action](user, assignment)


def authorize(user: User | AnonymousUser, action: str, assignment: Assignment) -> Office:
    """The acting office for the action, or its Refusal raised (404 or 403)."""
    return granted(decide(user, action, assignment))


def available_actions(
    user: User | AnonymousUser, assignment: Assignment, *, among: Iterable[str] | None = None
) -> list[str]:
    """The actions on the assignment (POLICIES names, the extension decisions aside: they
    answer a request) its state allows now and the user's offices permit; `among`: only
    these (a page that offers some of them asks no more)."""
    allowed_by_state = [
        action
        for action in (POLICIES if among is None else among)
        if (action in TRANSITIONS and may_proceed(assignment, TRANSITIONS[action]))
        or (action == "request_extension" and extendable(assignment))
    ]
    return [a for a in allowed_by_state if isinstance(decide(user, a, assignment), Office)]
