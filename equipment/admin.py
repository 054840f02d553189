"""The admin shows the register; every status change goes through equipment.services with
the signed-in user, whose office decides what is allowed (as in the API)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.admin import ReadOnlyMixin, run_per_object

from . import services
from .models import Breakdown, Device, DeviceStatus, StatusChange


class StatusChangeInline(ReadOnlyMixin, admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "office", "note"]
    readonly_fields = fields


class BreakdownInline(ReadOnlyMixin, admin.TabularInline):
    model = Breakdown
    extra = 0
    fields = ["started_at", "ended_at"]
    readonly_fields = fields


def _status_action(status, description, done):
    def action(modeladmin, request, queryset):
        run_per_object(
            modeladmin,
            request,
            queryset,
            lambda d: services.change_device_status(device=d, actor=request.user, status=status),
            done,
        )

    action.__name__ = f"mark_{status}"
    return admin.action(description=description)(action)


@admin.register(Device)
class DeviceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Devices are registered through the API or the console (with their first history
    row); here they are read, and their status changed by the actions."""

    list_display = ["serial_number", "kind", "funded_by", "status", "district"]
    list_filter = ["status", "kind", "funded_by", "district__regency__province"]
    search_fields = ["serial_number", "district__code", "district__name"]
    list_select_related = ["district"]
    show_full_result_count = False
    inlines = [StatusChangeInline, BreakdownInline]
    actions = [
        _status_action(DeviceStatus.BROKEN, _("Laporkan rusak"), _("Dilaporkan rusak")),
        _status_action(DeviceStatus.UNDER_REPAIR, _("Mulai perbaikan"), _("Dalam perbaikan")),
        _status_action(DeviceStatus.OPERATIONAL, _("Tandai berfungsi kembali"), _("Diperbaiki")),
    ]
