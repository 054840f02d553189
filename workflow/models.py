"""Escalation policies, directives, assignments and the notification outbox."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from compliance.storage import private_storage

from .calendar import END_OF_DAY, at_local, local_anchor


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


class Priority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Biasa")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Segera")


class ScopeKind(models.TextChoices):
    ALL_REGENCIES = "all_regencies", _("Semua kabupaten/kota")
    ALL_PROVINCES = "all_provinces", _("Semua provinsi")
    PROVINCE = "province", _("Kabupaten/kota di satu provinsi")
    REGIONS = "regions", _("Daftar wilayah")


class DirectiveState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ISSUED = "issued", _("Diterbitkan")
    CLOSED = "closed", _("Ditutup")
    WITHDRAWN = "withdrawn", _("Ditarik")


class DocumentKind(models.TextChoices):
    """Jenis naskah dinas: the kind of official document a directive is."""

    INSTRUKSI_MENTERI = "instruksi_menteri", _("Instruksi Menteri")
    SURAT_EDARAN_MENTERI = "surat_edaran_menteri", _("Surat Edaran Menteri")
    SURAT_MENTERI = "surat_menteri", _("Surat Menteri")
    SURAT_DIREKTUR_JENDERAL = "surat_direktur_jenderal", _("Surat Direktur Jenderal")
    SURAT_GUBERNUR = "surat_gubernur", _("Surat Gubernur")


def _default_policy():
    return EscalationPolicy.objects.filter(is_default=True).values_list("pk", flat=True).first()


class Directive(ConcurrentTransitionMixin, models.Model):
    title = models.CharField(_("judul"), max_length=300)
    body = models.TextField(_("isi"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=500)
    document_kind = models.CharField(
        _("jenis naskah dinas"),
        max_length=30,
        choices=DocumentKind.choices,
        default=DocumentKind.SURAT_DIREKTUR_JENDERAL,
    )
    # The instrument that makes the directive's subject a national strategic programme:
    # required by a policy whose ladder ends in sanctions (requires_programme_basis).
    programme_basis = models.CharField(
        _("dasar penetapan program strategis nasional"), max_length=500, blank=True
    )
    issuing_office = models.ForeignKey(
        "compliance.Office", on_delete=models.PROTECT, related_name="directives_issued"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("batas waktu"))
    priority = models.CharField(
        _("prioritas"), max_length=10, choices=Priority.choices, default="normal"
    )
    policy = models.ForeignKey(
        EscalationPolicy,
        on_delete=models.PROTECT,
        related_name="directives",
        default=_default_policy,
    )
    scope_kind = models.CharField(_("cakupan"), max_length=20, choices=ScopeKind.choices)
    scope_province = models.ForeignKey(
        "compliance.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_regions = models.JSONField(_("daftar kode wilayah"), default=list, blank=True)
    state = FSMField(default=DirectiveState.DRAFT, choices=DirectiveState.choices, protected=True)
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set on directives the system opens in answer to an event (e.g. a regency flagged):
    # unique, so that the listener and the reconciliation sweep never open it twice.
    origin_key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("direktif")
        verbose_name_plural = _("direktif")

    def __str__(self):
        return self.title

    @transition(field=state, source=DirectiveState.DRAFT, target=DirectiveState.ISSUED)
    def issue(self):
        pass

    @transition(
        field=state,
        source=[DirectiveState.DRAFT, DirectiveState.ISSUED],
        target=DirectiveState.WITHDRAWN,
    )
    def withdraw(self):
        pass

    @transition(field=state, source=DirectiveState.ISSUED, target=DirectiveState.CLOSED)
    def close(self):
        pass


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
    due_at = models.DateTimeField(_("batas waktu"), db_index=True)
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
            # The sweep's only question: which steps are due now? Open assignments carry
            # a next step; finished ones have none and stay out of the index.
            models.Index(
                fields=["next_step_at", "id"],
                condition=models.Q(next_step_at__isnull=False),
                name="assignment_next_step_due",
            )
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
        pass

    @transition(field=state, source=A.SUBMITTED, target=A.RETURNED)
    def return_for_rework(self):
        pass

    @transition(
        field=state,
        source=[A.ISSUED, A.ACKNOWLEDGED, A.IN_PROGRESS, A.RETURNED, A.SUBMITTED],
        target=A.WITHDRAWN,
    )
    def withdraw(self):
        pass


class NotificationState(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class Notification(models.Model):
    """The outbox: written in the same transaction as its cause, delivered later by Celery.
    The dedupe key makes "the same notice twice" impossible at the database level.

    queued -> sending (claimed by one delivery task) -> sent | failed, or back to queued
    with a later next_attempt_at after a temporary error (workflow/notifications/outbox.py).
    """

    dedupe_key = models.CharField(max_length=200, unique=True)
    recipient_office = models.ForeignKey(
        "compliance.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_email = models.EmailField()
    template = models.CharField(max_length=100)
    context = models.JSONField(default=dict)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    state = models.CharField(
        max_length=10, choices=NotificationState.choices, default="queued", db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Generated once, stored before the first send and reused on every retry, so that a
    # duplicate after a crash is recognisable as the same message.
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty: due at once. After a temporary error: not before this instant (back-off).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Which delivery task holds the row (its Celery task id), since when, and until when:
    # a claim past its expiry (in proportion to its batch, outbox.claim_timeout) is
    # presumed dead and may be taken over.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "created_at"],
                condition=models.Q(state="queued"),
                name="notification_queued",
            ),
            models.Index(
                fields=["claim_expires_at"],
                condition=models.Q(state="sending"),
                name="notification_claim_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient_email} ({self.state})"


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


class LogConsumer(models.Model):
    """How far a consumer of compliance's transition log has read (workflow.log_consumer):
    the feed position of the last `regency.*` event whose log row it applied. One row per
    consumer, locked while it reads; moved in the transaction of the effects it records."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pembaca log transisi")
        verbose_name_plural = _("pembaca log transisi")

    def __str__(self):
        return f"{self.name} @ {self.position}"
