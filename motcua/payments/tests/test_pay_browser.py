"""A citizen on a phone pays a fee: through a stand-in for VNPay's pages, and by VietQR with the bank's
webhook. The stand-in speaks VNPay's protocol (signed redirect, signed server-to-server IPN, signed
return), so the adapter under it is the production code."""

import hashlib
import hmac
import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import assert_accessible
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in
from motcua.payments import vnpay
from motcua.payments.models import PaymentRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "stand-in-secret"
WEBHOOK_SECRET = "stand-in-webhook"


class StandInGateway(BaseHTTPRequestHandler):
    """VNPay's payment page, reduced to what a payer does: pay or cancel."""

    ipn_url = ""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 — http.server's naming
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        if not vnpay.verify(params, hash_secret=SECRET):
            self._html(400, "<p>Sai chữ ký</p>")
            return
        amount = int(params["vnp_Amount"]) // 100
        query = urllib.parse.quote(url.query)
        hidden = f'<input type="hidden" name="q" value="{query}">'
        self._html(
            200,
            f"<main><h1>VNPay (mô phỏng)</h1><p>Số tiền: {amount:,} VND</p>"
            f'<form method="post" action="/pay">{hidden}<button>Thanh toán</button></form>'
            f'<form method="post" action="/cancel">{hidden}<button>Hủy</button></form></main>',
        )

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        request = dict(urllib.parse.parse_qsl(urllib.parse.unquote(form["q"])))
        paid = self.path == "/pay"
        result = {
            "vnp_Amount": request["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": request["vnp_OrderInfo"],
            "vnp_PayDate": "20261129101500",
            "vnp_ResponseCode": "00" if paid else "24",
            "vnp_TmnCode": request["vnp_TmnCode"],
            "vnp_TransactionNo": "14123456",
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_TxnRef": request["vnp_TxnRef"],
        }
        result["vnp_SecureHash"] = vnpay.sign(result, hash_secret=SECRET)
        encoded = urllib.parse.urlencode(result)
        with urllib.request.urlopen(f"{self.ipn_url}?{encoded}", timeout=10) as answer:  # server to server
            assert json.loads(answer.read())["RspCode"] in ("00", "02")
        self.send_response(302)
        self.send_header("Location", f"{request['vnp_ReturnUrl']}?{encoded}")
        self.end_headers()

    def _html(self, status, body):
        head = "<meta charset='utf-8'><link rel='icon' href='data:,'><title>VNPay</title>"
        data = f"<!doctype html><html lang='vi'>{head}{body}</html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def gateway(live_server, settings):
    StandInGateway.ipn_url = f"{live_server.url}/api/v1/payments/vnpay/ipn"
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.VNPAY_URL = f"http://127.0.0.1:{server.server_port}/paymentv2/vpcpay.html"
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": ["'self'", f"http://127.0.0.1:{server.server_port}"],
    }
    settings.VNPAY_TMN_CODE = "TEST0001"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.BANK_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield server
    server.shutdown()


@pytest.fixture
def awaiting_fee(catalogue, agency, citizen, desk, specialist, leader):
    agency.bank_bin, agency.bank_account, agency.bank_name = "970415", "113000000001", "VietinBank"
    agency.bank_account_name = "UBND XA VINH LINH"
    agency.save()
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    return dossiers.perform(
        dossier,
        "request_payment",
        by=specialist,
        note="Lệ phí",
        data={"amount_vnd": 15000, "reason": "Lệ phí cấp bản sao trích lục"},
    )


def sign_in(phone):
    phone.go("/dang-nhap/")
    phone.page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0912 345 678")
    phone.page.get_by_label("Mật khẩu").fill("demo-2026")
    phone.page.get_by_role("button", name="Đăng nhập").click()
    phone.page.wait_for_url("**/ho-so/")


def test_paying_through_vnpay_moves_the_dossier_on(phone, gateway, awaiting_fee):
    sign_in(phone)
    page = phone.page
    page.get_by_role("link", name="Xem cách nộp phí").click()
    assert "15.000 đồng" in page.locator("#nop-phi").inner_text()
    phone.screenshot("phone-pay-choices")
    assert_accessible(phone, "payment choices")
    page.get_by_role("button", name="Thanh toán qua VNPay").click()
    page.wait_for_url("**/paymentv2/vpcpay.html?**")
    page.get_by_role("button", name="Thanh toán").click()
    page.wait_for_url("**/thanh-toan/ket-qua/?**")
    assert "Thanh toán thành công." in page.locator("main").inner_text()
    page.get_by_role("link", name="Về hồ sơ của tôi").click()
    assert "Đang xử lý" in page.locator(".key").inner_text()
    assert "Đã nộp phí, lệ phí" in page.locator("main").inner_text()
    phone.screenshot("phone-paid")
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.status == Status.PROCESSING
    assert phone.errors == []


def test_a_cancelled_payment_offers_the_other_ways_at_once(phone, gateway, awaiting_fee):
    sign_in(phone)
    phone.go(awaiting_fee.get_absolute_url())
    phone.page.get_by_role("button", name="Thanh toán qua VNPay").click()
    phone.page.get_by_role("button", name="Hủy").click()
    phone.page.wait_for_url("**/thanh-toan/ket-qua/?**")
    assert "Bạn đã hủy giao dịch" in phone.page.locator("main").inner_text()
    phone.page.get_by_role("link", name="Về hồ sơ của tôi").click()
    panel = phone.page.locator("#nop-phi").inner_text()
    assert "Lần thanh toán trước chưa thành công" in panel and "Quét mã QR" in panel
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.status == Status.PAYMENT


def test_paying_by_vietqr_is_reconciled_by_the_banks_webhook(phone, gateway, awaiting_fee, live_server):
    sign_in(phone)
    phone.go(awaiting_fee.get_absolute_url())
    qr_width = phone.page.locator("#nop-phi img.qr").evaluate("img => img.naturalWidth")
    assert qr_width > 0
    reference = phone.page.locator("#ref").inner_text()
    assert reference == PaymentRequest.objects.get(dossier=awaiting_fee).reference
    phone.screenshot("phone-vietqr")
    body = json.dumps(
        {
            "id": "FT26333999",
            "account": "113000000001",
            "amount": 15000,
            "description": f"CT DEN:{reference} NGUYEN THI HUONG",
            "time": "2026-11-29T10:00:00+07:00",
        }
    )
    signature = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/payments/bank",
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Motcua-Signature": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["match"] == "matched"
    phone.page.reload()
    assert "Đang xử lý" in phone.page.locator(".key").inner_text()
    assert phone.errors == []
