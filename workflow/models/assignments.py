"""Assignments (one addressed office's share of a directive), what happened to them,
the escalation steps fired for them, and their extension requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .directives import Directive
from .policies import EscalationStep


class AssignmentState(models.TextChoices):
    ISSUED = "issued", _("Diterbitkan")
    ACKNOWLEDGED = "acknowledged", _("Diterima")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    SUBMITTED = "submitted", _("Dilaporkan")
    VERIFIED = "verified", _("Diverifikasi")
    RETURNED = "returned", _("Dikembalikan")
    WITHDRAWN = "withdrawn", _("Ditarik")


A = AssignmentState
# Escalation stops once the work is in the ministry's hands or the directive is gone.
ESCALATION_STOPPED = (A.SUBMITTED, A.VERIFIED, A.WITHDRAWN)


class Assignment(ConcurrentTransitionMixin, models.Model):
    """One addressed office's share of a directive; it follows the office, not the person."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="assignments")
    office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="assignments"
    )
    province = models.ForeignKey("compliance.Province", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(
        "compliance.Regency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    state = FSMField(default=A.ISSUED, choices=A.choices, protected=True, db_index=True)
    due_date = models.DateField(_("tanggal batas waktu"))
    due_at = models.DateTimeField(_("batas waktu"))  # indexed with the id: Meta.indexes
    issued_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("catatan laporan"), blank=True)
    # The escalation schedule lives in the database: the sweep selects next_step_at <= now.
    next_step = models.ForeignKey(
        "EscalationStep", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_step_at = models.DateTimeField(null=True, blank=True)
    last_step_at = models.DateTimeField(null=True, blank=True)  # planned instant of the last step
    escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "office"], name="one_assignment_per_office"
            )
        ]
        indexes = [
            # The lists' order: a page by number skips the pages before it in this index
            # alone (compliance.api.pagination.DeferredRows), a cursor enters it at its row.
            models.Index(fields=["due_at", "id"], name="assignment_due_order"),
            # The sweep's only question: which steps are due now? Open assignments carry
            # a next step; finished ones have none and stay out of the index.
            models.Index(
                fields=["next_step_at", "id"],
                condition=models.Q(next_step_at__isnull=False),
                name="assignment_next_step_due",
            ),
        ]

    def __str__(self):
        return f"{self.directive} → {self.office}"

    @transition(field=state, source=A.ISSUED, target=A.ACKNOWLEDGED)
    def acknowledge(self):
        pass

    @transition(field=state, source=[A.ACKNOWLEDGED, A.RETURNED], target=A.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=state, source=[A.ACKNOWLEDGED, A.IN_PROGRESS, A.RETURNED], target=A.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=A.SUBMITTED, target=A.VERIFIED)
    def verify(self):
        self.stop_escalation()

    @transition(field=state, source=A.SUBMITTED, target=A.RETURNED)
    def return_for_rework(self):
        pass

    @transition(
        field=state,
        source=[A.ISSUED, A.ACKNOWLEDGED, A.IN_PROGRESS, A.RETURNED, A.SUBMITTED],
        target=A.WITHDRAWN,
    )
    def withdraw(self):
        self.stop_escalation()

    def stop_escalation(self):
        """No step is planned any more: a verified or withdrawn assignment (its transition
        calls this) or a ladder its signatory ended by declining a warning."""
        self.next_step, self.next_step_at = None, None


class AssignmentEvent(models.Model):
    """What happened to an assignment, by whom, through which office (append-only)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "compliance.Office", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, choices=AssignmentState.choices)
    to_state = models.CharField(max_length=20, choices=AssignmentState.choices)
    reason = models.TextField(blank=True)
    # The system's reasons (compliance.i18n.Message): code and parameters, shown in the
    # reader's language; empty for a person's note and for rows before issue 17.
    reason_code = models.CharField(max_length=60, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat penugasan")
        verbose_name_plural = _("riwayat penugasan")

    def __str__(self):
        return f"{self.assignment_id} {self.transition}: {self.from_state} → {self.to_state}"


class StepEvent(models.Model):
    """An escalation step fired (or skipped) for one assignment: at most once, ever."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="step_events")
    step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField()
    fired_at = models.DateTimeField()
    skipped = models.BooleanField(default=False)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["planned_at", "id"]
        verbose_name = _("langkah eskalasi terjadi")
        verbose_name_plural = _("langkah eskalasi terjadi")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "step"], name="one_event_per_assignment_step"
            )
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.step.slug} @ {self.planned_at:%Y-%m-%d %H:%M}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")


class ExtensionRequest(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="extension_requests"
    )
    new_due_date = models.DateField(_("batas waktu baru"))
    reason = models.TextField(_("alasan"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_office = models.ForeignKey(
        "compliance.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("permintaan perpanjangan")
        verbose_name_plural = _("permintaan perpanjangan")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status="pending"),
                name="one_pending_extension",
            )
        ]

    def __str__(self):
        return f"{self.assignment} → {self.new_due_date} ({self.status})"
