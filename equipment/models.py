"""The register of e-KTP recording and printing devices, per district.

The centre buys most devices; the regions must repair them. A device's status changes
only through equipment.services, which writes a history row for every change and, for a
breakdown, a Breakdown period (the days out of service are sums of those periods).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


class DeviceKind(models.TextChoices):
    RECORDING = "recording", _("Perangkat perekaman")
    PRINTING = "printing", _("Perangkat pencetakan")


class Funding(models.TextChoices):
    CENTRE = "centre", _("Pusat (APBN)")
    REGION = "region", _("Daerah (APBD)")


class DeviceStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Berfungsi")
    BROKEN = "broken", _("Rusak")
    UNDER_REPAIR = "under_repair", _("Dalam perbaikan")
    DECOMMISSIONED = "decommissioned", _("Dihapuskan")


D = DeviceStatus
# Out of service: from the report of a breakdown until the device works again.
OUT_OF_SERVICE = (D.BROKEN, D.UNDER_REPAIR)


class Device(ConcurrentTransitionMixin, models.Model):
    district = models.ForeignKey(
        "compliance.District",
        on_delete=models.PROTECT,
        related_name="devices",
        verbose_name=_("kecamatan"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=DeviceKind.choices)
    serial_number = models.CharField(_("nomor seri"), max_length=100, unique=True)
    funded_by = models.CharField(_("sumber dana"), max_length=10, choices=Funding.choices)
    status = FSMField(
        _("status"), default=D.OPERATIONAL, choices=D.choices, protected=True, db_index=True
    )
    registered_at = models.DateTimeField(_("terdaftar"), default=timezone.now)

    class Meta:
        ordering = ["district", "kind", "serial_number"]
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")

    def __str__(self):
        return f"{self.get_kind_display()} {self.serial_number}"

    # The transitions only change the status; equipment.services runs them with their
    # records, the row lock and the repair obligation.
    @transition(field=status, source=D.OPERATIONAL, target=D.BROKEN)
    def report_broken(self):
        pass

    @transition(field=status, source=D.BROKEN, target=D.UNDER_REPAIR)
    def start_repair(self):
        pass

    @transition(field=status, source=[D.BROKEN, D.UNDER_REPAIR], target=D.OPERATIONAL)
    def mark_repaired(self):
        pass

    @transition(field=status, source=[D.OPERATIONAL, *OUT_OF_SERVICE], target=D.DECOMMISSIONED)
    def decommission(self):
        pass


class StatusChange(models.Model):
    """Who changed a device's status, through which office, when, from what to what
    (append-only; the first row is the registration, from nothing)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "compliance.Office", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=D.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=D.choices)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat status perangkat")
        verbose_name_plural = _("riwayat status perangkat")

    def __str__(self):
        return f"{self.device_id}: {self.from_status or '-'} → {self.to_status}"


class Breakdown(models.Model):
    """A device out of service, from the report of its breakdown to its repair (or its
    decommissioning). At most one open per device."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="breakdowns")
    report = models.OneToOneField(StatusChange, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("masa rusak")
        verbose_name_plural = _("masa rusak")
        constraints = [
            models.UniqueConstraint(
                fields=["device"], condition=Q(ended_at__isnull=True), name="one_open_breakdown"
            ),
            models.CheckConstraint(
                name="breakdown_ends_after_it_starts",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
            ),
        ]

    def __str__(self):
        return f"{self.device} {self.started_at:%Y-%m-%d}"
