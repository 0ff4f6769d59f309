"""System checks: the demo gateway secrets are in motcua's public source, so outside the demo anyone could
sign a VNPay IPN or a bank credit with them and mark fees paid; and the demo's VNPay stand-in must never
be the gateway of a real deployment. At error level and outside `--deploy`, so
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
    "SEPAY_API_KEY": checks.Error(
        "SEPAY_API_KEY is the demo key published in motcua/settings.py: anyone can post a SePay credit "
        "notice with it and mark a fee paid.",
        hint="Set SEPAY_API_KEY to the API key entered in SePay's webhook settings, or leave it empty to "
        "refuse SePay's notices (DEMO=1 only on a demonstration machine).",
        id="payments.E003",
    ),
    "CASSO_WEBHOOK_SECRET": checks.Error(
        "CASSO_WEBHOOK_SECRET is the demo key published in motcua/settings.py: anyone can sign a Casso "
        "credit notice with it and mark a fee paid.",
        hint="Set CASSO_WEBHOOK_SECRET to the webhook's secret key shown by Casso, or leave it empty to "
        "refuse Casso's notices (DEMO=1 only on a demonstration machine).",
        id="payments.E004",
    ),
}
STANDIN = checks.Error(
    "VNPAY_URL names the VNPay stand-in of the demonstration, which is mounted only with DEMO=1: every "
    "payment would fail, and the stand-in confirms payments that nobody made.",
    hint="Set VNPAY_URL to VNPay's payment page (https://pay.vnpay.vn/vpcpay.html, or the sandbox).",
    id="payments.E005",
)


@checks.register(checks.Tags.security)
def check_no_demo_gateway_secrets(app_configs, **kwargs):
    if not _in_production():
        return []
    demo = getattr(settings, "DEMO_PAYMENTS", {})
    errors = [error for name, error in REFUSED.items() if demo.get(name) == getattr(settings, name, "") != ""]
    if getattr(settings, "VNPAY_STANDIN_PATH", "") in settings.VNPAY_URL or not settings.VNPAY_URL.startswith(
        ("https://", "http://")
    ):
        errors.append(STANDIN)
    return errors
