from django.contrib import admin

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "office", "cursor", "attempts", "failing_since", "disabled_at"]
    list_filter = ["disabled_at"]
    search_fields = ["url", "owner__username"]
    # The secret is shown once, to the owner, by the API; never here.
    exclude = ["secret", "previous_secret"]
    readonly_fields = ["cursor", "attempts", "next_attempt_at", "failing_since", "created_at"]

    def has_add_permission(self, request):
        return False  # created through the API, which shows the secret once


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subscription", "event", "attempt", "at", "status_code", "ok", "latency_ms"]
    list_filter = ["ok"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
