"""Offices: the head-of-region seats that exist for every region, and who acts for one."""

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.signals import request_started
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.text import slugify

from . import compiled
from .errors import InvalidInput
from .messages import Message
from .models import (
    SCOPE_OF_KIND,
    Office,
    OfficeHolding,
    OfficeKind,
    Province,
    Regency,
    RegencyKind,
    Scope,
)
from .models.offices import DINAS_DUKCAPIL

_HEAD: dict[str, tuple[str, str, str]] = {
    # kind: (title prefix, prefix stripped from the region's name, e-mail local prefix)
    OfficeKind.GOVERNOR: ("Gubernur", "", "gubernur"),
    OfficeKind.REGENT: ("Bupati", "Kabupaten ", "bupati"),
    OfficeKind.MAYOR: ("Wali Kota", "Kota ", "walikota"),
}


def official_title(kind: str) -> str:
    """An office's title as the state writes it: in Indonesian, whatever language the
    request or command that creates the seat happens to run in."""
    with translation.override("id"):
        return str(OfficeKind(kind).label)


def _head_seat(
    kind: str, region: Province | Regency, province_id: int, regency_id: int | None
) -> Office:
    title_prefix, strip, mail_prefix = _HEAD[kind]
    name = region.name.removeprefix(strip)
    return Office(
        kind=kind,
        title=f"{title_prefix} {name}",
        province_id=province_id,
        regency_id=regency_id,
        email=f"{mail_prefix}.{slugify(name).replace('-', '')}@{settings.OFFICE_EMAIL_DOMAIN}",
    )


def head_kind(regency: Regency) -> OfficeKind:
    """The office heading a regency: a mayor for a kota, a regent for a kabupaten."""
    return OfficeKind.MAYOR if regency.kind == RegencyKind.KOTA else OfficeKind.REGENT


def is_placeholder_address(email: str) -> bool:
    """Whether an office's address is none or one generated for its seat
    (@OFFICE_EMAIL_DOMAIN): mail to it reaches nobody, the real one is still to come."""
    domain = email.rpartition("@")[2]
    return not email or domain.lower() == settings.OFFICE_EMAIL_DOMAIN.lower()


def head_offices_without_address(province: Province | None = None) -> QuerySet[Office]:
    """The governor, regent and mayor seats whose mail reaches nobody yet (no address, or
    the generated placeholder), in the province when given; governors first, by code."""
    # Addresses are stored with their domain in lower case (OfficeEmailField).
    placeholder = Q(email="") | Q(email__endswith=f"@{settings.OFFICE_EMAIL_DOMAIN.lower()}")
    offices = Office.objects.filter(placeholder, kind__in=list(_HEAD))
    if province is not None:
        offices = offices.filter(province=province)
    return offices.order_by("province__code", F("regency__code").asc(nulls_first=True))


def ensure_head_of_region_offices() -> int:
    """Create the governor, regent and mayor seats that are missing (552 in all).
    Existing seats, and addresses someone has set, are left as they are."""
    have = set(
        Office.objects.filter(kind__in=list(_HEAD)).values_list("kind", "province_id", "regency_id")
    )
    wanted = [_head_seat(OfficeKind.GOVERNOR, p, p.id, None) for p in Province.objects.all()]
    for r in Regency.objects.all():
        wanted.append(_head_seat(head_kind(r), r, r.province_id, r.id))
    missing = [o for o in wanted if (o.kind, o.province_id, o.regency_id) not in have]
    Office.objects.bulk_create(missing, batch_size=1000)
    return len(missing)


def head_of_regency_office(regency: Regency) -> Office:
    return Office.objects.get(kind=head_kind(regency), regency=regency)


# Raised whenever a request starts or an office or a holding is saved or deleted in this
# process (the signals connected below): offices remembered on a user object before then
# are read again.
_holdings_changed = [0]


def holdings_changed(**kwargs: Any) -> None:
    _holdings_changed[0] += 1


def active_offices(
    user: User | AnonymousUser | None, at: dt.datetime | None = None
) -> list[Office]:
    """The offices the user holds now, definitively or as acting holder (Plt./Plh.).

    Read once per request, user object and day: the list is kept on the user instance
    with the day it was read, and read again on another day, in another request or after
    an office or holding was saved or deleted in this process. Asked for another
    instant (`at`), it is always read."""
    if not user or not user.is_authenticated:
        return []
    day = timezone.localdate()
    key = (day, _holdings_changed[0])
    remembered = getattr(user, "_active_offices", None) if at is None else None
    if remembered is not None and remembered[0] == key:
        return list(remembered[1])
    on = timezone.localdate(at) if at else day
    holdings = compiled.read("compliance.offices.active_offices", _holdings, user.pk, on)
    offices = [h.office for h in holdings]
    if at is None:
        user._active_offices = (key, tuple(offices))  # type: ignore[attr-defined]
    return offices


def _holdings(user_id: int, day: dt.date) -> QuerySet[OfficeHolding]:
    holdings = OfficeHolding.objects.on(day).filter(user_id=user_id).select_related("office")
    return holdings.order_by("acting", "starts_on", "id")  # his own seat first, every time


def remember_offices(user: User | AnonymousUser | None) -> list[Office]:
    """The user's offices now (active_offices keeps them on the user object)."""
    return active_offices(user)


# A new request forgets them too: whatever user object it is given (a test client's, kept
# across requests), its offices are read once in it.
request_started.connect(holdings_changed, dispatch_uid="offices-request")
for _model in (Office, OfficeHolding):
    post_save.connect(holdings_changed, sender=_model, dispatch_uid=f"offices-{_model.__name__}")
    post_delete.connect(
        holdings_changed, sender=_model, dispatch_uid=f"offices-del-{_model.__name__}"
    )


