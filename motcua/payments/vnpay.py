"""VNPay payment gateway, API version 2.1.0: signed payment URLs, callback verification and the IPN rules.

Protocol source: VNPay's merchant integration documentation and its reference code (the Python sample's
`get_payment_url`/`validate_response`: parameters sorted by key, each value encoded with
`urllib.parse.quote_plus`, `vnp_SecureHash` = hex HMAC-SHA512 of that query string; only `vnp_` keys
are signed), as summarised in shared/reference/domain.md §5.3. Answers to the IPN follow VNPay's
`{"RspCode", "Message"}` table: 00, 01, 02, 04, 97, 99.

State changes come only from the IPN (server to server). The return URL is shown to the citizen and may
be verified with `verify`, but it must never change a payment: it can be replayed or never arrive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol

__all__ = [
    "RESPONSE_MESSAGES",
    "IpnDecision",
    "IpnOutcome",
    "explain",
    "build_payment_url",
    "ipn_decision",
    "is_reference",
    "sign",
    "verify",
]

VERSION = "2.1.0"
VIETNAM = dt.timezone(dt.timedelta(hours=7), "GMT+7")  # VNPay's clock; Vietnam has no daylight saving
DATE_FORMAT = "%Y%m%d%H%M%S"
_TXN_REF = re.compile(r"[0-9A-Za-z_-]{1,100}")
# vnp_Amount (hundredths of a dong) of anything we could have asked for: below 2^31 dong. Longer digit
# strings are refused before int() reads them.
MAX_AMOUNT = (2**31 - 1) * 100
_SIGNATURE_KEYS = ("vnp_SecureHash", "vnp_SecureHashType")


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages, which finds it by this name, without importing Django: its own
    gettext_noop reads the settings. Translate at display time: gettext(explain(code))."""
    return message


# What the citizen reads when a payment did not go through, keyed by vnp_ResponseCode (domain.md §5.3).
RESPONSE_MESSAGES: dict[str, str] = {
    "00": gettext_noop("Giao dịch thành công."),
    "07": gettext_noop(
        "Ngân hàng đã trừ tiền nhưng giao dịch đang được kiểm tra vì nghi ngờ bất thường. "
        "Bạn đừng thanh toán lại; bộ phận một cửa sẽ kiểm tra và báo lại cho bạn."
    ),
    "09": gettext_noop("Thẻ hoặc tài khoản của bạn chưa đăng ký dịch vụ Internet Banking tại ngân hàng."),
    "10": gettext_noop("Bạn đã nhập sai thông tin thẻ hoặc tài khoản quá 3 lần."),
    "11": gettext_noop("Đã hết thời gian chờ thanh toán. Bạn có thể thanh toán lại."),
    "12": gettext_noop("Thẻ hoặc tài khoản của bạn đang bị khóa."),
    "13": gettext_noop("Bạn đã nhập sai mật khẩu xác thực giao dịch (OTP)."),
    "24": gettext_noop("Bạn đã hủy giao dịch."),
    "51": gettext_noop("Tài khoản không đủ số dư."),
    "65": gettext_noop("Tài khoản của bạn đã vượt quá hạn mức giao dịch trong ngày."),
    "75": gettext_noop("Ngân hàng thanh toán đang bảo trì. Bạn hãy thử lại sau hoặc chọn cách khác."),
    "79": gettext_noop("Bạn đã nhập sai mật khẩu thanh toán quá số lần quy định."),
    "99": gettext_noop("Giao dịch không thành công do lỗi từ phía cổng thanh toán hoặc ngân hàng."),
}
FALLBACK_MESSAGE = gettext_noop(
    "Giao dịch không thành công. Bạn có thể thử lại hoặc chọn cách thanh toán khác."
)


def explain(code: str | None) -> str:
    """The plain-Vietnamese reason for a vnp_ResponseCode, or a general one for codes VNPay adds later."""
    return RESPONSE_MESSAGES.get(code or "", FALLBACK_MESSAGE)


def is_reference(txn_ref: str) -> bool:
    """Whether `txn_ref` could be one of ours (letters, digits, '-' and '_'): anything else, a NUL
    included, is not looked up at all."""
    return bool(_TXN_REF.fullmatch(txn_ref))


def _hash_data(params: Mapping[str, str]) -> str:
    # Exactly the reference code's string: keys in byte order, values quote_plus-encoded, keys as they are.
    return "&".join(f"{key}={urllib.parse.quote_plus(str(params[key]))}" for key in sorted(params))


