"""Who may do what, from the offices a user holds now and their regions."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, Q, QuerySet

from .errors import DomainError, NotAllowed, NotFound
from .messages import Message
from .models import Office, OfficeKind, Regency, Scope, SuspensionRequest
from .offices import active_offices

K = OfficeKind
M = TypeVar("M", bound=Model)
_TOP = {K.MINISTER, K.DIRECTOR_GENERAL}  # the powers of officers and directors both

ALLOWED_KINDS: dict[str, set[OfficeKind]] = {
    "flag": _TOP | {K.MINISTRY_OFFICER},
    "request_suspension": _TOP | {K.MINISTRY_OFFICER},
    "reject_remediation": _TOP | {K.MINISTRY_OFFICER},
    "clear": _TOP | {K.MINISTRY_OFFICER},
    "approve_suspension": _TOP | {K.MINISTRY_DIRECTOR},
    "reject_suspension": _TOP | {K.MINISTRY_DIRECTOR},
    "reconnect": _TOP | {K.MINISTRY_DIRECTOR},
    "upload_evidence": {K.REGENT, K.MAYOR, K.REGENCY_DUKCAPIL_HEAD},
    "submit_remediation": {K.REGENT, K.MAYOR, K.REGENCY_DUKCAPIL_HEAD},
    # Confirming that a cut or restoration was carried out (compliance.access): the
    # network operators only; the decision was a director's.
    "execute_access_order": {K.NETWORK_OPERATOR},
}
ACTIONS = tuple(ALLOWED_KINDS)


@dataclass(frozen=True)
class Coverage:
    """What a user's offices cover: the whole country, or a region per office (its scope,
    province or regency, and the region's id). `shape` and `ids` apart, for a query
    compiled once per shape and run with the ids (compliance.compiled)."""

    country: bool
    scopes: tuple[Scope, ...] = ()
    ids: tuple[int, ...] = ()

    @property
    def shape(self) -> tuple[bool, tuple[Scope, ...]]:
        return self.country, self.scopes

    def condition(
        self,
        ids: Sequence[int] | None = None,
        *,
        province: str = "province_id",
        regency: str = "regency_id",
    ) -> Q | None:
        """A filter for the rows covered (with these region ids in place of the offices'),
        given the names of a model's province and regency fields; None for the country.
        Covering nothing, it keeps no row."""
        if self.country:
            return None
        condition = Q(pk__in=[])
        for scope, pk in zip(self.scopes, self.ids if ids is None else ids, strict=True):
            condition |= Q(**{province if scope == Scope.PROVINCE else regency: pk})
        return condition

    def covered(
        self,
        rows: "QuerySet[M]",
        ids: Sequence[int] | None = None,
        *,
        province: str = "province_id",
        regency: str = "regency_id",
    ) -> "QuerySet[M]":
        """The rows covered (with these region ids in place of the offices')."""
        condition = self.condition(ids, province=province, regency=regency)
        return rows if condition is None else rows.filter(condition)

    def regencies(self, ids: Sequence[int] | None = None) -> QuerySet[Regency]:
        """The regencies covered (with these region ids in place of the offices')."""
        return self.covered(Regency.objects.all(), ids, regency="pk")


def coverage(user: User | AnonymousUser | None) -> Coverage:
    """What the user's offices cover now (nothing for a user without an office)."""
    offices = active_offices(user)
    if any(o.scope == Scope.NATIONAL for o in offices):
        return Coverage(country=True)
    return Coverage(
        country=False,
        scopes=tuple(o.scope for o in offices),
        ids=tuple(_region_id(o) for o in offices),
    )


def _region_id(office: Office) -> int:
    pk = office.province_id if office.scope == Scope.PROVINCE else office.regency_id
    if pk is None:  # the office_region_matches_kind constraint keeps it from happening
        raise ValueError(f"office {office.pk} ({office.kind}) has no region")
    return pk


def jurisdiction(
    user: User | AnonymousUser | None,
    *,
    province: str = "province_id",
    regency: str = "regency_id",
) -> Q | None:
    """A filter for the rows the user's offices cover, given the names of a model's
    province and regency fields; None when they cover the whole country. A user without
    an office covers nothing."""
    return coverage(user).condition(province=province, regency=regency)


def visible_regencies(user: User | AnonymousUser | None) -> QuerySet[Regency]:
    """The regencies the user's offices cover (empty for a user without an office)."""
    return coverage(user).regencies()


def get_visible_regency(user: User | AnonymousUser | None, code: str) -> Regency:
    try:
        return visible_regencies(user).select_related("province").get(code=code)
    except Regency.DoesNotExist:
        raise NotFound(Message("regency_not_found", code=code)) from None


# --- one policy per action -------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a user may not take an action, as the error the use case answers with:
    NotFound (404) outside the user's jurisdiction, NotAllowed (403) inside it."""

    error: type[NotFound] | type[NotAllowed]
    reason: Message | str

    def exception(self) -> DomainError:
        return self.error(self.reason)


def granted(decided: Office | Refusal) -> Office:
    """The office a policy granted, or its Refusal raised (how a use case asks one)."""
    if isinstance(decided, Refusal):
        raise decided.exception()
    return decided


class Policy(Protocol):
    """Who may take one action on a regency: the acting office or a Refusal.
    `offices`: the user's active offices when the caller has them (no query per row);
    `request`: the suspension request decided, for the decisions on one."""

    def __call__(
        self,
        user: User | AnonymousUser | None,
        regency: Regency,
        *,
        offices: Sequence[Office] | None = None,
        request: SuspensionRequest | None = None,
    ) -> Office | Refusal: ...


def _by_kinds(action: str) -> Policy:
    """An office of one of ALLOWED_KINDS[action] covering the regency."""
    kinds = ALLOWED_KINDS[action]
    # Made once: a list asks every action of every regency on its page, and most refusals
    # are this one (a message renders both languages as it is made).
    not_this_office = Refusal(NotAllowed, Message("office_may_not", action=action))

    def policy(
        user: User | AnonymousUser | None,
        regency: Regency,
        *,
        offices: Sequence[Office] | None = None,
        request: SuspensionRequest | None = None,
    ) -> Office | Refusal:
        offices = active_offices(user) if offices is None else offices
        for office in offices:
            if office.kind in kinds and office.covers(regency):
                return office
        if not any(o.covers(regency) for o in offices):
            return Refusal(NotFound, Message("regency_not_found", code=regency.code))
        return not_this_office

    return policy


DECISIONS = ("approve_suspension", "reject_suspension")
OWN_REQUEST = Message("own_request")


def _decision(action: str) -> Policy:
    """The one rule of who may approve or reject a suspension request: a director (or the
    Minister or Director General) covering the regency who did not make the request (a
    ministry policy choice: four eyes on a cut; docs/lifecycle.md)."""
    by_kinds = _by_kinds(action)

    def policy(
        user: User | AnonymousUser | None,
        regency: Regency,
        *,
        offices: Sequence[Office] | None = None,
        request: SuspensionRequest | None = None,
    ) -> Office | Refusal:
        office = by_kinds(user, regency, offices=offices)
        requester = request.requested_by_id if request is not None else None
        if (
            isinstance(office, Office)
            and requester is not None
            and requester == getattr(user, "pk", None)
        ):
            return Refusal(NotAllowed, OWN_REQUEST)
        return office

    return policy


# The authority over every compliance action, in one table: the services (authorize),
# what a list offers (compliance.availability), the pages and the API ask it.
POLICIES: dict[str, Policy] = {
    action: _decision(action) if action in DECISIONS else _by_kinds(action)
    for action in ALLOWED_KINDS
}


def possible_actions(offices: Sequence[Office]) -> tuple[str, ...]:
    """The actions some office among `offices` may take on some regency: every policy
    grants through an office of ALLOWED_KINDS[action] (`_by_kinds`, which `_decision`
    builds on), so no other action is ever granted to their holder. A list asks only
    these of each row (compliance.availability)."""
    kinds = {office.kind for office in offices}
    return tuple(action for action in ACTIONS if kinds & ALLOWED_KINDS[action])


def decide(
    user: User | AnonymousUser | None,
    action: str,
    regency: Regency,
    *,
    offices: Sequence[Office] | None = None,
    request: SuspensionRequest | None = None,
) -> Office | Refusal:
    """The acting office for the action on the regency, or the Refusal saying why not."""
    return POLICIES[action](user, regency, offices=offices, request=request)


def office_for(
    user: User | AnonymousUser | None,
    action: str,
    regency: Regency,
    *,
    offices: Sequence[Office] | None = None,
    request: SuspensionRequest | None = None,
) -> Office | None:
    """The office through which the user may take the action on the regency, or None.
    `offices`: the user's active offices when the caller already has them (saves a query
    per regency when listing)."""
    decided = decide(user, action, regency, offices=offices, request=request)
    return None if isinstance(decided, Refusal) else decided


def authorize(
    user: User | AnonymousUser | None,
    action: str,
    regency: Regency,
    *,
    request: SuspensionRequest | None = None,
) -> Office:
    """Return the acting office; 404 outside the jurisdiction, 403 inside it."""
    return granted(decide(user, action, regency, request=request))


# --- deciding a suspension request ------------------------------------------------------


def decider_office(
    user: User | AnonymousUser,
    action: str,
    request: SuspensionRequest,
    *,
    regency: Regency | None = None,
    offices: Sequence[Office] | None = None,
) -> Office | None:
    """The office through which `user` decides the request (POLICIES, with the request),
    or None. `regency`, `offices`: the request's regency and the user's offices when the
    caller has them (no query per row)."""
    if action not in DECISIONS:
        raise ValueError(f"not a decision on a request: {action!r}")
    return office_for(user, action, regency or request.regency, offices=offices, request=request)


def authorize_decision(user: User, action: str, request: SuspensionRequest) -> Office:
    """The deciding office, or why not: 404 outside the jurisdiction, 403 inside it (not a
    director here, or the request is the user's own)."""
    return authorize(user, action, request.regency, request=request)
