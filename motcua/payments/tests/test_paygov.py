"""The national payment platform: INIT and QUERY messages, their MaXacThuc, and the client against a
local stand-in for the platform that checks the token and the MaXacThuc of every request it receives."""

import datetime as dt
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from motcua.payments.paygov import (
    STATUS_PAID,
    PaygovClient,
    PaygovError,
    confirmation_mac,
    init_message,
    status_query_message,
    verify_confirmation,
)

PARTNER = "000.20.44.H54"
SECRET = "platform-secret-for-tests"
TOKEN = "platform-access-token"
REFERENCE = "dvc0002044H542611200001" + "20261120150509"
WHEN = dt.datetime(2026, 11, 20, 8, 5, 9, tzinfo=dt.UTC)  # 15:05:09 in Vietnam: checks the 24-hour clock
PAY_URL = "https://thanhtoan.dichvucong.gov.vn/payment?token=abc"
RECEIPT = {
    "MaTTHC": "1.001193",
    "TenTTHC": "Thủ tục đăng ký khai sinh",
    "MaDVC": "1.001193.01",
    "TenDVC": "Thủ tục đăng ký khai sinh",
    "MaDonVi": "000.20.44.H54",
    "TenDonVi": "Ủy ban nhân dân xã Vĩnh Linh",
    "MaHoSo": "000.20.44.H54-261120-0001",
    "TKThuHuong": "0011001234567",
    "MaNHThuHuong": "970436",
    "TenTKThuHuong": "UBND XA VINH LINH",
    "HoTenNguoiNop": "Nguyễn Thị Hường",
    "SoCMNDNguoiNop": "044190000123",
    "DiaChiNguoiNop": "Xã Vĩnh Linh, tỉnh Quảng Trị",
    "NoiDungThanhToan": "THANH TOAN HO SO 000.20.44.H54-261120-0001",
    "PhiLePhi": [
        {"LoaiPhiLePhi": "LePhi", "MaPhiLePhi": "1.001193.01", "TenPhiLePhi": "Lệ phí", "SoTien": 8000}
    ],
    "DSKhoanNop": [{"NoiDung": "Lệ phí đăng ký khai sinh", "SoTien": 8000}],
}
INIT_ARGS = {
    "reference": REFERENCE,
    "amount_vnd": 8000,
    "transaction_info": "THANH TOAN HO SO 000.20.44.H54-261120-0001",
    "when": WHEN,
    "ip": "203.113.135.1",
    "receipt": RECEIPT,
}


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- messages -------------------------------------------------------------------------------------------
def test_init_message_carries_the_fixed_fields_and_an_independently_computed_mac():
    message = init_message(partner_code=PARTNER, secret=SECRET, **INIT_ARGS)

    expected_mac = sha256_hex(
        "INIT|1.0.6|000.20.44.H54|dvc0002044H54261120000120261120150509|8000|PAY|1|1|vi-VN|VND|PAYMENT"
        "|THANH TOAN HO SO 000.20.44.H54-261120-0001|20261120150509|203.113.135.1|platform-secret-for-tests"
    )
    assert {k: v for k, v in message.items() if k != "ThongTinBienLai"} == {
        "LoaiBanTin": "INIT",
        "PhienBan": "1.0.6",
        "MaDoiTac": "000.20.44.H54",
        "MaThamChieu": REFERENCE,
        "SoTien": "8000",
        "LoaiHinhThanhToan": "PAY",
        "MaKenhThanhToan": "1",
        "MaThietBi": "1",
        "NgonNgu": "vi-VN",
        "MaTienTe": "VND",
        "MaNganHang": "PAYMENT",
        "ThongTinGiaoDich": "THANH TOAN HO SO 000.20.44.H54-261120-0001",
        "ThoiGianGD": "20261120150509",
        "Ip": "203.113.135.1",
        "MaXacThuc": expected_mac,
    }


