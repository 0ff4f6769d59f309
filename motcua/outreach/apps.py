from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "motcua.outreach"
    verbose_name = _("Truyền thông, hỗ trợ người dân")

    def ready(self):
        from motcua.dossiers.lifecycle import subscribe

        from . import (
            checks,  # noqa: F401 - registers the system checks
            uptake,
        )

        subscribe(uptake.count_filing, actions=["submit"])  # a filing in a tagged request is counted
