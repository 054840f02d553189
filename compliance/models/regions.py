"""Provinces, regencies/cities and districts with their Kemendagri codes.

Codes are Kemendagri's (Kepmendagri 300.2.2-2138/2025), never BPS's: the two
disagree for 167 regencies (in Jambi, 15.08 is Bungo and 15.09 Tebo).
"""

import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition


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


class ComplianceState(models.TextChoices):
    COMPLIANT = "compliant", _("Patuh")
    FLAGGED = "flagged", _("Ditandai pelanggaran")
    SUSPENDED = "suspended", _("Akses SIAK diputus")
    REMEDIATED = "remediated", _("Perbaikan diajukan")
    RECONNECTED = "reconnected", _("Akses SIAK dipulihkan (masa percobaan)")


S = ComplianceState


def _has_open_suspension(regency):
    # compliance.services reads this together with the row lock (the `has_open_suspension`
    # annotation of services._locked) and keeps it current when it opens or closes a
    # period, so a transition asks the database nothing more.
    known = regency.__dict__.get("has_open_suspension")
    if known is not None:
        return bool(known)  # SQLite answers EXISTS with 0 or 1
    return regency.suspension_periods.filter(ended_at__isnull=True).exists()


def _clearable(regency):
    # A remediated regency whose network is still cut must be reconnected first.
    return regency.state == S.RECONNECTED or not _has_open_suspension(regency)


class Regency(ConcurrentTransitionMixin, models.Model):
    """A kabupaten (headed by a bupati) or a kota (headed by a wali kota).

    Its compliance state follows DESIGN.md's diagram. The transition methods only
    change the state; compliance.services runs them with their rules, records and
    row locks. ConcurrentTransitionMixin makes a stale save fail loudly.
    """

    code = models.CharField(_("kode"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegencyKind.choices)
    state = FSMField(
        _("status kepatuhan"), default=S.COMPLIANT, choices=S.choices, protected=True, db_index=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def zoneinfo(self):
        return self.province.zoneinfo

    # --- the compliance lifecycle (DESIGN.md) ---------------------------------
    @transition(field=state, source=[S.COMPLIANT, S.RECONNECTED], target=S.FLAGGED)
    def flag(self):
        pass

    @transition(
        field=state,
        source=[S.FLAGGED, S.REMEDIATED],
        target=RETURN_VALUE(S.SUSPENDED, S.REMEDIATED),
    )
    def suspend(self):
        # The network operator confirmed the cut a director ordered (an AccessOrder). A
        # remediation submitted while the order waited stays under review: the regency is
        # cut off all the same, and rejecting the remediation returns it to suspended.
        return S.SUSPENDED if self.state == S.FLAGGED else S.REMEDIATED

    @transition(field=state, source=[S.FLAGGED, S.SUSPENDED], target=S.REMEDIATED)
    def submit_remediation(self):
        pass

    @transition(field=state, source=S.REMEDIATED, target=RETURN_VALUE(S.FLAGGED, S.SUSPENDED))
    def reject_remediation(self):
        # Back to where the case stood: suspended while the network is still cut.
        return S.SUSPENDED if _has_open_suspension(self) else S.FLAGGED

    @transition(
        field=state, source=S.REMEDIATED, target=S.RECONNECTED, conditions=[_has_open_suspension]
    )
    def reconnect(self):
        # The network operator confirmed the restoration a director ordered.
        pass

    @transition(
        field=state,
        source=[S.REMEDIATED, S.RECONNECTED],
        target=S.COMPLIANT,
        conditions=[_clearable],
    )
    def clear(self):
        pass


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
