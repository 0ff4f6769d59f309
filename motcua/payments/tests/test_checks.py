"""The demo gateway secrets are published in motcua/settings.py: outside DEMO=1 and DEBUG=1 they stop the
start-up (system checks at error level), since anyone could sign an IPN or a bank credit with them."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.payments.checks import check_no_demo_gateway_secrets

pytestmark = pytest.mark.django_db  # `check` opens the database connection


@pytest.fixture
def production(settings):
    settings.DEBUG, settings.DEMO = False, False
    settings.SECRET_KEY = "kQ3v0m5L2cX9rW7tY1uB8nE4aZ6sD0fG2hJ5kL7pO9iU3yT1rE5wQ8"
    settings.ALLOWED_HOSTS = ["dichvucong.example.vn"]
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "VLINH001", "the-merchants-own-secret"
    settings.BANK_WEBHOOK_SECRET = "the-key-agreed-with-the-bank"
    return settings


def test_the_merchants_own_secrets_start(production):
    assert check_no_demo_gateway_secrets(None) == []


def test_no_gateway_configured_starts(production):
    production.VNPAY_TMN_CODE = production.VNPAY_HASH_SECRET = production.BANK_WEBHOOK_SECRET = ""

    assert check_no_demo_gateway_secrets(None) == []


def test_the_demo_vnpay_secret_stops_the_start_up(production):
    production.VNPAY_HASH_SECRET = production.DEMO_PAYMENTS["VNPAY_HASH_SECRET"]

    with pytest.raises(SystemCheckError, match=r"\(payments\.E001\) VNPAY_HASH_SECRET is the demo secret"):
        call_command("check")


def test_the_demo_bank_webhook_secret_stops_the_start_up(production):
    production.BANK_WEBHOOK_SECRET = production.DEMO_PAYMENTS["BANK_WEBHOOK_SECRET"]

    with pytest.raises(SystemCheckError, match=r"\(payments\.E002\) BANK_WEBHOOK_SECRET is the demo secret"):
        call_command("check")


@pytest.mark.parametrize("machine", ["DEBUG", "DEMO"])
def test_the_demo_may_keep_its_secrets(production, machine):
    production.VNPAY_HASH_SECRET = production.DEMO_PAYMENTS["VNPAY_HASH_SECRET"]
    production.BANK_WEBHOOK_SECRET = production.DEMO_PAYMENTS["BANK_WEBHOOK_SECRET"]
    setattr(production, machine, True)

    assert check_no_demo_gateway_secrets(None) == []
