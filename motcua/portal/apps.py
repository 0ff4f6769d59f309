from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Cổng thông tin")

    def ready(self):
        from . import checks  # noqa: F401 - registers the site's production checks
