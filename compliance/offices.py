"""Offices: the head-of-region seats that exist for every region, and who acts for one."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify

from .errors import InvalidInput
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

_HEAD = {
    # kind: (title prefix, prefix stripped from the region's name, e-mail local prefix)
    OfficeKind.GOVERNOR: ("Gubernur", "", "gubernur"),
    OfficeKind.REGENT: ("Bupati", "Kabupaten ", "bupati"),
    OfficeKind.MAYOR: ("Wali Kota", "Kota ", "walikota"),
}


def official_title(kind):
    """An office's title as the state writes it: in Indonesian, whatever language the
    request or command that creates the seat happens to run in."""
    with translation.override("id"):
        return str(OfficeKind(kind).label)


def _head_seat(kind, region, province_id, regency_id):
    title_prefix, strip, mail_prefix = _HEAD[kind]
    name = region.name.removeprefix(strip)
    return Office(
        kind=kind,
        title=f"{title_prefix} {name}",
        province_id=province_id,
        regency_id=regency_id,
        email=f"{mail_prefix}.{slugify(name).replace('-', '')}@{settings.OFFICE_EMAIL_DOMAIN}",
    )


def ensure_head_of_region_offices():
    """Create the governor, regent and mayor seats that are missing (552 in all).
    Existing seats, and addresses someone has set, are left as they are."""
    have = set(
        Office.objects.filter(
            kind__in=[OfficeKind.GOVERNOR, OfficeKind.REGENT, OfficeKind.MAYOR]
        ).values_list("kind", "province_id", "regency_id")
    )
    wanted = [_head_seat(OfficeKind.GOVERNOR, p, p.id, None) for p in Province.objects.all()]
    for r in Regency.objects.all():
        kind = OfficeKind.MAYOR if r.kind == RegencyKind.KOTA else OfficeKind.REGENT
        wanted.append(_head_seat(kind, r, r.province_id, r.id))
    missing = [o for o in wanted if (o.kind, o.province_id, o.regency_id) not in have]
    Office.objects.bulk_create(missing, batch_size=1000)
    return len(missing)


def head_of_regency_office(regency):
    kind = OfficeKind.MAYOR if regency.kind == RegencyKind.KOTA else OfficeKind.REGENT
    return Office.objects.get(kind=kind, regency=regency)


def active_offices(user, at=None):
    """The offices the user holds now, definitively or as acting holder (Plt./Plh.)."""
    if not user or not user.is_authenticated:
        return []
    holdings = (
        OfficeHolding.objects.active(at)
        .filter(user=user)
        .select_related("office")
        .order_by("acting", "starts_on", "id")  # his own seat first, the same every time
    )
    return [h.office for h in holdings]


SINGLE_SEAT = {
    OfficeKind.MINISTER,
    OfficeKind.DIRECTOR_GENERAL,
    OfficeKind.GOVERNOR,
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
    OfficeKind.REGENT,
    OfficeKind.MAYOR,
    OfficeKind.REGENCY_DUKCAPIL_HEAD,
}


def _region_for(kind, region_code):
    """(province, regency) for an office of `kind` over `region_code`, or InvalidInput."""
    if kind not in OfficeKind.values:
        raise InvalidInput(
            f"Jenis jabatan '{kind}' tidak dikenal; pilih salah satu dari: "
            f"{', '.join(OfficeKind.values)} / unknown office kind '{kind}'",
            errors={"office": ["invalid_choice"]},
        )
    scope = SCOPE_OF_KIND[kind]
    if scope == Scope.NATIONAL:
        if region_code:
            raise InvalidInput(
                f"Jabatan '{kind}' berlingkup nasional, jangan beri --region / "
                f"'{kind}' covers the whole country: give no --region",
                errors={"region": ["not_allowed"]},
            )
        return None, None
    if not region_code:
        example = "15" if scope == Scope.PROVINCE else "15.02"
        raise InvalidInput(
            f"Jabatan '{kind}' memerlukan --region (contoh: {example}) / "
            f"'{kind}' needs --region (e.g. {example})",
            errors={"region": ["required"]},
        )
    if scope == Scope.PROVINCE:
        province = Province.objects.filter(code=region_code).first()
        if province is None:
            raise InvalidInput(
                f"Kode provinsi '{region_code}' tidak dikenal (contoh: 15) / "
                f"unknown province code '{region_code}' (e.g. 15)",
                errors={"region": ["unknown"]},
            )
        return province, None
    regency = Regency.objects.filter(code=region_code).select_related("province").first()
    if regency is None:
        raise InvalidInput(
            f"Kode kabupaten/kota '{region_code}' tidak dikenal (contoh: 15.02) / "
            f"unknown regency or city code '{region_code}' (e.g. 15.02)",
            errors={"region": ["unknown"]},
        )
    expected = OfficeKind.MAYOR if regency.kind == RegencyKind.KOTA else OfficeKind.REGENT
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR) and kind != expected:
        raise InvalidInput(
            f"{regency.name} dipimpin oleh '{expected}', bukan '{kind}' / "
            f"{regency.name} is headed by a '{expected}', not a '{kind}'",
            errors={"office": ["wrong_head_for_region"]},
        )
    return regency.province, regency


def _new_office(kind, province, regency, username):
    if kind == OfficeKind.GOVERNOR:
        return _head_seat(kind, province, province.id, None)
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR):
        return _head_seat(kind, regency, province.id, regency.id)
    if kind == OfficeKind.REGENCY_DUKCAPIL_HEAD:
        title = f"Kepala Dinas Dukcapil {regency.name}"
    elif kind == OfficeKind.PROVINCIAL_DUKCAPIL_HEAD:
        title = f"Kepala Dinas Dukcapil Provinsi {province.name}"
    elif kind in SINGLE_SEAT:
        title = official_title(kind)
    else:
        title = f"{official_title(kind)} ({username})"  # officers, directors, auditors
    return Office(kind=kind, title=title, province=province, regency=regency, email="")


def _check_email(email):
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            f"Alamat surel '{email}' tidak valid / invalid e-mail address '{email}'",
            errors={"email": ["invalid"]},
        ) from None


def appoint_official(
    *,
    username,
    kind,
    region_code=None,
    email,
    password=None,
    acting=False,
    starts_on=None,
    language=None,
):
    """Create or update a user holding an office of `kind` over the region; the office is
    created when missing and its address filled when it has none. All or nothing.

    Seats held by one office at a time (the Minister, a governor, a regent...) are found
    by kind and region; officers, directors and auditors each get a seat of their own."""
    province, regency = _region_for(kind, region_code)
    _check_email(email)
    if language not in (None, *dict(settings.LANGUAGES)):
        raise InvalidInput(
            f"Bahasa '{language}' tidak dikenal; pilih id atau en / unknown language",
            errors={"language": ["invalid_choice"]},
        )
    with transaction.atomic():
        offices = Office.objects.filter(kind=kind, province=province, regency=regency)
        if kind not in SINGLE_SEAT:
            offices = offices.filter(holdings__user__username=username)
        office = offices.first()
        if office is None:
            office = _new_office(kind, province, regency, username)
            office.save()
        if not office.email:
            office.email = email
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
