from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from motcua.periodic.services import register

        from . import checks  # noqa: F401 - registers the system checks
        from .services import sweep

        # Re-queues messages whose task was lost or whose worker died mid-send.
        register("sweep_outbox", sweep, every=60)
