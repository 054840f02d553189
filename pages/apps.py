from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Server-rendered pages for people. Depends on compliance and workflow, never
    the other way round; every action goes through their service functions."""

    name = "pages"
    verbose_name = _("Pages")
