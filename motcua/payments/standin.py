"""A stand-in for VNPay's payment page, for demonstrations only (DEMO=1): `make run` cannot reach VNPay's
sandbox, so the "Thanh toán qua VNPay" button comes here, and the payment journey completes on this very
machine through the production adapter (vnpay.py, services.start_vnpay and handle_vnpay_ipn) unchanged.

It speaks VNPay's protocol, API 2.1.0, as shared/reference/domain.md §5.3 describes it:
1. the citizen arrives with the payment URL the adapter built (`vnp_*` parameters signed with HMAC-SHA512,
   `vnp_SecureHash`); a wrong signature, terminal code, version or command is refused as VNPay does;
2. the page shows the amount and what it is for, and the demo user chooses "Thanh toán thành công" or
   "Hủy" (past `vnp_ExpireDate`, the choice ends in code 11, timed out);
3. the stand-in calls the merchant's IPN server to server — a GET of `/api/v1/payments/vnpay/ipn` with the
   signed result (`vnp_Amount`, `vnp_BankCode`, `vnp_BankTranNo`, `vnp_CardType`, `vnp_OrderInfo`,
   `vnp_PayDate`, `vnp_ResponseCode`, `vnp_TmnCode`, `vnp_TransactionNo`, `vnp_TransactionStatus`,
   `vnp_TxnRef`, `vnp_SecureHash`) — and expects `{"RspCode": "00"}` (or "02", already confirmed);
4. it sends the browser to `vnp_ReturnUrl` with the same signed query.

Never in production, three times over: motcua/urls.py mounts it only when DEMO=1; each request is refused
(404) unless DEMO is on and the merchant secret is the demo one published in settings.DEMO_PAYMENTS (so it
can never sign a payment with a real merchant's secret); and the system check payments.E005 stops a
production start-up whose VNPAY_URL names it.
"""

import datetime as dt
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import vnpay

log = logging.getLogger(__name__)
IPN_PATH = "/api/v1/payments/vnpay/ipn"  # the public HTTP contract (DESIGN.md)
PAID, CANCELLED = "thanh-cong", "huy"


def demo_only(view):
    """404 unless this is a demonstration machine signing with the published demo secret."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        demo_secret = settings.DEMO_PAYMENTS["VNPAY_HASH_SECRET"]
        if not settings.DEMO or demo_secret != settings.VNPAY_HASH_SECRET:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def _problem(params: dict[str, str]) -> str:
    """Why VNPay would refuse this payment URL, or ''."""
    if not vnpay.verify(params, hash_secret=settings.VNPAY_HASH_SECRET):
        return _("Sai chữ ký (vnp_SecureHash).")
    if params.get("vnp_TmnCode") != settings.VNPAY_TMN_CODE:
        return _("Mã đơn vị (vnp_TmnCode) không đúng.")
    if params.get("vnp_Version") != vnpay.VERSION or params.get("vnp_Command") != "pay":
        return _("Phiên bản hoặc lệnh không đúng.")
    amount = params.get("vnp_Amount", "")
    if not (amount.isascii() and amount.isdigit() and int(amount) > 0 and int(amount) % 100 == 0):
        return _("Số tiền (vnp_Amount) không hợp lệ.")
    if not vnpay.is_reference(params.get("vnp_TxnRef", "")):
        return _("Mã giao dịch (vnp_TxnRef) không hợp lệ.")
    return ""


def _expired(params: dict[str, str], now: dt.datetime) -> bool:
    try:
        ends = dt.datetime.strptime(params.get("vnp_ExpireDate", ""), vnpay.DATE_FORMAT)
    except ValueError:
        return False
    return now.astimezone(vnpay.VIETNAM).replace(tzinfo=None) > ends


def _result(params: dict[str, str], *, code: str, now: dt.datetime) -> dict[str, str]:
    """The signed query VNPay sends to the IPN and the return URL."""
    paid = code == "00"
    number = str(secrets.randbelow(90_000_000) + 10_000_000) if paid else "0"
    result = {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB" if paid else "VNPAY",
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": now.astimezone(vnpay.VIETNAM).strftime(vnpay.DATE_FORMAT),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": number,
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": params["vnp_TxnRef"],
    }
    if paid:
        result |= {"vnp_BankTranNo": f"VNP{number}", "vnp_CardType": "ATM"}
    result["vnp_SecureHash"] = vnpay.sign(result, hash_secret=settings.VNPAY_HASH_SECRET)
    return result


def _call_ipn(ipn_url: str, result: dict[str, str]) -> str:
    """The merchant's answer code to the IPN, or '' when it could not be reached."""
    if not ipn_url.startswith(("http://", "https://")):
        return ""
    url = f"{ipn_url}?{urllib.parse.urlencode(result)}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our own site, http(s) only
            return str(json.loads(answer.read()).get("RspCode", ""))
    except (OSError, ValueError) as exc:
        log.warning("VNPay stand-in could not call the IPN at %s: %s", ipn_url, exc)
        return ""


@demo_only
@require_http_methods(["GET", "POST"])
def payment_page(request):
    source = request.GET if request.method == "GET" else request.POST
    params = {k: v for k, v in source.items() if k.startswith("vnp_")}
    context = {"params": params, "problem": _problem(params)}
    if context["problem"]:
        return render(request, "payments/standin.html", context, status=400)
    now = dt.datetime.now(dt.UTC)
    context |= {
        "amount_vnd": int(params["vnp_Amount"]) // 100,
        "expired": _expired(params, now),
        "paid": PAID,
        "cancelled": CANCELLED,
    }
    choice = request.POST.get("ket_qua")
    if request.method == "GET" or choice not in (PAID, CANCELLED):
        return render(request, "payments/standin.html", context)
    code = "11" if context["expired"] else "00" if choice == PAID else "24"
    result = _result(params, code=code, now=now)
    back = f"{params.get('vnp_ReturnUrl', '')}?{urllib.parse.urlencode(result)}"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        context["problem"] = _("Địa chỉ trả về (vnp_ReturnUrl) không thuộc trang này.")
        return render(request, "payments/standin.html", context, status=400)
    answer = _call_ipn(request.build_absolute_uri(IPN_PATH), result)
    if answer not in ("00", "02"):
        context |= {"ipn_failed": answer or "—", "back": back}
        return render(request, "payments/standin.html", context, status=502)
    return HttpResponseRedirect(back)


app_name = "vnpay_standin"
urlpatterns = [
    path(settings.VNPAY_STANDIN_PATH.lstrip("/"), payment_page, name="page"),
]
