from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who signs in and how: API tokens that expire, the second factor (TOTP) for the offices
    that cut access, reconnect, sign sanctions or administer users."""

    name = "accounts"
    verbose_name = _("Akun dan akses")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from compliance.signals import demo_loaded

        from . import (
            messages,  # noqa: F401  (registers accounts' message codes)
            schema,  # noqa: F401  (registers the API token scheme)
        )
        from .demo import on_demo_loaded

        user_logged_in.connect(_remember, dispatch_uid="accounts.second_factor")
        demo_loaded.connect(on_demo_loaded, dispatch_uid="accounts-demo")


def _remember(sender, request, user, **kwargs):
    """Every sign-in (pages, admin, the API's session login) notes whether the session
    needs a second factor."""
    from .middleware import remember

    if request is not None and hasattr(request, "session"):
        remember(request, user)
