"""Written warnings: the signatory's proposals, the letters and their numbering."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.storage import private_storage

from .assignments import Assignment, StepEvent


class LetterCounter(models.Model):
    """The last letter number an office has issued in a year. Its row is locked
    (select_for_update) while a number is taken, so numbers are gapless and never shared:
    a rolled-back transaction gives its number back with the rest of its work."""

    office = models.ForeignKey("compliance.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="one_counter_per_office_year")
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last}"


class Letter(models.Model):
    """A formal written warning (teguran tertulis I/II) issued for one fired step. The
    PDF is rendered when the first e-mail carrying it is delivered, then kept."""

    step_event = models.OneToOneField(StepEvent, on_delete=models.PROTECT, related_name="letter")
    signatory_office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="letters_signed"
    )
    addressee_office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="letters_received"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("nomor surat"), max_length=100)
    date = models.DateField(_("tanggal surat"))
    pdf = models.FileField(upload_to="letters/", storage=private_storage, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signatory_office", "year", "sequence"]
        verbose_name = _("surat teguran")
        verbose_name_plural = _("surat teguran")
        constraints = [
            models.UniqueConstraint(
                fields=["signatory_office", "year", "sequence"], name="one_letter_per_number"
            )
        ]

    def __str__(self):
        return self.number


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu tanda tangan")
    SIGNED = "signed", _("Ditandatangani")
    DECLINED = "declined", _("Ditolak penanda tangan")
    # The assignment was answered (submitted, verified) or withdrawn before the signatory
    # decided: nothing is left to sign. A return for rework revives it.
    LAPSED = "lapsed", _("Gugur (penugasan sudah ditindaklanjuti)")


class SanctionProposal(models.Model):
    """A written warning (teguran tertulis I/II) the ladder reached, put before the official
    the law names to decide it: the governor, as the central government's representative,
    for regents and mayors; the Minister for governors (PP 12/2017 Pasal 38 ayat 3 and 6:
    a sanction follows a careful, objective verification, and is that official's act).
    Nothing is numbered or sent until he signs; declining stops the assignment's ladder."""

    step_event = models.OneToOneField(StepEvent, on_delete=models.PROTECT, related_name="proposal")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="sanction_proposals"
    )
    signatory_office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="sanction_proposals"
    )
    state = models.CharField(
        max_length=10,
        choices=ProposalState.choices,
        default=ProposalState.PROPOSED,
        db_index=True,
    )
    proposed_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("alasan penolakan"), blank=True)
    letter = models.OneToOneField(
        "Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("usulan sanksi")
        verbose_name_plural = _("usulan sanksi")

    def __str__(self):
        return f"{self.step_event.step.slug} → {self.assignment.office} ({self.state})"
