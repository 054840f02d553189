"""The admin: reference data, offices, and a read-only view of the lifecycle.

Nothing here changes a compliance state by hand: the actions call the service functions
with the signed-in user, whose office decides what is allowed (compliance.permissions).
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services, state_diagram
from .errors import DomainError
from .models import (
    AccessOrder,
    AccessOrderState,
    ComplianceCase,
    District,
    Event,
    EvidenceDocument,
    Office,
    OfficeHolding,
    Province,
    RecordingImport,
    RecordingReport,
    Regency,
    Remediation,
    RemediationStatement,
    SuspensionPeriod,
    SuspensionRequest,
    TransitionLog,
    Violation,
)
from .selectors import downtime_days


class ReadOnlyMixin:
    """Rows written only by the services: shown, never added, edited or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def run_per_object(modeladmin, request, objects, call, done):
    """Call a service for each object; report each refusal and the number done."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except DomainError as e:
            modeladmin.message_user(request, f"{obj}: {e.detail}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded}", messages.SUCCESS)


def _reason_form(modeladmin, request, queryset, action, title):
    """The intermediate page asking for a reason; None once the reason is given."""
    reason = (request.POST.get("reason") or "").strip()
    if reason:
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "objects": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "missing": "reason" in request.POST,
    }
    return TemplateResponse(request, "admin/compliance/action_reason.html", context)


# --- regions -------------------------------------------------------------------------


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone"]
    list_filter = ["time_zone"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "state"]
    list_filter = ["state", "kind", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]
    readonly_fields = ["state"]
    actions = ["clear", "reconnect"]

    @admin.action(description=_("Pulihkan kabupaten/kota terpilih"))
    def clear(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset,
            lambda r: services.clear_regency(regency=r, actor=request.user),
            _("Dipulihkan"),
        )

    # Restoring access is the network operators' to carry out (AccessOrderAdmin.execute):
    # a director accepts the remediation and orders it.
    @admin.action(description=_("Terima perbaikan dan perintahkan pemulihan akses SIAK"))
    def reconnect(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset,
            lambda r: services.reconnect_regency(regency=r, actor=request.user),
            _("Perintah pemulihan akses diterbitkan"),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "state_diagram": lifecycle_figure()}
        return super().changelist_view(request, extra_context=extra_context)


def lifecycle_figure():
    """The state diagram the console's regency page shows too (compliance.state_diagram),
    in the reader's language, no state highlighted; None when its file is missing."""
    return state_diagram.figure(
        layouts=("wide",),
        title=_("Compliance lifecycle"),
        description=", ".join(str(state_diagram.STATE_LABELS[s]) for s in state_diagram.STATES),
    )


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regency"]
    list_filter = ["regency__province"]
    search_fields = ["code", "name", "regency__name"]
    list_select_related = ["regency"]
    show_full_result_count = False


# --- offices -------------------------------------------------------------------------


class OfficeHoldingInline(admin.TabularInline):
    model = OfficeHolding
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "province", "regency", "email"]
    list_filter = ["kind", "province"]
    search_fields = ["title", "email", "regency__code", "regency__name", "province__code"]
    list_select_related = ["province", "regency"]
    raw_id_fields = ["province", "regency"]
    inlines = [OfficeHoldingInline]


# --- the lifecycle (read-only; changed through the services) -------------------------


class ViolationInline(ReadOnlyMixin, admin.TabularInline):
    model = Violation
    extra = 0
    fields = ["kind", "description", "legal_basis", "flagged_by", "flagged_at", "remediated_at"]
    readonly_fields = fields


