from django.contrib import admin

from .models import ClosureDay, EscalationPolicy, EscalationStep


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
        "action",
        "anchor",
        "offset",
        "unit",
        "only_if_not_acknowledged",
        "to_assignee",
        "to_governor",
        "to_ministry",
        "recommendation",
    ]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default", "legal_basis"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EscalationStepInline]