def sign(params: Mapping[str, str], *, hash_secret: str) -> str:
    """Hex HMAC-SHA512 of the sorted, encoded `vnp_` parameters (signature fields excluded)."""
    signed = {k: v for k, v in params.items() if k.startswith("vnp_") and k not in _SIGNATURE_KEYS}
    data = _hash_data(signed)
    return hmac.new(hash_secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def _vietnam_time(moment: dt.datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("VNPay dates need an aware datetime (a naive one has no time zone to convert)")
    return moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def build_payment_url(
    *,
    base_url: str,
    tmn_code: str,
    hash_secret: str,
    txn_ref: str,
    amount_vnd: int,
    order_info: str,
    return_url: str,
    ip_addr: str,
    created_at: dt.datetime,
    expire_minutes: int = 15,
    locale: str = "vn",
    bank_code: str | None = None,
    order_type: str = "other",
) -> str:
    """The gateway URL to redirect the citizen to, signed with `hash_secret`.

    `order_info` must be ASCII (VNPay asks for Vietnamese without diacritics; use vietqr.fold_ascii).
    `txn_ref` must be unique per attempt: VNPay refuses a reference it has already seen.
    """
    if not base_url.startswith(("https://", "http://")) or "?" in base_url:
        raise ValueError(f"VNPay base_url must be an http(s) URL without a query string: {base_url!r}")
    if not tmn_code or not hash_secret:
        raise ValueError("VNPay needs the terminal code and the hash secret")
    if not _TXN_REF.fullmatch(txn_ref):
        raise ValueError(f"VNPay txn_ref must be 1 to 100 letters, digits, '-' or '_': {txn_ref!r}")
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or amount_vnd <= 0:
        raise ValueError(f"VNPay amount must be a positive whole number of VND, got {amount_vnd!r}")
    if not order_info or not order_info.isascii() or len(order_info) > 255:
        raise ValueError(f"VNPay order_info must be 1 to 255 ASCII characters: {order_info!r}")
    if not return_url.startswith(("https://", "http://")):
        raise ValueError(f"VNPay return_url must be an absolute http(s) URL: {return_url!r}")
    try:
        ipaddress.ip_address(ip_addr)
    except ValueError:
        raise ValueError(f"VNPay ip_addr must be an IP address, got {ip_addr!r}") from None
    if isinstance(expire_minutes, bool) or not isinstance(expire_minutes, int) or expire_minutes <= 0:
        raise ValueError(f"VNPay expire_minutes must be a positive whole number, got {expire_minutes!r}")
    if locale not in ("vn", "en"):
        raise ValueError(f"VNPay locale is 'vn' or 'en', got {locale!r}")

    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": tmn_code,
        "vnp_Amount": str(amount_vnd * 100),  # VNPay counts in hundredths of a dong
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": order_type,
        "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": ip_addr,
        "vnp_CreateDate": _vietnam_time(created_at),
        "vnp_ExpireDate": _vietnam_time(created_at + dt.timedelta(minutes=expire_minutes)),
    }
    if bank_code:
        params["vnp_BankCode"] = bank_code
    query = _hash_data(params)
    return f"{base_url}?{query}&vnp_SecureHash={sign(params, hash_secret=hash_secret)}"


def verify(params: Mapping[str, str], *, hash_secret: str) -> bool:
    """Whether a return or IPN query was signed by VNPay with our secret.

    Recomputes the hash over every `vnp_` parameter but vnp_SecureHash and vnp_SecureHashType, as VNPay's
    reference code does, and compares in constant time (case-insensitively: some VNPay samples use upper
    case hex). Parameters outside `vnp_` are not covered by the signature and must not be trusted.
    """
    received = params.get("vnp_SecureHash")
    if not received or not hash_secret:
        return False
    expected = sign(params, hash_secret=hash_secret)
    return hmac.compare_digest(expected.encode("ascii"), str(received).lower().encode("ascii", "replace"))


# --- IPN ------------------------------------------------------------------------------------------------
class PaymentLike(Protocol):
    amount_vnd: int
    is_final: bool


@dataclass(frozen=True, slots=True)
class IpnOutcome:
    """What the caller records for one IPN, with VNPay's codes for the officers' view of attempts.

    `result` is "paid" or "failed" when the payment must change, None when nothing may change (a forged,
    unknown, altered or repeated callback). `needs_review` flags response code 07: the money was taken
    but VNPay holds the transaction as suspicious, so an officer must follow it up.
    """

    result: Literal["paid", "failed"] | None
    txn_ref: str = ""
    amount_vnd: int | None = None
    response_code: str = ""
    transaction_status: str = ""
    transaction_no: str = ""
    bank_code: str = ""
    bank_tran_no: str = ""
    card_type: str = ""
    pay_date: dt.datetime | None = None
    needs_review: bool = False
    error: str = ""


class IpnDecision(NamedTuple):
    rsp_code: str
    message: str
    outcome: IpnOutcome


def _pay_date(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).replace(tzinfo=VIETNAM)
    except ValueError:
        return None


def _outcome(params: Mapping[str, str], result: Literal["paid", "failed"] | None, **extra) -> IpnOutcome:
    amount = str(params.get("vnp_Amount", ""))
    response_code = str(params.get("vnp_ResponseCode", ""))
    return IpnOutcome(
        result=result,
        txn_ref=str(params.get("vnp_TxnRef", "")),
        amount_vnd=int(amount) // 100 if _readable_amount(amount) else None,
        response_code=response_code,
        transaction_status=str(params.get("vnp_TransactionStatus", "")),
        transaction_no=str(params.get("vnp_TransactionNo", "")),
        bank_code=str(params.get("vnp_BankCode", "")),
        bank_tran_no=str(params.get("vnp_BankTranNo", "")),
        card_type=str(params.get("vnp_CardType", "")),
        pay_date=_pay_date(str(params.get("vnp_PayDate", ""))),
        needs_review=response_code == "07",
        **extra,
    )


def _readable_amount(amount: str) -> bool:
    return amount.isascii() and amount.isdigit() and len(amount) <= len(str(MAX_AMOUNT))


def ipn_decision(
    params: Mapping[str, str],
    *,
    hash_secret: str,
    find_payment: Callable[[str], PaymentLike | None],
) -> IpnDecision:
    """VNPay's IPN rules, checked in VNPay's order; the caller answers `{"RspCode", "Message"}` and records.

    1. bad or missing signature -> 97 (nothing changes);
    2. `find_payment(vnp_TxnRef)` is None -> 01;
    3. vnp_Amount is not the payment's amount × 100 -> 04 (so is an amount of 2^31 dong or more, before
       any lookup);
    4. the payment is already final -> 02 (a retried or duplicate IPN);
    5. otherwise 00 "Confirm Success" with result "paid" when vnp_ResponseCode and vnp_TransactionStatus
       are both "00", else result "failed" — VNPay expects 00 once a failure is recorded too;
    anything unexpected (a signed query without a reference or with a non-numeric amount, or
    `find_payment` raising) -> 99, which makes VNPay retry later.

    Pure: the caller must run `find_payment` and the recording in one transaction with the payment row
    locked (select_for_update), so that two simultaneous IPNs cannot both see "not final".
    """
    try:
        if not verify(params, hash_secret=hash_secret):
            return IpnDecision("97", "Invalid Checksum", _outcome(params, None, error="bad signature"))
        txn_ref = str(params.get("vnp_TxnRef", ""))
        amount = str(params.get("vnp_Amount", ""))
        if not txn_ref or not amount.isdigit():
            unreadable = _outcome(params, None, error="missing reference or amount")
            return IpnDecision("99", "Unknown error", unreadable)
        if not _readable_amount(amount) or int(amount) > MAX_AMOUNT:
            return IpnDecision("04", "Invalid amount", _outcome(params, None, error="impossible amount"))
        payment = find_payment(txn_ref)
        if payment is None:
            return IpnDecision("01", "Order not found", _outcome(params, None, error="unknown reference"))
        if int(amount) != payment.amount_vnd * 100:
            return IpnDecision("04", "Invalid amount", _outcome(params, None, error="amount mismatch"))
        if payment.is_final:
            return IpnDecision("02", "Order already confirmed", _outcome(params, None, error="already final"))
        paid = params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
        return IpnDecision("00", "Confirm Success", _outcome(params, "paid" if paid else "failed"))
    except Exception as exc:  # VNPay must always get an answer; 99 makes it retry later
        failure = IpnOutcome(result=None, error=f"{type(exc).__name__}: {exc}")
        return IpnDecision("99", "Unknown error", failure)
