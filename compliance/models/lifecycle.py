"""Cases, violations, remediation, suspensions and the append-only transition log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .offices import Office
from .regions import ComplianceState, Regency


class ViolationKind(models.TextChoices):
    HR = "hr", _("Pelanggaran SDM (pengangkatan/pemindahan pejabat Dukcapil)")
    ORGANISATIONAL = "organisational", _("Pelanggaran kelembagaan (struktur/tipe Dinas Dukcapil)")


class ComplianceCase(models.Model):
    """One episode from the first flag to the clear."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="cases")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("kasus kepatuhan")
        verbose_name_plural = _("kasus kepatuhan")
        constraints = [
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(closed_at__isnull=True),
                name="one_open_case_per_regency",
            )
        ]

    def __str__(self):
        return f"{self.regency} · {self.opened_at:%Y-%m-%d}"


class Violation(models.Model):
    case = models.ForeignKey(ComplianceCase, on_delete=models.PROTECT, related_name="violations")
    kind = models.CharField(_("jenis"), max_length=20, choices=ViolationKind.choices)
    description = models.TextField(_("uraian"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=500)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    flagged_office = models.ForeignKey(
        Office, null=True, on_delete=models.PROTECT, related_name="+"
    )
    flagged_at = models.DateTimeField(default=timezone.now)
    # Set while a submitted remediation covers it; cleared again when it is rejected.
    remediated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["flagged_at", "id"]
        verbose_name = _("pelanggaran")
        verbose_name_plural = _("pelanggaran")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.case.regency}"

    @property
    def is_open(self):
        return self.remediated_at is None and self.case.closed_at is None


def _evidence_path(instance, filename):
    return f"evidence/{instance.regency.code}/{timezone.now():%Y/%m}/{filename}"


class EvidenceDocument(models.Model):
    """Evidence for a remediation, stored outside MEDIA_ROOT and served only through
    views that check the caller's jurisdiction."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("keterangan"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("dokumen bukti")
        verbose_name_plural = _("dokumen bukti")

    def __str__(self):
        return self.original_name


class RemediationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    REJECTED = "rejected", _("Ditolak")
    ACCEPTED = "accepted", _("Diterima")


class Remediation(models.Model):
    case = models.ForeignKey(ComplianceCase, on_delete=models.PROTECT, related_name="remediations")
    status = models.CharField(max_length=10, choices=RemediationStatus.choices, default="submitted")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("perbaikan")
        verbose_name_plural = _("perbaikan")

    def __str__(self):
        return f"{self.case.regency} · {self.submitted_at:%Y-%m-%d} · {self.status}"


class RemediationStatement(models.Model):
    remediation = models.ForeignKey(
        Remediation, on_delete=models.CASCADE, related_name="statements"
    )
    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="statements")
    statement = models.TextField(_("pernyataan"))
    evidence = models.ManyToManyField(EvidenceDocument, related_name="statements")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["remediation", "violation"], name="one_statement_per_violation"
            )
        ]

    def __str__(self):
        return f"{self.violation} · {self.statement[:60]}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    LAPSED = "lapsed", _("Gugur (kasus ditutup sebelum diputus)")


class SuspensionRequest(models.Model):
    """An officer's request to cut a regency's SIAK access; a different director decides."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="suspension_requests"
    )
    case = models.ForeignKey(
        ComplianceCase, on_delete=models.PROTECT, related_name="suspension_requests"
    )
    reason = models.TextField(_("alasan"))
    # The system's reasons (compliance.i18n.Message): code and parameters, shown in the
    # reader's language; empty for a person's reason and for rows before issue 17.
    reason_code = models.CharField(max_length=60, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    # null: raised by the system when a "hak akses SIAK" deadline passed
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("permintaan pemutusan akses")
        verbose_name_plural = _("permintaan pemutusan akses")
        constraints = [
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(status="pending"),
                name="one_pending_suspension_request",
            )
        ]

    def __str__(self):
        return f"{self.regency} · {self.requested_at:%Y-%m-%d} · {self.status}"


