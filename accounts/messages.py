"""Accounts' messages: code -> (English, marked for gettext; Bahasa Indonesia), both with
%(name)s placeholders (compliance.i18n explains the mechanism; docs/api.md lists the codes)."""

from django.utils.translation import gettext_noop as _

from compliance.i18n import Message, catalogue

__all__ = ["MESSAGES", "Message"]

MESSAGES = catalogue(
    {
        "token_days": (
            _("a token lasts 1 to %(max_days)s days"),
            "Masa berlaku token 1..%(max_days)s hari",
        ),
        "token_name_invalid": (
            _(
                "invalid token name: %(name)s (lower-case letters, digits, dots, underscores "
                "or hyphens, at most 100 characters)"
            ),
            "Nama token tidak valid: %(name)s (huruf kecil, angka, titik, garis bawah atau "
            "tanda hubung, paling banyak 100 karakter)",
        ),
        "token_still_valid": (
            _("token '%(name)s' is still valid until %(expiry)s: rotate or revoke it first"),
            "Token '%(name)s' masih berlaku sampai %(expiry)s: putar (rotate) atau cabut dulu",
        ),
        "token_not_found": (
            _("no token '%(name)s' for %(user)s"),
            "Token '%(name)s' tidak ada untuk %(user)s",
        ),
        "token_cannot_issue": (
            _("a token cannot issue tokens; rotate this one"),
            "Token tidak dapat menerbitkan token; putar (rotate) token ini",
        ),
    }
)
