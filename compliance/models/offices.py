"""Offices (jabatan) held over a region. Authority comes from the office, not the person."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .regions import Province, Regency

# A region's Dukcapil office, as seats' titles name it.
DINAS_DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


class OfficeKind(models.TextChoices):
    """The kinds of office, named as the state names them (the Indonesian is what seats'
    titles are made of: compliance.offices.new_office). Officers and directors are those
    of the Directorate General, each seat named after its holder's account: the system
    does not model the directorates (Pendaftaran Penduduk, Pencatatan Sipil, ...)."""

    MINISTER = "minister", _("Menteri Dalam Negeri")
    DIRECTOR_GENERAL = "director_general", _("Direktur Jenderal Kependudukan dan Pencatatan Sipil")
    MINISTRY_OFFICER = (
        "ministry_officer",
        _("Pejabat Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
    )
    MINISTRY_DIRECTOR = (
        "ministry_director",
        _("Direktur pada Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
    )
    GOVERNOR = "governor", _("Gubernur")
    PROVINCIAL_DUKCAPIL_HEAD = (
        "provincial_dukcapil_head",
        _("Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi"),
    )
    REGENT = "regent", _("Bupati")
    MAYOR = "mayor", _("Wali Kota")
    REGENCY_DUKCAPIL_HEAD = (
        "regency_dukcapil_head",
        _("Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten/Kota"),
    )
    AUDITOR = "auditor", _("Auditor Inspektorat Jenderal")
    # Those who carry out the cut and the restoration of a regency's SIAK access on the
    # central network (the Directorate General's data and network operations, or its
    # network system's account): they confirm access orders, they decide nothing.
    NETWORK_OPERATOR = (
        "network_operator",
        _("Operator Jaringan Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
    )


class Scope(models.TextChoices):
    NATIONAL = "national", _("nasional")
    PROVINCE = "province", _("provinsi")
    REGENCY = "regency", _("kabupaten/kota")


SCOPE_OF_KIND = {
    OfficeKind.MINISTER: Scope.NATIONAL,
    OfficeKind.DIRECTOR_GENERAL: Scope.NATIONAL,
    OfficeKind.MINISTRY_OFFICER: Scope.NATIONAL,
    OfficeKind.MINISTRY_DIRECTOR: Scope.NATIONAL,
    OfficeKind.AUDITOR: Scope.NATIONAL,
    OfficeKind.NETWORK_OPERATOR: Scope.NATIONAL,
    OfficeKind.GOVERNOR: Scope.PROVINCE,
    OfficeKind.PROVINCIAL_DUKCAPIL_HEAD: Scope.PROVINCE,
    OfficeKind.REGENT: Scope.REGENCY,
    OfficeKind.MAYOR: Scope.REGENCY,
    OfficeKind.REGENCY_DUKCAPIL_HEAD: Scope.REGENCY,
}
MINISTRY_KINDS = {
    OfficeKind.MINISTER,
    OfficeKind.DIRECTOR_GENERAL,
    OfficeKind.MINISTRY_OFFICER,
    OfficeKind.MINISTRY_DIRECTOR,
}


def with_lower_domain(address):
    """The address with its domain in lower case (none, or no domain: as it is)."""
    if not address or "@" not in address:
        return address
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


class OfficeEmailField(models.EmailField):
    """An address whose domain is stored in lower case, whichever way it was typed (a
    domain is case-insensitive, RFC 5321 section 2.4; the local part is left as it is), so
    that a query compares domains exactly: the console's "no address yet" panel finds the
    generated placeholders with a plain LIKE, which PostgreSQL estimates and runs without
    upper-casing every address."""

    def get_prep_value(self, value):
        return with_lower_domain(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = self.get_prep_value(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


class Office(models.Model):
    kind = models.CharField(_("jenis jabatan"), max_length=32, choices=OfficeKind.choices)
    title = models.CharField(_("nama jabatan"), max_length=200, unique=True)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="offices"
    )
    regency = models.ForeignKey(
        Regency, null=True, blank=True, on_delete=models.PROTECT, related_name="offices"
    )
    email = OfficeEmailField(_("surel resmi"), blank=True)
    # The holder's name as the region reported it (import_office_contacts), for the
    # signature block of letters when no user holding the seat has a name of his own.
    holder_name = models.CharField(_("nama pemangku"), max_length=200, blank=True)
    # The language the office's e-mails are written in (Bahasa Indonesia unless it asks
    # for English); copied onto each notification when it is written.
    language = models.CharField(
        _("bahasa surel"), max_length=5, choices=settings.LANGUAGES, default="id"
    )

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        constraints = [
            # Province is always filled for regional offices (the regency's province for
            # regency offices) so that "everything in Jambi" is one filter.
            models.CheckConstraint(
                name="office_region_matches_kind",
                condition=(
                    Q(kind__in=[k for k, s in SCOPE_OF_KIND.items() if s == Scope.NATIONAL])
                    & Q(province__isnull=True, regency__isnull=True)
                )
                | (
                    Q(kind__in=[k for k, s in SCOPE_OF_KIND.items() if s == Scope.PROVINCE])
                    & Q(province__isnull=False, regency__isnull=True)
                )
                | (
                    Q(kind__in=[k for k, s in SCOPE_OF_KIND.items() if s == Scope.REGENCY])
                    & Q(province__isnull=False, regency__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=[OfficeKind.MINISTER, OfficeKind.DIRECTOR_GENERAL]),
                name="one_national_seat_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "province"],
                condition=Q(kind__in=[OfficeKind.GOVERNOR, OfficeKind.PROVINCIAL_DUKCAPIL_HEAD]),
                name="one_provincial_seat_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "regency"],
                condition=Q(
                    kind__in=[OfficeKind.REGENT, OfficeKind.MAYOR, OfficeKind.REGENCY_DUKCAPIL_HEAD]
                ),
                name="one_regency_seat_per_kind",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def scope(self):
        return SCOPE_OF_KIND[self.kind]

    @property
    def is_ministry(self):
        return self.kind in MINISTRY_KINDS

    def covers(self, regency):
        """Whether this office's jurisdiction includes the regency."""
        if self.scope == Scope.NATIONAL:
            return True
        if self.scope == Scope.PROVINCE:
            return regency.province_id == self.province_id
        return regency.pk == self.regency_id


class HoldingQuerySet(models.QuerySet):
    def active(self, at=None):
        return self.on(timezone.localdate(at) if at else timezone.localdate())

    def on(self, day):
        """The holdings in force on that day."""
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class OfficeHolding(models.Model):
    """A person holding an office: definitive, or acting (Plt./Plh.) for a period."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="holdings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_holdings"
    )
    acting = models.BooleanField(_("pelaksana tugas (Plt./Plh.)"), default=False)
    starts_on = models.DateField(_("mulai"), default=timezone.localdate)
    ends_on = models.DateField(_("berakhir"), null=True, blank=True)

    objects = HoldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pemangku jabatan")
        verbose_name_plural = _("pemangku jabatan")
        constraints = [
            models.CheckConstraint(
                name="holding_ends_after_it_starts",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self):
        prefix = "Plt. " if self.acting else ""
        return f"{prefix}{self.office} — {self.user}"
