"""Escalation policies and their steps, and the days government does not work."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ..calendar import END_OF_DAY, at_local, local_anchor


class ClosureDay(models.Model):
    """A non-working day for government that the `holidays` package does not know yet,
    e.g. joint leave decided by a decree published late."""

    date = models.DateField(_("tanggal"), unique=True)
    description = models.CharField(_("keterangan"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.description}"


class EnglishName(models.Model):
    """A name in Indonesian, and optionally in English for readers who chose English."""

    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama dalam bahasa Inggris"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def display_name(self):
        english = translation.get_language() == "en"
        return self.name_en if english and self.name_en else self.name


def require_citation(rule, message):
    """Each rule (a policy, a step) cites its instrument or says it is a policy choice and
    whose: at least one of `legal_basis` and `policy_choice`."""
    if not (rule.legal_basis.strip() or rule.policy_choice.strip()):
        raise ValidationError({"policy_choice": message})


class EscalationPolicy(EnglishName):
    slug = models.SlugField(unique=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=500)
    description = models.TextField(_("uraian"), blank=True)
    is_default = models.BooleanField(_("bawaan untuk direktif baru"), default=False)
    # A written warning waits for its signatory; after this many business days without a
    # decision he is reminded (never signed for him). Ministry policy choice.
    proposal_reminder_business_days = models.PositiveSmallIntegerField(
        _("pengingat usulan sanksi setelah (hari kerja)"), default=3
    )
    # The sanction ladder of UU 23/2014 Pasal 67 huruf f and Pasal 68 is for national
    # strategic programmes only: a directive under such a policy names the instrument that
    # makes its subject one (Directive.programme_basis).
    requires_programme_basis = models.BooleanField(
        _("wajib menyebut dasar program strategis nasional"), default=False
    )
    # Each rule cites its instrument (legal_basis) or says who chose it: a policy marker.
    policy_choice = models.CharField(
        _("pilihan kebijakan (oleh siapa)"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kebijakan eskalasi")
        verbose_name_plural = _("kebijakan eskalasi")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_policy",
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def default(cls):
        return cls.objects.filter(is_default=True).first()

    def clean(self):
        require_citation(self, _("Sebutkan dasar hukum kebijakan ini atau siapa yang memilihnya."))


class Anchor(models.TextChoices):
    ISSUE = "issue", _("sejak direktif diterbitkan")
    DUE = "due", _("sejak batas waktu (akhir hari)")
    PREVIOUS = "previous", _("sejak langkah sebelumnya")


class OffsetUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", _("hari kerja")
    CALENDAR_DAYS = "calendar_days", _("hari kalender")


class StepAction(models.TextChoices):
    REMINDER = "reminder", _("Pengingat")
    OVERDUE_NOTICE = "overdue_notice", _("Pemberitahuan lewat batas waktu")
    WARNING_LETTER = "warning_letter", _("Surat peringatan Dirjen Dukcapil")
    WRITTEN_WARNING_1 = "written_warning_1", _("Teguran tertulis I")
    WRITTEN_WARNING_2 = "written_warning_2", _("Teguran tertulis II")
    ESCALATE_TO_MINISTER = (
        "escalate_to_minister",
        _("Eskalasi ke Menteri dengan rekomendasi sanksi"),
    )
    COMPLIANCE_FLAG = "compliance_flag", _("Tandai pelanggaran kepatuhan")
    SUSPENSION_REQUEST = (
        "suspension_request",
        _("Permintaan pemutusan akses SIAK (keputusan direktur)"),
    )


class EscalationStep(EnglishName):
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    slug = models.SlugField()
    action = models.CharField(_("tindakan"), max_length=30, choices=StepAction.choices)
    anchor = models.CharField(_("dihitung"), max_length=10, choices=Anchor.choices)
    offset = models.SmallIntegerField(_("selisih"), help_text=_("negatif: sebelum titik acuan"))
    unit = models.CharField(_("satuan"), max_length=15, choices=OffsetUnit.choices)
    only_if_not_acknowledged = models.BooleanField(
        _("hanya bila belum dikonfirmasi"), default=False
    )
    to_assignee = models.BooleanField(_("kepada penerima penugasan"), default=True)
    to_governor = models.BooleanField(_("tembusan gubernur provinsinya"), default=False)
    to_ministry = models.BooleanField(_("tembusan kementerian"), default=False)
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    # The instrument and article behind this step, and/or what in it a ministry chose (its
    # timing, its recipients) and who: at least one of the two (default_policies).
    legal_basis = models.CharField(_("dasar hukum"), max_length=300, blank=True)
    policy_choice = models.CharField(
        _("pilihan kebijakan (oleh siapa)"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["policy", "order"]
        verbose_name = _("langkah eskalasi")
        verbose_name_plural = _("langkah eskalasi")
        constraints = [
            models.UniqueConstraint(fields=["policy", "order"], name="one_step_per_position"),
            models.UniqueConstraint(fields=["policy", "slug"], name="unique_step_slug_per_policy"),
        ]

    def __str__(self):
        return f"{self.policy.slug} #{self.order} {self.name}"

    def clean(self):
        require_citation(
            self,
            _("Sebutkan dasar hukum langkah ini atau siapa yang memilihnya sebagai kebijakan."),
        )

    def instant(self, *, issued_at, due_date, previous_at, tz, calendar):
        """When this step fires for one assignment, in the recipient's time zone `tz`.

        Calendar offsets move the anchor by whole days; business offsets move its local
        date by working days and keep its local time. The due anchor is the end of the
        due day, so "3 business days before due" leaves three full working days. An
        instant on a non-working day in `tz` moves to the next working day's opening."""
        if self.anchor == Anchor.DUE:
            day, since_midnight = due_date, END_OF_DAY
        else:
            base = issued_at if self.anchor == Anchor.ISSUE else previous_at
            day, since_midnight = local_anchor(base, tz)
        if self.unit == OffsetUnit.BUSINESS_DAYS:
            day = calendar.shift(day, self.offset)
        else:
            day = day + dt.timedelta(days=self.offset)
        return calendar.open_at(at_local(day, since_midnight, tz), tz)
