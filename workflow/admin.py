from django import forms
from django.contrib import admin, messages

from compliance.errors import InvalidInput

from . import services
from .models import (
    Assignment,
    ClosureDay,
    Directive,
    EscalationPolicy,
    EscalationStep,
    Letter,
    LogConsumer,
    Notification,
    SanctionProposal,
)


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "description"]
    date_hierarchy = "date"
    search_fields = ["description"]


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0
    fields = [
        "order",
        "slug",
        "name",
        "name_en",
        "action",
        "anchor",
        "offset",
        "unit",
        "only_if_not_acknowledged",
        "to_assignee",
        "to_governor",
        "to_ministry",
        "recommendation",
        "legal_basis",
        "policy_choice",
    ]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default", "requires_programme_basis", "legal_basis"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EscalationStepInline]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["office", "state", "due_at", "acknowledged_at", "submitted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class DirectiveAdminForm(forms.ModelForm):
    class Meta:
        model = Directive
        # Not the state: protected, moved by its transitions only.
        fields = [
            "title",
            "body",
            "legal_basis",
            "document_kind",
            "programme_basis",
            "issuing_office",
            "created_by",
            "due_date",
            "priority",
            "policy",
            "scope_kind",
            "scope_province",
            "scope_regions",
            "origin_key",
        ]

    def clean(self):
        data = super().clean()
        policy = data.get("policy")
        try:  # the service's own rule: a sanction ladder needs its programme's instrument
            services.require_programme_basis(policy, data.get("programme_basis"))
        except InvalidInput as refused:
            raise forms.ValidationError({"programme_basis": refused.detail}) from refused
        return data


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    form = DirectiveAdminForm
    list_display = [
        "title",
        "issuing_office",
        "scope_kind",
        "due_date",
        "priority",
        "state",
        "issued_at",
    ]
    list_filter = ["state", "priority", "scope_kind", "policy", "document_kind"]
    search_fields = ["title", "legal_basis"]
    readonly_fields = ["state", "issued_at", "withdrawn_at", "created_by", "created_at"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["directive", "office", "province", "state", "due_at"]
    list_filter = ["state", "province"]
    search_fields = ["office__title", "directive__title", "regency__code"]
    list_select_related = ["directive", "office", "province"]
    readonly_fields = ["state", "issued_at", "acknowledged_at", "submitted_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["template", "recipient_email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "template"]
    search_fields = ["recipient_email", "dedupe_key", "message_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: numbers are taken by the sweep and never reused or edited."""

    list_display = ["number", "date", "signatory_office", "addressee_office"]
    list_filter = ["year"]
    search_fields = ["number", "addressee_office__title"]
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SanctionProposal)
class SanctionProposalAdmin(admin.ModelAdmin):
    """Read here; signed through workflow.proposals (the action below, the pages, the API),
    which refuses anyone but the signatory office; declined in the pages or the API, where
    the reason is written."""

    list_display = ["id", "assignment", "signatory_office", "state", "proposed_at", "letter"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in SanctionProposal._meta.fields]
    actions = ["sign"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Tandatangani usulan terpilih / sign the selected proposals")
    def sign(self, request, queryset):
        from compliance.errors import DomainError

        from .proposals import sign

        for proposal in queryset:
            try:
                letter = sign(proposal_id=proposal.pk, actor=request.user)
                self.message_user(request, f"{letter.number}", messages.SUCCESS)
            except DomainError as e:
                self.message_user(request, f"{proposal.pk}: {e.detail}", messages.ERROR)


@admin.register(LogConsumer)
class LogConsumerAdmin(admin.ModelAdmin):
    """How far workflow has followed the transition log (workflow.log_consumer): read
    only; the consumer alone moves it."""

    list_display = ["name", "position", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
