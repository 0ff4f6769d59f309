from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "motcua.outreach"
    verbose_name = _("Truyền thông, hỗ trợ người dân")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
