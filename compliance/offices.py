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
