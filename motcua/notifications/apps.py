from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from motcua.accounts.services import set_code_sender
        from motcua.dossiers.lifecycle import subscribe
        from motcua.periodic.services import register

        from . import (
            checks,  # noqa: F401 - registers the system checks
            services,
        )

        subscribe(services.record_messages)
        subscribe(services.enqueue_messages, after_commit=True)
        set_code_sender(services.text_code)
        # Re-queues messages whose task was lost or whose worker died mid-send.
        register("sweep_outbox", services.sweep, every=60)