def test_init_message_receipt_defaults_to_fees_and_sends_amounts_as_strings():
    receipt = init_message(partner_code=PARTNER, secret=SECRET, **INIT_ARGS)["ThongTinBienLai"]

    assert receipt["MaDichVu"] == "2"
    assert receipt["MaHoSo"] == "000.20.44.H54-261120-0001"
    assert receipt["PhiLePhi"] == [
        {"LoaiPhiLePhi": "LePhi", "MaPhiLePhi": "1.001193.01", "TenPhiLePhi": "Lệ phí", "SoTien": "8000"}
    ]
    assert receipt["DSKhoanNop"] == [{"NoiDung": "Lệ phí đăng ký khai sinh", "SoTien": "8000"}]
    assert RECEIPT["PhiLePhi"][0]["SoTien"] == 8000  # the caller's dict is not changed


def test_status_query_message_and_its_mac():
    message = status_query_message(partner_code=PARTNER, secret=SECRET, reference=REFERENCE, when=WHEN)

    assert message == {
        "LoaiBanTin": "QUERY",
        "PhienBan": "1.0.6",
        "MaDoiTac": "000.20.44.H54",
        "MaThamChieu": REFERENCE,
        "ThoiGianGD": "20261120150509",
        "MaXacThuc": sha256_hex(
            "QUERY|1.0.6|000.20.44.H54|dvc0002044H54261120000120261120150509|20261120150509"
            "|platform-secret-for-tests"
        ),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"when": dt.datetime(2026, 11, 20, 15, 5, 9)}, "aware datetime"),
        ({"amount_vnd": 0}, "SoTien must be a positive whole number"),
        ({"amount_vnd": 8000.5}, "SoTien must be a positive whole number"),
        ({"reference": ""}, "reference"),
        ({"ip": "not-an-ip"}, "Ip must be an IP address"),
        ({"transaction_info": "HO SO|8000"}, "may contain '|'"),
        ({"receipt": {**RECEIPT, "MaHoso": "typo"}}, "unknown fields \\(a typo\\?\\): MaHoso"),
        ({"amount_vnd": 9000}, "PhiLePhi amounts do not add up to SoTien 9000"),
        (
            {"receipt": {**RECEIPT, "DSKhoanNop": [{"NoiDung": "Lệ phí", "SoTien": -8000}]}},
            "DSKhoanNop\\[\\].SoTien must be a positive",
        ),
    ],
)
def test_invalid_init_messages_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        init_message(partner_code=PARTNER, secret=SECRET, **{**INIT_ARGS, **change})


def test_init_message_needs_a_secret():
    with pytest.raises(ValueError, match="secret"):
        init_message(partner_code=PARTNER, secret="", **INIT_ARGS)


# --- the platform's confirmation ------------------------------------------------------------------------
CONFIRMATION = {
    "LoaiBanTin": "CONFIRM",
    "MaLoi": "00",
    "MaDoiTac": PARTNER,
    "MaThamChieu": REFERENCE,
    "SoTien": 8000,
    "MaTienTe": "VND",
    "MaGiaoDich": "PG2611200000123",
    "MaNganHang": "970436",
    "ThoiGianGD": "20261120150812",
    "ThongTinGiaoDich": "THANH TOAN HO SO 000.20.44.H54-261120-0001",
}


def signed_confirmation(**changes) -> dict:
    message = {**CONFIRMATION, **changes}
    text = (
        f"CONFIRM|00|000.20.44.H54|{REFERENCE}|8000|VND|PG2611200000123|970436|20261120150812"
        f"|THANH TOAN HO SO 000.20.44.H54-261120-0001|{SECRET}"
    )
    return {**message, "MaXacThuc": sha256_hex(text)}


def test_confirmation_mac_follows_the_documented_field_order():
    assert confirmation_mac(CONFIRMATION, secret=SECRET) == signed_confirmation()["MaXacThuc"]


def test_a_genuine_confirmation_is_accepted():
    assert verify_confirmation(signed_confirmation(), secret=SECRET)


