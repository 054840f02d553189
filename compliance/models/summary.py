"""The read model of e-KTP realisation: per regency, province and the country at a date,
with the laggard verdicts, stored when the reports change instead of summed per request
(compliance.summary computes and reads it)."""

from django.db import models
from django.utils import timezone


class RecordingVersion(models.Model):
    """One row (id 1) whose `version` a database trigger raises on every statement that
    writes recording reports (import, admin, hand-written SQL): a stored summary of an
    older version is stale. Created by the trigger when missing (after a flush)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"recording version {self.version}"


class RealisationSnapshot(models.Model):
    """The figures at one date, as computed from the reports of one version under one
    laggard rule (floor and tolerance): its rows are RealisationSummary."""

    as_of = models.DateField()
    version = models.BigIntegerField()
    floor = models.DecimalField(max_digits=7, decimal_places=3)
    tolerance = models.DecimalField(max_digits=7, decimal_places=3)
    # The latest report's date at this version (None: no report at all), the console's
    # default day without a query over the reports.
    latest_report = models.DateField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "as_of", "floor", "tolerance"], name="one_snapshot_per_key"
            )
        ]

    def __str__(self):
        return f"realisation at {self.as_of} (version {self.version})"


class SummaryLevel(models.TextChoices):
    REGENCY = "regency", "regency"
    PROVINCE = "province", "province"
    COUNTRY = "country", "country"


class RealisationSummary(models.Model):
    """A region's figures at the snapshot's date: the sums of its districts' latest
    reports then and on 1 January (None without data), its share (percent, 2 decimals)
    and, for a regency, whether it lags (compliance.laggards)."""

    snapshot = models.ForeignKey(RealisationSnapshot, on_delete=models.CASCADE, related_name="rows")
    as_of = models.DateField()
    level = models.CharField(max_length=8, choices=SummaryLevel.choices)
    province = models.ForeignKey(
        "compliance.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    regency = models.ForeignKey(
        "compliance.Regency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    obliged = models.BigIntegerField(null=True)
    recorded = models.BigIntegerField(null=True)
    printed = models.BigIntegerField(null=True)
    start_obliged = models.BigIntegerField(null=True)
    start_recorded = models.BigIntegerField(null=True)
    share = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    lagging = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "level"], name="summary_by_snapshot")]

    def __str__(self):
        return f"{self.level} {self.regency_id or self.province_id or ''} at {self.as_of}"
