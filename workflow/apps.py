from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Direktif dan eskalasi")

    def ready(self):
        from compliance.signals import (
            access_order_changed,
            demo_loaded,
            demo_past_loaded,
            regency_transitioned,
        )

        from . import messages  # noqa: F401  (registers workflow's message codes)
        from .access_orders import on_access_order_changed
        from .demo import on_demo_loaded, on_demo_past_loaded
        from .log_consumer import on_regency_transitioned
        from .signing import on_demo_loaded as make_demo_signing_keys
        from .timeline import record  # noqa: F401  (registers Assignment's event row)

        # A wake-up only: workflow follows the transition log (workflow.log_consumer).
        regency_transitioned.connect(on_regency_transitioned, dispatch_uid="workflow-remediation")
        access_order_changed.connect(on_access_order_changed, dispatch_uid="workflow-access")
        demo_loaded.connect(on_demo_loaded, dispatch_uid="workflow-demo")
        demo_past_loaded.connect(on_demo_past_loaded, dispatch_uid="workflow-demo-past")
        demo_loaded.connect(make_demo_signing_keys, dispatch_uid="workflow-demo-signing-keys")
