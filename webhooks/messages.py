"""Webhooks' messages: code -> (English, marked for gettext; Bahasa Indonesia), both with
%(name)s placeholders (compliance.i18n explains the mechanism; docs/api.md lists the codes)."""

from django.utils.translation import gettext_noop as _

from compliance.i18n import Message, catalogue

__all__ = ["MESSAGES", "Message"]

MESSAGES = catalogue(
    {
        "subscription_not_found": (
            _("subscription %(pk)s not found"),
            "Langganan %(pk)s tidak ditemukan",
        ),
        "not_event_types": (
            _("not an event type: %(types)s"),
            "Jenis peristiwa tidak dikenal: %(types)s",
        ),
        "not_region_codes": (
            _("not a region code: %(codes)s"),
            "Kode wilayah tidak sah: %(codes)s",
        ),
        # --- receiver addresses refused (webhooks.http) --------------------------------
        "receiver_not_https": (
            _("the receiver's address must be https:// (%(url)s)"),
            "Alamat penerima harus https:// (%(url)s)",
        ),
        "receiver_credentials": (
            _("no credentials in the address"),
            "Alamat penerima tanpa nama pengguna",
        ),
        "receiver_unresolved": (
            _("%(host)s does not resolve (%(error)s)"),
            "Nama %(host)s tidak dapat di-resolve (%(error)s)",
        ),
        "receiver_not_public": (
            _(
                "%(host)s resolves to a non-public address (%(address)s): loopback, private "
                "and link-local targets are refused"
            ),
            "%(host)s menunjuk alamat non-publik %(address)s",
        ),
        # --- the reason a subscription was switched off (stored) -------------------------
        "failing_since": (
            _("failing since %(since)s UTC"),
            "Gagal terus sejak %(since)s UTC",
        ),
    }
)
