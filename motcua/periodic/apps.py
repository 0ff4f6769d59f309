from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "motcua.periodic"
    verbose_name = _("Việc định kỳ")

    def ready(self):
        from . import heartbeat
        from .services import register

        register("heartbeat", heartbeat.tick, every=60)
