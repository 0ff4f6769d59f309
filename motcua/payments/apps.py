from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    verbose_name = _("Phí, lệ phí và thanh toán")

    def ready(self):
        # Imported here, not at the top: models are not loaded yet when Django imports this module.
        from motcua.dossiers.api import DOSSIER_PARTS
        from motcua.dossiers.lifecycle import subscribe
        from motcua.dossiers.panels import add_panel
        from motcua.dossiers.reading import PART_COLUMNS
        from motcua.periodic.services import register

        from . import (
            checks,  # noqa: F401 - registers the system checks
            receipts,
            services,
        )
        from .api import payment_columns, payment_from_columns, payment_summary
        from .jobs import PAYGOV_STATUS_EVERY, check_open_paygov_attempts

        subscribe(services.open_request, actions=["submit", "request_payment"])
        subscribe(services.settle_in_cash, actions=["confirm_payment"])
        # A dossier that ends without its result: the fee still asked is cancelled, one paid is refunded.
        subscribe(services.settle_on_closing, actions=["refuse", "stop", "stop_part", "withdraw"])
        add_panel("payments/_panel.html", services.payment_panel)
        # Every payment recorded gets its e-receipt (after the cash is recorded: subscribed second).
        subscribe(receipts.on_payment, actions=["confirm_payment", "payment_received"])
        add_panel("payments/_receipt.html", receipts.receipt_panel)
        register("receipt_retry", receipts.retry_due, every=receipts.RETRY_EVERY)
        DOSSIER_PARTS["payment"] = payment_summary
        PART_COLUMNS["payment"] = (payment_columns, payment_from_columns)  # the same, read with the dossier
        # Payments through the national platform are confirmed only by asking it.
        register("paygov_status", check_open_paygov_attempts, every=PAYGOV_STATUS_EVERY)