@pytest.mark.parametrize(
    "message",
    [
        signed_confirmation(SoTien=800),
        signed_confirmation(MaThamChieu="dvc-another"),
        signed_confirmation(MaLoi="01"),
        {**signed_confirmation(), "MaXacThuc": None},
        {k: v for k, v in signed_confirmation().items() if k != "MaXacThuc"},
        signed_confirmation(ThongTinGiaoDich="A|B"),
    ],
    ids=["amount", "reference", "error-code", "null-mac", "no-mac", "pipe"],
)
def test_an_altered_confirmation_is_rejected(message):
    assert not verify_confirmation(message, secret=SECRET)


def test_a_confirmation_under_another_secret_is_rejected():
    assert not verify_confirmation(signed_confirmation(), secret="another-secret")


# --- a local stand-in for the platform ------------------------------------------------------------------
class StandIn:
    """What the stand-in platform does next ("ok", "error", "http500", "malformed", "slow", "no-url",
    "javascript-url", "enveloped-status") and what it has received."""

    def __init__(self):
        self.mode = "ok"
        self.received: list[dict] = []
        self.release = threading.Event()

    def expected_mac(self, body: dict) -> str:
        # Recomputed here from the documented field lists, not with paygov.py.
        if body.get("LoaiBanTin") == "INIT":
            fields = "LoaiBanTin PhienBan MaDoiTac MaThamChieu SoTien LoaiHinhThanhToan MaKenhThanhToan "
            fields += "MaThietBi NgonNgu MaTienTe MaNganHang ThongTinGiaoDich ThoiGianGD Ip"
        else:
            fields = "LoaiBanTin PhienBan MaDoiTac MaThamChieu ThoiGianGD"
        return sha256_hex("|".join([*(str(body[f]) for f in fields.split()), SECRET]))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def answer_json(self, payload: dict) -> None:
        self.answer(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def do_POST(self):
        stand_in: StandIn = self.server.stand_in
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        stand_in.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, b'{"error":"unauthorized"}')
        if body.get("MaXacThuc") != stand_in.expected_mac(body):
            return self.answer_json({"error_code": "97", "message": "Sai mã xác thực"})
        if stand_in.mode == "slow":
            stand_in.release.wait(5)
        if stand_in.mode == "error":
            return self.answer_json({"error_code": "12", "message": "Mã đối tác không hợp lệ"})
        if stand_in.mode == "http500":
            return self.answer(500, b"Internal Server Error", "text/plain")
        if stand_in.mode == "malformed":
            return self.answer(200, b"<html><body>Bao tri he thong</body></html>", "text/html")
        if self.path == "/api/v1/init":
            url = {"no-url": None, "javascript-url": "javascript:alert(1)"}.get(stand_in.mode, PAY_URL)
            result = {"MaThamChieu": body["MaThamChieu"], "UrlThanhToan": url}
            return self.answer_json({"error_code": "0", "message": json.dumps(result)})
        if self.path == "/api/v1/query":
            record = {
                "LoaiBanTin": "QUERY",
                "MaLoi": "00",
                "MaThamChieu": body["MaThamChieu"],
                "TrangThaiGD": "1",
                "SoTien": 8000,
                "MaGiaoDich": "PG2611200000123",
            }
            if stand_in.mode == "enveloped-status":
                return self.answer_json({"error_code": "0", "message": json.dumps(record)})
            return self.answer_json(record)
        return self.answer(404, b'{"error":"not found"}')


@pytest.fixture
def platform():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.stand_in = StandIn()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.stand_in.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def client_for(server, **options) -> PaygovClient:
    host, port = server.server_address
    return PaygovClient(
        f"http://{host}:{port}/api/v1/",
        options.pop("token", TOKEN),
        PARTNER,
        options.pop("secret", SECRET),
        **options,
    )


def test_init_returns_the_payment_url(platform):
    url = client_for(platform).init(**INIT_ARGS)

    assert url == PAY_URL
    [request] = platform.stand_in.received
    assert request["path"] == "/api/v1/init"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["body"]["ThongTinBienLai"]["HoTenNguoiNop"] == "Nguyễn Thị Hường"


