"""Under `make run` (DEMO=1) the VNPay button goes to a stand-in on this very site that speaks VNPay's
protocol, so a demonstration pays end to end without leaving the machine and the production adapter
(vnpay.py, services.start_vnpay, handle_vnpay_ipn) runs unchanged. Never in production: not mounted
without DEMO=1, refused with a real merchant secret, and a VNPAY_URL naming it stops the start-up."""

import importlib
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import Resolver404, clear_url_caches, resolve

from bench.weight import page_weight
from conftest import assert_accessible
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import BIRTH_FORM, file_birth
from motcua.payments import vnpay
from motcua.payments.models import Attempt, PaymentRequest

STANDIN = "/thu-nghiem/vnpay/paymentv2/vpcpay.html"
LATE = {**BIRTH_FORM, "child_birth_date": "2025-01-05"}  # a late birth registration: 8.000 đồng at filing


def _reload_urls() -> None:
    """Read the site's URLconf again, as a start-up with the current DEMO setting would."""
    importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def demo(settings):
    """This machine as `make run` starts it: DEMO=1, the demo merchant, VNPAY_URL naming the stand-in."""
    settings.DEMO = True
    settings.VNPAY_URL = settings.VNPAY_STANDIN_PATH
    settings.VNPAY_TMN_CODE = settings.DEMO_PAYMENTS["VNPAY_TMN_CODE"]
    settings.VNPAY_HASH_SECRET = settings.DEMO_PAYMENTS["VNPAY_HASH_SECRET"]
    _reload_urls()
    yield settings
    settings.DEMO = False
    _reload_urls()


def _payment_url(client, citizen, dossier) -> str:
    client.force_login(citizen)
    answer = client.post(f"/ho-so/{dossier.code}/thanh-toan/vnpay/")
    assert answer.status_code == 302
    return answer["Location"]


@pytest.mark.django_db
def test_without_demo_the_standin_is_not_there(client, citizen):
    with pytest.raises(Resolver404):
        resolve(STANDIN)
    client.force_login(citizen)
    assert client.get(STANDIN).status_code == 404


@pytest.mark.django_db
def test_under_demo_the_vnpay_button_leads_to_the_standin_with_a_signed_vnpay_url(
    client, demo, catalogue, agency, citizen
):
    dossier = file_birth(citizen, agency, form=LATE)

    url = _payment_url(client, citizen, dossier)

    assert url.startswith(f"http://testserver{STANDIN}?")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert vnpay.verify(params, hash_secret="demo-vnpay-secret")
    assert (params["vnp_TmnCode"], params["vnp_Amount"], params["vnp_Command"]) == (
        "DEMO0001",
        "800000",
        "pay",
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "8.000 đồng" in page.text and "Thanh toán thành công" in page.text and "mô phỏng" in page.text
    assert page_weight(client, url)["total"] <= 14 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change", [{"vnp_Amount": "100"}, {"vnp_TmnCode": "OTHER001"}, {"vnp_SecureHash": "00"}]
)
def test_the_standin_refuses_a_payment_url_changed_after_signing(
    client, demo, catalogue, agency, citizen, change
):
    dossier = file_birth(citizen, agency, form=LATE)
    url = urllib.parse.urlsplit(_payment_url(client, citizen, dossier))
    params = {**dict(urllib.parse.parse_qsl(url.query)), **change}

    page = client.get(f"{url.path}?{urllib.parse.urlencode(params)}")

    assert page.status_code == 400
    assert "VNPay từ chối giao dịch này" in page.text and "Thanh toán thành công" not in page.text


@pytest.mark.django_db
def test_the_standin_refuses_to_sign_with_a_real_merchants_secret(client, demo, catalogue, agency, citizen):
    demo.VNPAY_HASH_SECRET = "the-merchants-own-secret"
    dossier = file_birth(citizen, agency, form=LATE)

    url = _payment_url(client, citizen, dossier)

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_when_the_ipn_cannot_be_reached_the_standin_says_so_and_nothing_is_paid(
    client, demo, catalogue, agency, citizen
):
    # The test client is no server: the stand-in's server-to-server call finds nobody at testserver.
    dossier = file_birth(citizen, agency, form=LATE)
    url = urllib.parse.urlsplit(_payment_url(client, citizen, dossier))
    params = dict(urllib.parse.parse_qsl(url.query))

    page = client.post(url.path, {**params, "ket_qua": "thanh-cong"})

    assert page.status_code == 502 and "Không báo được kết quả cho đơn vị thu tiền" in page.text
    assert Attempt.objects.get().state == "started"
    dossier.refresh_from_db()
    assert dossier.fee_pending is True


@pytest.mark.django_db
def test_a_vnpay_url_naming_the_standin_stops_a_production_start_up(settings):
    settings.DEBUG, settings.DEMO = False, False
    settings.SECRET_KEY = "kQ3v0m5L2cX9rW7tY1uB8nE4aZ6sD0fG2hJ5kL7pO9iU3yT1rE5wQ8"
    settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET = "VLINH001", "the-merchants-own-secret"
    settings.BANK_WEBHOOK_SECRET = "the-key-agreed-with-the-bank"
    settings.VNPAY_URL = settings.VNPAY_STANDIN_PATH

    with pytest.raises(SystemCheckError, match=r"\(payments\.E005\) VNPAY_URL names the VNPay stand-in"):
        call_command("check")


# --- the whole journey, in the browser ------------------------------------------------------------------


def sign_in(phone):
    phone.go("/dang-nhap/")
    phone.page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0912 345 678")
    phone.page.get_by_label("Mật khẩu").fill("demo-2026")
    phone.page.get_by_role("button", name="Đăng nhập").click()
    phone.page.wait_for_url("**/ho-so/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_fee_asked_at_filing_is_paid_through_the_standin_and_the_dossier_moves_on(
    phone, demo, catalogue, agency, citizen
):
    dossier = file_birth(citizen, agency, form=LATE)
    sign_in(phone)
    page = phone.page
    assert dossier.code in page.locator("#h-act + ul").inner_text()  # "Cần bạn xử lý": the fee

    page.get_by_role("link", name="Xem cách nộp phí").click()
    page.get_by_role("button", name="Thanh toán qua VNPay").click()
    page.wait_for_url(f"**{STANDIN}?**")
    assert "8.000 đồng" in page.locator("main").inner_text()
    phone.screenshot("phone-vnpay-standin")
    assert_accessible(phone, "VNPay stand-in")
    page.get_by_role("button", name="Thanh toán thành công").click()

    page.wait_for_url("**/thanh-toan/ket-qua/?**")
    assert "Thanh toán thành công." in page.locator("main").inner_text()
    assert_accessible(phone, "payment result")
    page.get_by_role("link", name="Về hồ sơ của tôi").click()
    assert "Đã nộp phí, lệ phí" in page.locator("#nop-phi").inner_text()
    phone.screenshot("phone-paid-through-standin")
    phone.go("/ho-so/")
    assert page.locator("#h-act").count() == 0  # nothing waits for the citizen any more
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_pending) == (Status.NEW, False)
    assert PaymentRequest.objects.get(dossier=dossier).state == "paid"
    assert Attempt.objects.get().transaction_no  # VNPay's number, recorded from the IPN
    paid = dossier.messages.get(kind="dossier.paid", channel="sms")
    assert (
        paid.text == f"Đã nhận 8.000 đồng cho hồ sơ {dossier.code} (VNPay). Hồ sơ tiếp tục được giải quyết."
    )
    assert phone.errors == []
