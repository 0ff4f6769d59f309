"""System checks: the demo gateway secrets are in motcua's public source, so outside the demo anyone could
sign a VNPay IPN or a bank credit with them and mark fees paid. At error level and outside `--deploy`, so
every `manage.py` command and the WSGI server refuse to start (skipped with DEMO=1 or DEBUG=1)."""

from django.conf import settings
from django.core import checks


def _in_production() -> bool:
    return not (settings.DEBUG or getattr(settings, "DEMO", False))


REFUSED = {
    "VNPAY_HASH_SECRET": checks.Error(
        "VNPAY_HASH_SECRET is the demo secret published in motcua/settings.py: anyone can sign a VNPay IPN "
        "with it and mark a fee paid.",
        hint="Set VNPAY_TMN_CODE and VNPAY_HASH_SECRET to the merchant's own values from VNPay, or leave "
        "both empty to hide VNPay (DEMO=1 only on a demonstration machine).",
        id="payments.E001",
    ),
    "BANK_WEBHOOK_SECRET": checks.Error(
        "BANK_WEBHOOK_SECRET is the demo secret published in motcua/settings.py: anyone can post a signed "
        "bank credit with it and mark a fee paid.",
        hint="Set BANK_WEBHOOK_SECRET to the long random key agreed with the bank, or leave it empty to "
        "refuse every credit notice (DEMO=1 only on a demonstration machine).",
        id="payments.E002",
    ),
}


@checks.register(checks.Tags.security)
def check_no_demo_gateway_secrets(app_configs, **kwargs):
    if not _in_production():
        return []
    demo = getattr(settings, "DEMO_PAYMENTS", {})
    return [error for name, error in REFUSED.items() if demo.get(name) == getattr(settings, name) != ""]