def test_init_refused_by_the_platform_raises_its_code_and_message(platform):
    platform.stand_in.mode = "error"

    with pytest.raises(PaygovError) as raised:
        client_for(platform).init(**INIT_ARGS)

    assert (raised.value.code, raised.value.message) == ("12", "Mã đối tác không hợp lệ")


def test_init_with_a_wrong_secret_is_refused_by_the_platform(platform):
    with pytest.raises(PaygovError) as raised:
        client_for(platform, secret="wrong-secret").init(**INIT_ARGS)

    assert raised.value.code == "97"


def test_init_with_a_wrong_token_raises_http_401(platform):
    with pytest.raises(PaygovError) as raised:
        client_for(platform, token="expired").init(**INIT_ARGS)

    assert raised.value.code == "http_401"


def test_http_500_raises_without_leaking_secrets(platform):
    platform.stand_in.mode = "http500"

    with pytest.raises(PaygovError) as raised:
        client_for(platform).init(**INIT_ARGS)

    assert raised.value.code == "http_500"
    assert SECRET not in str(raised.value) and TOKEN not in str(raised.value)


def test_an_answer_that_is_not_json_raises_bad_response(platform):
    platform.stand_in.mode = "malformed"

    with pytest.raises(PaygovError) as raised:
        client_for(platform).init(**INIT_ARGS)

    assert (raised.value.code, raised.value.message) == ("bad_response", "the answer is not JSON")


@pytest.mark.parametrize("mode", ["no-url", "javascript-url"])
def test_an_answer_without_a_web_payment_url_raises_bad_response(platform, mode):
    platform.stand_in.mode = mode

    with pytest.raises(PaygovError) as raised:
        client_for(platform).init(**INIT_ARGS)

    assert (raised.value.code, raised.value.message) == ("bad_response", "the answer has no payment URL")


def test_a_platform_slower_than_the_timeout_raises_timeout_promptly(platform):
    platform.stand_in.mode = "slow"
    started = time.monotonic()

    with pytest.raises(PaygovError) as raised:
        client_for(platform, timeout=0.5).init(**INIT_ARGS)

    assert raised.value.code == "timeout"
    assert time.monotonic() - started < 3


def test_an_unreachable_platform_raises_network():
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as closed:
        port = closed.server_address[1]
    client = PaygovClient(f"http://127.0.0.1:{port}/", TOKEN, PARTNER, SECRET, timeout=2)

    with pytest.raises(PaygovError) as raised:
        client.init(**INIT_ARGS)

    assert raised.value.code == "network"


def test_status_returns_the_platforms_record(platform):
    record = client_for(platform).status(REFERENCE, WHEN)

    assert record["TrangThaiGD"] == STATUS_PAID
    assert record["MaLoi"] == "00"
    [request] = platform.stand_in.received
    assert request["path"] == "/api/v1/query"
    assert request["body"]["LoaiBanTin"] == "QUERY"
    assert request["body"]["ThoiGianGD"] == "20261120150509"


def test_status_accepts_an_enveloped_answer(platform):
    platform.stand_in.mode = "enveloped-status"

    assert client_for(platform).status(REFERENCE, WHEN)["TrangThaiGD"] == STATUS_PAID


def test_status_refused_by_the_platform_raises(platform):
    platform.stand_in.mode = "error"

    with pytest.raises(PaygovError) as raised:
        client_for(platform).status(REFERENCE, WHEN)

    assert raised.value.code == "12"


def test_the_client_never_shows_its_secrets():
    client = PaygovClient("https://thanhtoan.example.vn/", TOKEN, PARTNER, SECRET)

    assert TOKEN not in repr(client) and SECRET not in repr(client)


def test_the_client_refuses_a_non_web_url():
    with pytest.raises(ValueError, match="http"):
        PaygovClient("file:///etc/passwd", TOKEN, PARTNER, SECRET)
