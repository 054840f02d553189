from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Direktif dan eskalasi")

    def ready(self):
        from compliance.signals import regency_transitioned

        from .remediation import on_regency_transitioned

        regency_transitioned.connect(on_regency_transitioned, dispatch_uid="workflow-remediation")
