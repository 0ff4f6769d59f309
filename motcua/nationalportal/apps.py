from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalPortalConfig(AppConfig):
    name = "motcua.nationalportal"
    verbose_name = _("Đồng bộ Cổng DVCQG")

    def ready(self):
        from motcua.dossiers.lifecycle import subscribe
        from motcua.periodic.services import register

        from . import services

        subscribe(services.record_sync)
        subscribe(services.enqueue_sync, after_commit=True)
        # Hands over records whose task was lost, whose retry could not be deferred, whose worker died,
        # and those kept while the portal was not configured.
        register("sweep_national_portal", services.sweep, every=60)
