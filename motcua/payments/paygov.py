"""The national online payment platform of the National Public Service Portal (Nền tảng thanh toán trực
tuyến — Cổng Dịch vụ công quốc gia): message version 1.0.6.

Protocol source: shared/reference/domain.md §5.1, taken from a working integration
(HuanVu201/DichVuCong_KhoaLuan_PASETO, DichVuCongApi/src/Infrastructure/DvcPayment/ and
Application/Business/{YeuCauThanhToanApp,GiaoDichThanhToanApp}). Every request is a JSON POST with a
Bearer token, authenticated by `MaXacThuc`, the lowercase hex SHA-256 of pipe-joined fields ending
with the partner's secret:

- INIT (start a payment): LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|
  MaKenhThanhToan|MaThietBi|NgonNgu|MaTienTe|MaNganHang|ThongTinGiaoDich|ThoiGianGD|Ip|secret;
  the answer is {"error_code": "0", "message": "<JSON with UrlThanhToan>"}.
- QUERY (status): LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD|secret; the answer carries MaLoi
  ("00" = the query worked) and TrangThaiGD (1 paid, 3 pending, 4 failed).
- the platform's confirmation of a payment: LoaiBanTin|MaLoi|MaDoiTac|MaThamChieu|SoTien|MaTienTe|
  MaGiaoDich|MaNganHang|ThoiGianGD|ThongTinGiaoDich|secret (`verify_confirmation`).

ThoiGianGD is yyyyMMddHHmmss in Vietnam time. The source formats it with .NET's "hh", a 12-hour clock,
which looks like a bug there; we send the 24-hour clock. Endpoint paths are issued with the partner code,
so they are constructor arguments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

__all__ = [
    "STATUS_FAILED",
    "STATUS_PAID",
    "STATUS_PENDING",
    "PaygovClient",
    "PaygovError",
    "confirmation_mac",
    "init_message",
    "mac",
    "status_query_message",
    "verify_confirmation",
]

VERSION = "1.0.6"
VIETNAM = dt.timezone(dt.timedelta(hours=7), "GMT+7")
STATUS_PAID, STATUS_PENDING, STATUS_FAILED = "1", "3", "4"  # TrangThaiGD in a QUERY answer

INIT_FIXED = {
    "LoaiHinhThanhToan": "PAY",
    "MaKenhThanhToan": "1",
    "MaThietBi": "1",
    "NgonNgu": "vi-VN",
    "MaTienTe": "VND",
    "MaNganHang": "PAYMENT",  # the citizen picks the bank or intermediary on the platform's pages
}
INIT_MAC_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
QUERY_MAC_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
CONFIRM_MAC_FIELDS = (
    "LoaiBanTin",
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "ThoiGianGD",
    "ThongTinGiaoDich",
)
RECEIPT_FIELDS = frozenset(
    {
        "MaDichVu",
        "MaTTHC",
        "TenTTHC",
        "MaDVC",
        "TenDVC",
        "MaDonVi",
        "TenDonVi",
        "MaHoSo",
        "TKThuHuong",
        "MaNHThuHuong",
        "TenTKThuHuong",
        "HoTenNguoiNop",
        "SoCMNDNguoiNop",
        "DiaChiNguoiNop",
        "HuyenNguoiNop",
        "TinhNguoiNop",
        "NoiDungThanhToan",
        "PhiLePhi",
        "DSKhoanNop",
        # fines and the State Treasury, unused by a commune's fees but part of the message
        "MaLoaiHinhThuPhat",
        "TenLoaiHinhThuPhat",
        "MaCoQuanQD",
        "TenCoQuanQD",
        "KhoBac",
        "NgayQD",
        "SoQD",
        "ThoiGianViPham",
        "DiaDiemViPham",
        "TenNguoiViPham",
        "TaiKhoanThuNSNN",
    }
)
MAX_RESPONSE_BYTES = 1_000_000


class PaygovError(Exception):
    """The platform refused a request, or could not be reached or understood.

    `code` is the platform's error_code, or one of "http_<status>", "timeout", "network", "bad_response"
    for failures on the way; `message` never contains the secret or the token.
    """

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def mac(values: list[str], secret: str) -> str:
    """Lowercase hex SHA-256 of the values and the secret joined by '|'."""
    if any("|" in value for value in values):
        # A '|' inside a field would let two different messages share one MaXacThuc.
        raise ValueError(f"no MaXacThuc field may contain '|': {values!r}")
    return hashlib.sha256("|".join([*values, secret]).encode("utf-8")).hexdigest()


def _time(moment: dt.datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("ThoiGianGD needs an aware datetime (a naive one has no time zone to convert)")
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def _check_amount(amount: Any, what: str) -> int:
    if isinstance(amount, str) and amount.isdigit():
        amount = int(amount)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"{what} must be a positive whole number of VND, got {amount!r}")
    return amount


def _receipt(receipt: Mapping[str, Any], amount_vnd: int) -> dict[str, Any]:
    unknown = set(receipt) - RECEIPT_FIELDS
    if unknown:
        raise ValueError(f"ThongTinBienLai has unknown fields (a typo?): {', '.join(sorted(unknown))}")
    result = {"MaDichVu": "2", **receipt}  # 2 = fees and charges (phí, lệ phí)
    for list_name in ("PhiLePhi", "DSKhoanNop"):
        items = [dict(item) for item in result.get(list_name, [])]
        for item in items:
            # The platform's sample sends every amount as a string, like SoTien at the top level.
            item["SoTien"] = str(_check_amount(item.get("SoTien"), f"{list_name}[].SoTien"))
        if items and sum(int(item["SoTien"]) for item in items) != amount_vnd:
            raise ValueError(f"the {list_name} amounts do not add up to SoTien {amount_vnd}")
        result[list_name] = items
    return result


def init_message(
    *,
    partner_code: str,
    secret: str,
    reference: str,
    amount_vnd: int,
    transaction_info: str,
    when: dt.datetime,
    ip: str,
    receipt: Mapping[str, Any],
) -> dict[str, Any]:
    """The INIT message that starts a payment of `amount_vnd` under the unique `reference` (MaThamChieu).

    `receipt` holds the ThongTinBienLai fields (MaTTHC, TenTTHC, MaDVC, TenDVC, MaDonVi, TenDonVi, MaHoSo,
    TKThuHuong, MaNHThuHuong, TenTKThuHuong, HoTenNguoiNop, SoCMNDNguoiNop, DiaChiNguoiNop,
    NoiDungThanhToan, PhiLePhi[], DSKhoanNop[]); MaDichVu defaults to "2", unknown keys are refused and
    the itemised amounts must add up to the total.
    """
    if not partner_code or not secret or not reference:
        raise ValueError("the payment platform needs the partner code, the secret and a reference")
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ValueError(f"Ip must be an IP address, got {ip!r}") from None
    message: dict[str, Any] = {
        "LoaiBanTin": "INIT",
        "PhienBan": VERSION,
        "MaDoiTac": partner_code,
        "MaThamChieu": reference,
        "SoTien": str(_check_amount(amount_vnd, "SoTien")),
        **INIT_FIXED,
        "ThongTinGiaoDich": transaction_info,
        "ThoiGianGD": _time(when),
        "Ip": ip,
    }
    message["MaXacThuc"] = mac([message[field] for field in INIT_MAC_FIELDS], secret)
    message["ThongTinBienLai"] = _receipt(receipt, amount_vnd)
    return message


def status_query_message(
    *, partner_code: str, secret: str, reference: str, when: dt.datetime
) -> dict[str, str]:
    """The QUERY message asking for the state of the payment started as `reference` at `when`.

    `when` must be the ThoiGianGD of the INIT message: the platform finds the transaction by both.
    """
    if not partner_code or not secret or not reference:
        raise ValueError("a status query needs the partner code, the secret and the reference")
    message = {
        "LoaiBanTin": "QUERY",
        "PhienBan": VERSION,
        "MaDoiTac": partner_code,
        "MaThamChieu": reference,
        "ThoiGianGD": _time(when),
    }
    message["MaXacThuc"] = mac([message[field] for field in QUERY_MAC_FIELDS], secret)
    return message


def confirmation_mac(message: Mapping[str, Any], *, secret: str) -> str:
    """The MaXacThuc of a payment confirmation from the platform (field order from the source above)."""
    return mac(["" if message.get(f) is None else str(message[f]) for f in CONFIRM_MAC_FIELDS], secret)


def verify_confirmation(message: Mapping[str, Any], *, secret: str) -> bool:
    """Whether a confirmation message carries the MaXacThuc that only the platform and we can compute."""
    received = message.get("MaXacThuc")
    if not isinstance(received, str) or not secret:
        return False
    try:
        expected = confirmation_mac(message, secret=secret)
    except ValueError:  # a '|' inside a field: not something the platform signs
        return False
    return hmac.compare_digest(expected.encode("ascii"), received.lower().encode("ascii", "replace"))


class PaygovClient:
    """Talks to the platform over HTTPS with the standard library: JSON in, JSON out, a Bearer token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        partner_code: str,
        secret: str,
        timeout: float = 10,
        *,
        init_path: str = "init",
        query_path: str = "query",
    ):
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"the payment platform URL must be http(s): {base_url!r}")
        self.base_url = base_url.rstrip("/") + "/"
        self.token = token
        self.partner_code = partner_code
        self.secret = secret
        self.timeout = timeout
        self.init_path = init_path.lstrip("/")
        self.query_path = query_path.lstrip("/")

    def __repr__(self) -> str:  # never show the token or the secret in logs or tracebacks
        return f"PaygovClient({self.base_url!r}, partner_code={self.partner_code!r})"

    def _post(self, path: str, message: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 — the scheme is checked to be http(s) in __init__
            self.base_url + path,
            data=json.dumps(message, ensure_ascii=False).encode("utf-8"),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise PaygovError(f"http_{exc.code}", f"the payment platform answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise PaygovError("timeout", f"no answer within {self.timeout} s") from None
            raise PaygovError("network", f"cannot reach the payment platform: {exc.reason}") from None
        except TimeoutError:
            raise PaygovError("timeout", f"no answer within {self.timeout} s") from None
        except OSError as exc:
            raise PaygovError("network", f"connection to the payment platform failed: {exc}") from None
        if len(body) > MAX_RESPONSE_BYTES:
            raise PaygovError("bad_response", "the answer is too large")
        try:
            answer = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PaygovError("bad_response", "the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise PaygovError("bad_response", "the answer is not a JSON object")
        return answer

    @staticmethod
    def _unwrap(answer: dict[str, Any]) -> dict[str, Any]:
        """The payload of an {"error_code", "message"} envelope; PaygovError unless error_code is "0"."""
        error_code = str(answer.get("error_code"))
        message = answer.get("message")
        if error_code != "0":
            text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
            raise PaygovError(error_code, text[:500])
        if isinstance(message, str):
            try:
                message = json.loads(message)
            except json.JSONDecodeError:
                raise PaygovError("bad_response", "the message is not JSON") from None
        if not isinstance(message, dict):
            raise PaygovError("bad_response", "the message is not a JSON object")
        return message

    def init(
        self,
        *,
        reference: str,
        amount_vnd: int,
        transaction_info: str,
        when: dt.datetime,
        ip: str,
        receipt: Mapping[str, Any],
    ) -> str:
        """Starts a payment and returns the platform's page to send the citizen to (UrlThanhToan)."""
        message = init_message(
            partner_code=self.partner_code,
            secret=self.secret,
            reference=reference,
            amount_vnd=amount_vnd,
            transaction_info=transaction_info,
            when=when,
            ip=ip,
            receipt=receipt,
        )
        url = self._unwrap(self._post(self.init_path, message)).get("UrlThanhToan")
        # The citizen's browser is sent there: refuse anything but a web address (javascript:, data: …).
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise PaygovError("bad_response", "the answer has no payment URL")
        return url

    def status(self, reference: str, when: dt.datetime) -> dict[str, Any]:
        """The platform's record of the payment: MaLoi, TrangThaiGD (STATUS_*), SoTien, MaGiaoDich, ...

        Accepts the answer flat, as the source reads it, or inside an {"error_code", "message"} envelope.
        """
        message = status_query_message(
            partner_code=self.partner_code, secret=self.secret, reference=reference, when=when
        )
        answer = self._post(self.query_path, message)
        return self._unwrap(answer) if "error_code" in answer else answer