class SuspensionPeriod(models.Model):
    """The time a regency's connection to the central system (SIAK) is cut."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="suspension_periods"
    )
    case = models.ForeignKey(
        ComplianceCase, on_delete=models.PROTECT, related_name="suspension_periods"
    )
    request = models.OneToOneField(
        SuspensionRequest, on_delete=models.PROTECT, related_name="period"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("periode pemutusan akses")
        verbose_name_plural = _("periode pemutusan akses")
        constraints = [
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(ended_at__isnull=True),
                name="one_open_suspension_per_regency",
            ),
            models.CheckConstraint(
                name="suspension_ends_after_it_starts",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
            ),
        ]

    def __str__(self):
        end = f"{self.ended_at:%Y-%m-%d}" if self.ended_at else "…"
        return f"{self.regency} · {self.started_at:%Y-%m-%d} – {end}"

    def downtime(self, now=None):
        return (self.ended_at or now or timezone.now()) - self.started_at


class AccessOrderKind(models.TextChoices):
    CUT = "cut", _("Putus akses SIAK")
    RESTORE = "restore", _("Pulihkan akses SIAK")


class AccessOrderState(models.TextChoices):
    ISSUED = "issued", _("Diterbitkan, menunggu pelaksanaan")
    EXECUTED = "executed", _("Dilaksanakan")
    CANCELLED = "cancelled", _("Dibatalkan")


class AccessOrder(models.Model):
    """A director's decision on a regency's SIAK access, sent to the network operators who
    carry it out. The regency is cut off (or reconnected) when an operator confirms the
    execution, and that instant starts (or ends) the suspension period: downtime runs from
    confirmed cut to confirmed restoration, not from the decision."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="access_orders")
    case = models.ForeignKey(ComplianceCase, on_delete=models.PROTECT, related_name="access_orders")
    kind = models.CharField(_("jenis"), max_length=10, choices=AccessOrderKind.choices)
    state = models.CharField(
        _("status"), max_length=10, choices=AccessOrderState.choices, default="issued"
    )
    # A cut carries the request it answers; the period is the one it opened (cut) or
    # closes (restore).
    request = models.OneToOneField(
        SuspensionRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="order"
    )
    period = models.ForeignKey(
        SuspensionPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    reason = models.TextField(_("alasan keputusan"), blank=True)
    reason_code = models.CharField(max_length=60, blank=True)  # as SuspensionRequest's
    reason_params = models.JSONField(default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("diterbitkan"))
    due_at = models.DateTimeField(_("batas pelaksanaan"), db_index=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    executed_office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    executed_at = models.DateTimeField(_("dilaksanakan"), null=True, blank=True)
    # The network side's own reference (change or ticket number), for the audit.
    reference = models.CharField(_("nomor rujukan pelaksanaan"), max_length=100, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    cancel_reason_code = models.CharField(max_length=60, blank=True)
    cancel_reason_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("perintah akses SIAK")
        verbose_name_plural = _("perintah akses SIAK")
        constraints = [
            models.UniqueConstraint(
                fields=["regency"],
                condition=Q(state="issued"),
                name="one_issued_access_order_per_regency",
            ),
            models.CheckConstraint(
                name="access_order_executed_after_issue",
                condition=Q(executed_at__isnull=True) | Q(executed_at__gte=models.F("issued_at")),
            ),
        ]

    def __str__(self):
        return f"{self.regency} · {self.get_kind_display()} · {self.get_state_display()}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("transition log rows cannot be updated")

    def delete(self):
        raise AppendOnlyError("transition log rows cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("transition log rows cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise AppendOnlyError("transition log rows cannot be updated")
        return super().bulk_create(objs, *args, **kwargs)


class TransitionLog(models.Model):
    """Append-only: written in the same transaction as the state change it records.
    On PostgreSQL a trigger refuses UPDATE and DELETE as well (migration 0003)."""

    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="transition_logs")
    case = models.ForeignKey(ComplianceCase, null=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )  # null: the system itself (e.g. clearing after probation)
    office = models.ForeignKey(Office, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, choices=ComplianceState.choices)
    to_state = models.CharField(max_length=20, choices=ComplianceState.choices)
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=60, blank=True)  # as SuspensionRequest's
    reason_params = models.JSONField(default=dict, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("log transisi")
        verbose_name_plural = _("log transisi")

    def __str__(self):
        return f"{self.regency.code} {self.transition}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        # Only ever INSERT: an unsaved object carrying an existing id must not become an
        # UPDATE of that row.
        if not self._state.adding:
            raise AppendOnlyError("transition log rows cannot be updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("transition log rows cannot be deleted")
