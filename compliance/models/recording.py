"""e-KTP recording reports per district and date, and the jobs that import them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .offices import Office
from .regions import District


class RecordingReport(models.Model):
    """Where a district stood on a date: residents obliged to hold an e-KTP (wajib KTP-el:
    17 or older, or married), those recorded so far, and those whose card is printed.
    One per district and date; a later import of the same pair replaces it."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="recording_reports",
        verbose_name=_("kecamatan"),
        db_index=False,  # the unique (district, date) index serves lookups by district
    )
    date = models.DateField(_("tanggal"))
    obliged = models.PositiveIntegerField(_("wajib KTP-el"))
    recorded = models.PositiveIntegerField(_("sudah rekam"))
    printed = models.PositiveIntegerField(_("sudah cetak"))

    class Meta:
        ordering = ["district", "date"]
        verbose_name = _("laporan perekaman")
        verbose_name_plural = _("laporan perekaman")
        constraints = [
            # Its index also serves "the latest report on or before a date" per district.
            models.UniqueConstraint(
                fields=["district", "date"], name="one_report_per_district_day"
            ),
            models.CheckConstraint(
                name="recorded_within_obliged", condition=Q(recorded__lte=F("obliged"))
            ),
            models.CheckConstraint(
                name="printed_within_recorded", condition=Q(printed__lte=F("recorded"))
            ),
        ]

    def __str__(self):
        return f"{self.district.code} {self.date}: {self.recorded}/{self.obliged}"


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Ditolak")


def _import_path(job, filename):
    return f"recording/{job.created_at:%Y/%m}/{filename}"


class RecordingImport(models.Model):
    """One uploaded file of recording reports and what became of it. `errors` holds the
    first RECORDING_IMPORT_MAX_LISTED_ERRORS bad rows as {line, field, code, params};
    `error_count` counts them all."""

    file = models.FileField(upload_to=_import_path, storage=private_storage)
    original_name = models.CharField(max_length=255)
    format = models.CharField(max_length=4, choices=ImportFormat.choices)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(null=True, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Times a worker took the job (compliance.recording_jobs.MAX_ATTEMPTS at most).
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor laporan perekaman")
        verbose_name_plural = _("impor laporan perekaman")

    def __str__(self):
        return f"{self.original_name} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def percent_done(self):
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
