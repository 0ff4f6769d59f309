from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Phí, lệ phí và thanh toán")

    def ready(self):
        # Imported here, not at the top: models are not loaded yet when Django imports this module.
        from motcua.dossiers.api import DOSSIER_PARTS

        from .api import payment_summary

        DOSSIER_PARTS["payment"] = payment_summary
