from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .bundles import stop_dependents
        from .lifecycle import subscribe

        # A part of a joined-up filing that ends without its result stops the parts that wait for it.
        subscribe(stop_dependents, actions=["refuse", "stop", "stop_part", "withdraw"])
