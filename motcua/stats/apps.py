from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "motcua.stats"
    verbose_name = _("Thống kê")

    def ready(self):
        from motcua.dossiers.lifecycle import subscribe

        from . import services

        # Every action, inside its transaction: the summary rows move with what happened, or not at all.
        # No `actions=` filter: `rate` (the feedback app's satisfaction rating) may not be in the table yet.
        subscribe(services.record)
