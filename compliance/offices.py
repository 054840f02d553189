"""Offices: the head-of-region seats that exist for every region, and who acts for one."""

from django.conf import settings
from django.utils.text import slugify

from .models import Office, OfficeHolding, OfficeKind, Province, Regency, RegencyKind

_HEAD = {
    # kind: (title prefix, prefix stripped from the region's name, e-mail local prefix)
    OfficeKind.GOVERNOR: ("Gubernur", "", "gubernur"),
    OfficeKind.REGENT: ("Bupati", "Kabupaten ", "bupati"),
    OfficeKind.MAYOR: ("Wali Kota", "Kota ", "walikota"),
}


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
    holdings = OfficeHolding.objects.active(at).filter(user=user).select_related("office")
    return [h.office for h in holdings]


def _region_for(kind, region_code):
    from .errors import InvalidInput
    from .models import SCOPE_OF_KIND, Scope

    if kind not in OfficeKind.values:
        raise InvalidInput(
            f"Jenis jabatan '{kind}' tidak dikenal; pilih salah satu: {', '.join(OfficeKind.values)} / "
            f"unknown office kind",
            errors={"office": ["invalid_choice"]},
        )
    scope = SCOPE_OF_KIND[kind]
    if scope == Scope.NATIONAL:
        if region_code:
            raise InvalidInput(
                f"Jabatan '{kind}' berlingkup nasional, tanpa --region / '{kind}' takes no region",
                errors={"region": ["not_allowed"]},
            )
        return None, None
    if not region_code:
        raise InvalidInput(
            f"Jabatan '{kind}' memerlukan --region / '{kind}' needs a region code",
            errors={"region": ["required"]},
        )
    if scope == Scope.PROVINCE:
        province = Province.objects.filter(code=region_code).first()
        if province is None:
            raise InvalidInput(
                f"Kode provinsi '{region_code}' tidak dikenal (contoh: 15) / unknown province code",
                errors={"region": ["unknown"]},
            )
        return province, None
    regency = Regency.objects.filter(code=region_code).select_related("province").first()
    if regency is None:
        raise InvalidInput(
            f"Kode kabupaten/kota '{region_code}' tidak dikenal (contoh: 15.02) / unknown regency code",
            errors={"region": ["unknown"]},
        )
    expected = OfficeKind.MAYOR if regency.kind == RegencyKind.KOTA else OfficeKind.REGENT
    if kind in (OfficeKind.REGENT, OfficeKind.MAYOR) and kind != expected:
        raise InvalidInput(
            f"{regency.name} dipimpin oleh '{expected}', bukan '{kind}' / {regency.name} is headed by a {expected}",
            errors={"office": ["wrong_head_for_region"]},
        )
    return regency.province, regency


def _default_title(kind, province, regency, username):
    label = OfficeKind(kind).label
    if regency:
        return f"{label} {regency.name}"
    if province:
        return f"{label} {province.name}"
    if kind in (OfficeKind.MINISTER, OfficeKind.DIRECTOR_GENERAL):
        return str(label)
    return f"{label} ({username})"  # officers, directors, auditors: one seat each


def appoint_official(*, username, kind, region_code=None, email, password=None, acting=False):
    """Create or update a user holding an office of `kind` over the region; the office is
    created when missing and its address filled when it has none. All or nothing."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    province, regency = _region_for(kind, region_code)
    with transaction.atomic():
        office = Office.objects.filter(kind=kind, province=province, regency=regency)
        if kind not in SINGLE_SEAT:
            office = office.filter(holdings__user__username=username)
        office = office.first() or Office.objects.create(
            kind=kind,
            province=province,
            regency=regency,
            title=_default_title(kind, province, regency, username),
        )
        if not office.email:
            office.email = email
            office.save(update_fields=["email"])
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.email = email
        if password:
            user.set_password(password)
        elif not user.has_usable_password() and user.password == "":
            user.set_unusable_password()
        user.save()
        holding, _ = OfficeHolding.objects.get_or_create(
            office=office, user=user, ends_on=None, defaults={"acting": acting}
        )
        return user, office, holding


SINGLE_SEAT = {
    OfficeKind.MINISTER,
    OfficeKind.DIRECTOR_GENERAL,
    OfficeKind.GOVERNOR,
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD,
    OfficeKind.REGENT,
    OfficeKind.MAYOR,
    OfficeKind.REGENCY_DUKCAPIL_HEAD,
}
