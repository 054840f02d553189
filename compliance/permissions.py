"""Who may do what, from the offices a user holds now and their regions."""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from .errors import NotAllowed, NotFound
from .models import Office, OfficeKind, Regency, Scope, SuspensionRequest
from .offices import active_offices

K = OfficeKind
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


def jurisdiction(
    user: User | AnonymousUser | None,
    *,
    province: str = "province_id",
    regency: str = "regency_id",
) -> Q | None:
    """A filter for the rows the user's offices cover, given the names of a model's
    province and regency fields; None when they cover the whole country. A user without
    an office covers nothing."""
    offices = active_offices(user)
    if any(o.scope == Scope.NATIONAL for o in offices):
        return None
    condition = Q(pk__in=[])
    for o in offices:
        if o.scope == Scope.PROVINCE:
            condition |= Q(**{province: o.province_id})
        else:
            condition |= Q(**{regency: o.regency_id})
    return condition


def visible_regencies(user: User | AnonymousUser | None) -> QuerySet[Regency]:
    """The regencies the user's offices cover (empty for a user without an office)."""
    condition = jurisdiction(user, regency="pk")
    return Regency.objects.all() if condition is None else Regency.objects.filter(condition)


def get_visible_regency(user: User | AnonymousUser | None, code: str) -> Regency:
    try:
        return visible_regencies(user).select_related("province").get(code=code)
    except Regency.DoesNotExist:
        raise NotFound(
            f"Kabupaten/kota {code} tidak ditemukan / Regency {code} not found"
        ) from None


def office_for(
    user: User | AnonymousUser | None,
    action: str,
    regency: Regency,
    *,
    offices: Sequence[Office] | None = None,
) -> Office | None:
    """The office through which the user may take the action on the regency, or None.
    `offices`: the user's active offices when the caller already has them (saves a query
    per regency when listing)."""
    kinds = ALLOWED_KINDS[action]
    for office in active_offices(user) if offices is None else offices:
        if office.kind in kinds and office.covers(regency):
            return office
    return None


def authorize(user: User | AnonymousUser | None, action: str, regency: Regency) -> Office:
    """Return the acting office; 404 outside the jurisdiction, 403 inside it."""
    offices = active_offices(user)
    if not any(o.covers(regency) for o in offices):
        raise NotFound(
            f"Kabupaten/kota {regency.code} tidak ditemukan / Regency {regency.code} not found"
        )
    office = office_for(user, action, regency, offices=offices)
    if office is None:
        raise NotAllowed(
            f"Jabatan Anda tidak berwenang untuk '{action}' / Your office may not '{action}' here"
        )
    return office


# --- deciding a suspension request ------------------------------------------------------

DECISIONS = ("approve_suspension", "reject_suspension")
OWN_REQUEST = (
    "Anda tidak dapat memutus permintaan Anda sendiri / "
    "You cannot decide a request you made yourself"
)


def decider_office(
    user: User | AnonymousUser,
    action: str,
    request: SuspensionRequest,
    *,
    regency: Regency | None = None,
    offices: Sequence[Office] | None = None,
) -> Office | None:
    """The one rule of who may approve or reject a suspension request: a director (or the
    Minister or Director General) covering the regency who did not make the request (a
    ministry policy choice: four eyes on a cut; docs/lifecycle.md). The office through
    which `user` decides, or None. The service (compliance.access), what a list offers
    (compliance.availability) and the pages ask this. `regency`, `offices`: the request's
    regency and the user's offices when the caller has them (no query per row)."""
    if action not in DECISIONS:
        raise ValueError(f"not a decision on a request: {action!r}")
    if request.requested_by_id is not None and request.requested_by_id == user.pk:
        return None
    return office_for(user, action, regency or request.regency, offices=offices)


def authorize_decision(user: User, action: str, request: SuspensionRequest) -> Office:
    """`decider_office`, or why not: 404 outside the jurisdiction, 403 inside it (not a
    director here, or the request is the user's own)."""
    office = authorize(user, action, request.regency)
    if decider_office(user, action, request) is None:
        raise NotAllowed(OWN_REQUEST)
    return office
