from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhook"

    def ready(self):
        from . import messages  # noqa: F401  (registers webhooks' message codes)
