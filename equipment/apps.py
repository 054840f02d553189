from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipmentConfig(AppConfig):
    name = "equipment"
    verbose_name = _("Perangkat KTP-el")

    def ready(self):
        from compliance.signals import demo_past_loaded

        from . import messages  # noqa: F401  (registers equipment's message codes)
        from .demo import on_demo_past_loaded

        demo_past_loaded.connect(on_demo_past_loaded, dispatch_uid="equipment-demo")
