from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Kepatuhan daerah")

    def ready(self):
        from . import (
            instants,
            messages,  # noqa: F401  (registers compliance's message codes)
        )

        instants.connect()  # instants read in C on PostgreSQL (compliance.instants)
