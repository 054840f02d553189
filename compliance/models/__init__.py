from .regions import District, Province, Regency, RegencyKind, TimeZone

__all__ = ["District", "Province", "Regency", "RegencyKind", "TimeZone"]
