"""Equipment's messages: code -> (English, marked for gettext; Bahasa Indonesia), both with
%(name)s placeholders (compliance.i18n explains the mechanism; docs/api.md lists the codes).
A regency not found is compliance's code."""

from django.utils.translation import gettext_noop as _

from compliance.i18n import Message, catalogue

__all__ = ["MESSAGES", "Message"]

MESSAGES = catalogue(
    {
        "device_not_found": (_("Device %(pk)s not found"), "Perangkat %(pk)s tidak ditemukan"),
        "equipment_read_only": (
            _("Your office may only read the equipment"),
            "Jabatan Anda hanya dapat melihat perangkat",
        ),
        "invalid_choice": (
            _("'%(field)s' must be one of %(choices)s"),
            "'%(field)s' harus salah satu dari %(choices)s",
        ),
        "unknown_district_code": (
            _("unknown district code '%(code)s' (e.g. 15.02.01)"),
            "Kode kecamatan '%(code)s' tidak dikenal (contoh: 15.02.01)",
        ),
        "serial_number_required": (_("serial_number is required"), "Nomor seri wajib diisi"),
        "serial_number_taken": (
            _("serial number %(serial_number)s is already registered"),
            "Nomor seri %(serial_number)s sudah terdaftar",
        ),
        "device_status_not_allowed": (
            _("a device '%(from_status)s' cannot become '%(status)s'"),
            "Perangkat berstatus '%(from_status)s' tidak dapat menjadi '%(status)s'",
        ),
        # --- reasons the system records on a repair obligation's history ------------------
        "device_under_repair": (_("device under repair"), "Perangkat dalam perbaikan"),
        "device_repaired": (_("device repaired"), "Perangkat diperbaiki"),
        "device_decommissioned": (_("device decommissioned"), "Perangkat dihapuskan"),
    }
)