SINGLE_SEAT = {
    OfficeKind.MINISTER,
    OfficeKind.DIRECTOR_GENERAL,
    OfficeKind.GOVERNOR,
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
    OfficeKind.REGENT,
    OfficeKind.MAYOR,
    OfficeKind.REGENCY_DUKCAPIL_HEAD,
}


def _region_for(kind: str, region_code: str | None) -> tuple[Province | None, Regency | None]:
    """(province, regency) for an office of `kind` over `region_code`, or InvalidInput."""
    if kind not in OfficeKind.values:
        raise InvalidInput(
            Message("unknown_office_kind", kind=kind, choices=", ".join(OfficeKind.values)),
            errors={"office": ["invalid_choice"]},
        )
    scope = SCOPE_OF_KIND[OfficeKind(kind)]
    if scope == Scope.NATIONAL:
        if region_code:
            raise InvalidInput(
                Message("national_office_no_region", kind=kind),
                errors={"region": ["not_allowed"]},
            )
        return None, None
    if not region_code:
        example = "15" if scope == Scope.PROVINCE else "15.02"
        raise InvalidInput(
            Message("office_needs_region", kind=kind, example=example),
            errors={"region": ["required"]},
        )
    if scope == Scope.PROVINCE:
        province = Province.objects.filter(code=region_code).first()
        if province is None:
            raise InvalidInput(
                Message("unknown_province_code", code=region_code),
                errors={"region": ["unknown"]},
            )
        return province, None
    regency = Regency.objects.filter(code=region_code).select_related("province").first()
    if regency is None:
        raise InvalidInput(
            Message("unknown_regency_code", code=region_code), errors={"region": ["unknown"]}
        )
    expected = head_kind(regency)
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR) and kind != expected:
        raise InvalidInput(
            Message("wrong_head", regency=regency.name, expected=expected, kind=kind),
            errors={"office": ["wrong_head_for_region"]},
        )
    return regency.province, regency


def new_office(
    kind: str, province: Province | None, regency: Regency | None, username: str | None = None
) -> Office:
    """An unsaved office of `kind` over the region, titled as the state writes it; head
    seats get their generated address, the others none. `username` names the seat of an
    officer, director or auditor, who each have their own."""
    # _region_for gives every regional kind its province, and a regency kind its regency.
    if kind == OfficeKind.GOVERNOR:
        governed = cast(Province, province)
        return _head_seat(kind, governed, governed.id, None)
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR):
        headed = cast(Regency, regency)
        return _head_seat(kind, headed, cast(Province, province).id, headed.id)
    if kind == OfficeKind.REGENCY_DUKCAPIL_HEAD:
        title = f"Kepala {DINAS_DUKCAPIL} {cast(Regency, regency).name}"
    elif kind == OfficeKind.PROVINCIAL_DUKCAPIL_HEAD:
        title = f"Kepala {DINAS_DUKCAPIL} Provinsi {cast(Province, province).name}"
    elif kind in SINGLE_SEAT:
        title = official_title(kind)
    else:
        title = f"{official_title(kind)} ({username})"  # officers, directors, auditors
    return Office(kind=kind, title=title, province=province, regency=regency, email="")


def _check_email(email: str, option: str = "--email") -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            Message("invalid_email", option=option, email=email),
            errors={option.removeprefix("--").replace("-", "_"): ["invalid"]},
        ) from None


def _office_address(office: Office, *, email: str, office_email: str | None) -> str:
    """Where the office's mail goes after this appointment: the address given for the
    office; else the holder's own when the office has none, or, for a seat one person
    holds (a regent...), only the generated placeholder. A real address someone loaded
    stays, and officers' seats keep theirs."""
    if office_email:
        return office_email
    if not office.email:
        return email
    if office.kind in SINGLE_SEAT and is_placeholder_address(office.email):
        return email
    return office.email


def appoint_official(
    *,
    username: str,
    kind: str,
    region_code: str | None = None,
    email: str,
    office_email: str | None = None,
    password: str | None = None,
    acting: bool = False,
    starts_on: dt.date | None = None,
    language: str | None = None,
) -> tuple[User, Office, OfficeHolding]:
    """Create or update a user holding an office of `kind` over the region; the office is
    created when missing. The office's address becomes `office_email` when given, else
    the user's `email` when the office has none or only its generated placeholder (see
    _office_address). All or nothing.

    Seats held by one office at a time (the Minister, a governor, a regent...) are found
    by kind and region; officers, directors and auditors each get a seat of their own."""
    province, regency = _region_for(kind, region_code)
    _check_email(email)
    if office_email is not None:
        _check_email(office_email, "--office-email")
    if language not in (None, *dict(settings.LANGUAGES)):
        raise InvalidInput(
            Message("unknown_language", language=language),
            errors={"language": ["invalid_choice"]},
        )
    with transaction.atomic():
        offices = Office.objects.filter(kind=kind, province=province, regency=regency)
        if kind not in SINGLE_SEAT:
            offices = offices.filter(holdings__user__username=username)
        office = offices.first()
        if office is None:
            office = new_office(kind, province, regency, username)
            office.save()
        address = _office_address(office, email=email, office_email=office_email)
        if address != office.email:
            office.email = address
            office.save(update_fields=["email"])
        if language and language != office.language:
            office.language = language
            office.save(update_fields=["language"])
        user, created = get_user_model().objects.get_or_create(username=username)
        user.email = email
        if password:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        holding = OfficeHolding.objects.filter(office=office, user=user, ends_on=None).first()
        if holding is None:
            holding = OfficeHolding(office=office, user=user, acting=acting)
            if starts_on:
                holding.starts_on = starts_on
            holding.save()
        return user, office, holding
