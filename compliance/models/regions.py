"""Provinces, regencies/cities and districts with their Kemendagri codes.

Codes are Kemendagri's (Kepmendagri 300.2.2-2138/2025), never BPS's: the two
disagree for 167 regencies (in Jambi, 15.08 is Bungo and 15.09 Tebo).
"""

import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB (UTC+7)"
    WITA = "Asia/Makassar", "WITA (UTC+8)"
    WIT = "Asia/Jayapura", "WIT (UTC+9)"


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    time_zone = models.CharField(_("zona waktu"), max_length=32, choices=TimeZone.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def zoneinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class RegencyKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class Regency(models.Model):
    """A kabupaten (headed by a bupati) or a kota (headed by a wali kota)."""

    code = models.CharField(_("kode"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def zoneinfo(self):
        return self.province.zoneinfo


class District(models.Model):
    """A kecamatan."""

    code = models.CharField(_("kode"), max_length=8, unique=True)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("kabupaten/kota"),
    )
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return f"{self.code} {self.name}"
