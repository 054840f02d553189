"""Directives: what the ministry or a governor orders, and to whom (its scope)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .policies import EscalationPolicy


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
