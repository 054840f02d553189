"""A directive's scope: reading it from the API's shape, and the offices it addresses."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import QuerySet

from compliance.errors import InvalidInput
from compliance.models import Office, OfficeKind, Province, Regency

from .messages import Message
from .models import Directive, ScopeKind

HEADS_OF_REGENCY = [OfficeKind.REGENT, OfficeKind.MAYOR]


@dataclass(frozen=True)
class Scope:
    """Who a directive addresses, one value for its three shapes: the API's object
    (`parse`, `as_api`), the directive's fields (`of`, `fields`) and the composer's form
    (pages.directives.forms builds one). What it means (`offices`, `inside_province`) is
    written here only."""

    kind: ScopeKind
    province_id: int | None = None  # for kind PROVINCE
    regions: tuple[str, ...] = ()  # for kind REGIONS: province and regency codes, sorted
    # The province itself when the caller has it (as_api shows its code; never a query
    # to compare or to find the offices).
    province: Province | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None) -> "Scope":
        """From the API's scope object; InvalidInput naming the field when it is not one."""
        kind, province, regions = _parse(data or {})
        return cls(kind, province.pk if province else None, regions, province)

    @classmethod
    def of(cls, directive: Any) -> "Scope":
        """A Directive's scope; or a listed directive's (workflow.api.listed), whose
        province, when it has one, is read with it."""
        if not isinstance(directive, Directive):
            loaded = True
        else:
            loaded = Directive.scope_province.is_cached(directive)
        return cls(
            ScopeKind(directive.scope_kind),
            directive.scope_province_id,
            tuple(directive.scope_regions or ()),
            directive.scope_province if loaded else None,
        )

    def fields(self) -> dict[str, Any]:
        """The directive's fields holding it."""
        fields: dict[str, Any] = {"scope_kind": self.kind, "scope_regions": list(self.regions)}
        if self.province is not None:
            fields["scope_province"] = self.province  # the directive keeps it: no query
        else:
            fields["scope_province_id"] = self.province_id
        return fields

    def as_api(self) -> dict[str, Any]:
        if self.kind == ScopeKind.ALL_REGENCIES:
            return {"all_regencies": True}
        if self.kind == ScopeKind.ALL_PROVINCES:
            return {"all_provinces": True}
        if self.kind == ScopeKind.PROVINCE:
            province = self.province or Province.objects.get(pk=cast(int, self.province_id))
            return {"province": province.code}
        return {"regions": list(self.regions)}

    def offices(self) -> QuerySet[Office]:
        """The offices it addresses: regents and mayors, or governors."""
        offices = Office.objects.select_related("province")
        if self.kind == ScopeKind.ALL_REGENCIES:
            return offices.filter(kind__in=HEADS_OF_REGENCY)
        if self.kind == ScopeKind.ALL_PROVINCES:
            return offices.filter(kind=OfficeKind.GOVERNOR)
        if self.kind == ScopeKind.PROVINCE:
            province_id = cast(int, self.province_id)  # a PROVINCE scope names one
            return offices.filter(kind__in=HEADS_OF_REGENCY, province_id=province_id)
        provinces = [c for c in self.regions if "." not in c]
        regencies = [c for c in self.regions if "." in c]
        return offices.filter(
            kind=OfficeKind.GOVERNOR, province__code__in=provinces
        ) | offices.filter(kind__in=HEADS_OF_REGENCY, regency__code__in=regencies)

    def inside_province(self, province_id: int | None) -> bool:
        """Whether it addresses only regencies and cities of that province (where a
        governor's authority over regents and mayors ends)."""
        if self.kind == ScopeKind.PROVINCE:
            return self.province_id == province_id
        if self.kind == ScopeKind.REGIONS:
            codes = self.regions
            inside = Regency.objects.filter(code__in=codes, province_id=province_id).count()
            return all("." in c for c in codes) and inside == len(codes)
        return False


def _parse(scope: Mapping[str, Any]) -> tuple[ScopeKind, Province | None, tuple[str, ...]]:
    if scope.get("all_regencies") is True:
        return ScopeKind.ALL_REGENCIES, None, ()
    if scope.get("all_provinces") is True:
        return ScopeKind.ALL_PROVINCES, None, ()
    if "province" in scope:
        province = Province.objects.filter(code=scope["province"]).first()
        if province is None:
            raise InvalidInput(
                Message("scope_unknown_province", code=scope["province"]),
                errors={"scope.province": ["unknown"]},
            )
        return ScopeKind.PROVINCE, province, ()
    codes = scope.get("regions")
    if isinstance(codes, list) and codes:
        codes = sorted(set(map(str, codes)))
        known = set(Province.objects.filter(code__in=codes).values_list("code", flat=True))
        known |= set(Regency.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InvalidInput(
                Message("scope_unknown_regions", codes=", ".join(unknown)),
                errors={"scope.regions": [f"unknown:{c}" for c in unknown]},
            )
        return ScopeKind.REGIONS, None, tuple(codes)
    raise InvalidInput(Message("scope_invalid"), errors={"scope": ["invalid"]})


def recipient_offices(directive: Directive) -> QuerySet[Office]:
    """The offices a directive addresses: regents and mayors, or governors."""
    return Scope.of(directive).offices()