@admin.register(ComplianceCase)
class ComplianceCaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["regency", "opened_at", "closed_at"]
    list_filter = ["regency__province"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency"]
    date_hierarchy = "opened_at"
    inlines = [ViolationInline]


@admin.register(SuspensionRequest)
class SuspensionRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["regency", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["regency__code", "regency__name", "reason"]
    list_select_related = ["regency", "requested_by", "decided_by"]
    actions = ["approve", "reject"]

    @admin.action(description=_("Setujui pemutusan akses"))
    def approve(self, request, queryset):
        run_per_object(
            self,
            request,
            queryset.select_related("regency"),
            lambda r: services.approve_suspension(request=r, actor=request.user),
            _("Disetujui; perintah pemutusan akses diterbitkan"),
        )

    @admin.action(description=_("Tolak pemutusan akses"))
    def reject(self, request, queryset):
        form = _reason_form(self, request, queryset, "reject", _("Alasan penolakan"))
        if form is not None:
            return form
        reason = request.POST["reason"].strip()
        run_per_object(
            self,
            request,
            queryset.select_related("regency"),
            lambda r: services.reject_suspension(request=r, actor=request.user, reason=reason),
            _("Ditolak"),
        )
        return None


@admin.register(AccessOrder)
class AccessOrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["regency", "kind", "state", "issued_at", "due_at", "executed_at", "reference"]
    list_filter = ["kind", "state"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency"]
    date_hierarchy = "issued_at"
    actions = ["execute"]

    @admin.action(description=_("Konfirmasi pelaksanaan"))
    def execute(self, request, queryset):
        """The selected orders were carried out now (network operators only)."""
        orders = queryset.select_related("regency")
        skipped = _("tidak menunggu pelaksanaan, dilewati")
        for order in orders.exclude(state=AccessOrderState.ISSUED):
            self.message_user(request, f"{order}: {skipped}", messages.WARNING)
        run_per_object(
            self,
            request,
            orders.filter(state=AccessOrderState.ISSUED),
            lambda o: services.execute_access_order(order=o, actor=request.user),
            _("Pelaksanaan dikonfirmasi"),
        )


@admin.register(SuspensionPeriod)
class SuspensionPeriodAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["regency", "started_at", "ended_at", "downtime"]
    list_filter = ["regency__province"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency"]

    @admin.display(description=_("hari terputus"))
    def downtime(self, obj):
        return downtime_days(obj.downtime())


class RemediationStatementInline(ReadOnlyMixin, admin.StackedInline):
    model = RemediationStatement
    extra = 0
    fields = ["violation", "statement", "evidence"]
    readonly_fields = fields


@admin.register(Remediation)
class RemediationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "status", "submitted_by", "submitted_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["case__regency__code", "case__regency__name"]
    list_select_related = ["case__regency", "submitted_by"]
    inlines = [RemediationStatementInline]


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    # The file itself is private: it is served only by views that check jurisdiction.
    fields = [
        "regency",
        "original_name",
        "description",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    list_display = ["original_name", "regency", "content_type", "size", "uploaded_at"]
    search_fields = ["regency__code", "regency__name", "original_name", "description"]
    list_select_related = ["regency"]


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "regency", "transition", "from_state", "to_state", "actor", "office"]
    list_filter = ["transition", "to_state"]
    search_fields = ["regency__code", "regency__name", "reason"]
    list_select_related = ["regency", "actor", "office"]
    date_hierarchy = "at"


# --- recording reports ---------------------------------------------------------------


@admin.register(RecordingReport)
class RecordingReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    # Written only by imports (all or nothing, every row checked): read here, never edited.
    list_display = ["district", "date", "obliged", "recorded", "printed"]
    search_fields = ["district__code", "district__name"]
    list_select_related = ["district"]
    date_hierarchy = "date"
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page


@admin.register(RecordingImport)
class RecordingImportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "status", "rows_written", "error_count", "created_by"]
    list_display += ["created_at", "finished_at"]
    list_filter = ["status", "format"]
    list_select_related = ["created_by"]
    exclude = ["file", "errors"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The feed, read-only: events are written by the services and never edited."""

    list_display = ["position", "type", "at", "regions"]
    list_filter = ["type"]
    search_fields = ["type"]
    readonly_fields = ["type", "at", "regions", "data", "position"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
