"""Who may do what, from the offices a user holds now and their regions."""

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from .errors import NotAllowed, NotFound
from .models import Office, OfficeKind, Regency, Scope
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
