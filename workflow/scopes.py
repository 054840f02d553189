"""A directive's scope: reading it from the API's shape, and the offices it addresses."""

from collections.abc import Mapping
from typing import Any, cast

from django.db.models import QuerySet

from compliance.errors import InvalidInput
from compliance.models import Office, OfficeKind, Province, Regency

from .models import Directive, ScopeKind

HEADS_OF_REGENCY = [OfficeKind.REGENT, OfficeKind.MAYOR]


def parse_scope(
    scope: Mapping[str, Any] | None,
) -> tuple[ScopeKind, Province | None, list[str]]:
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


def recipient_offices(directive: Directive) -> QuerySet[Office]:
    """The offices a directive addresses: regents and mayors, or governors."""
    offices = Office.objects.select_related("province")
    kind = directive.scope_kind
    if kind == ScopeKind.ALL_REGENCIES:
        return offices.filter(kind__in=HEADS_OF_REGENCY)
    if kind == ScopeKind.ALL_PROVINCES:
        return offices.filter(kind=OfficeKind.GOVERNOR)
    if kind == ScopeKind.PROVINCE:
        province_id = cast(int, directive.scope_province_id)  # a PROVINCE scope names one
        return offices.filter(kind__in=HEADS_OF_REGENCY, province_id=province_id)
    provinces = [c for c in directive.scope_regions if "." not in c]
    regencies = [c for c in directive.scope_regions if "." in c]
    return offices.filter(kind=OfficeKind.GOVERNOR, province__code__in=provinces) | offices.filter(
        kind__in=HEADS_OF_REGENCY, regency__code__in=regencies
    )
