from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Phí, lệ phí và thanh toán")

    def ready(self):
        from motcua.periodic.services import register

        from .jobs import PAYGOV_STATUS_EVERY, check_open_paygov_attempts

        # Payments through the national platform are confirmed only by asking it.
        register("paygov_status", check_open_paygov_attempts, every=PAYGOV_STATUS_EVERY)
