"""Payment calls of the JSON API: a dossier's fee and how to pay it, VNPay's IPN, the bank's webhook, and
the notices of the bank-notification services SePay and Casso (banks.py)."""

import json

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from motcua.accounts.api import BearerToken
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_for
from motcua.ratelimit import client_ip
from motcua.text import format_vnd

from . import banks, services
from .models import MAX_INCOMING_VND, PaymentRequest

dossier_router = Router(tags=["payments"], auth=BearerToken())
router = Router(tags=["payments"])


def payment_summary(dossier: Dossier) -> dict | None:
    """The "payment" part of a dossier in the API (registered into it by PaymentsConfig.ready)."""
    request = services.current_request(dossier)
    if request is None:
        return None
    return {
        "amount_vnd": request.amount_vnd,
        "status": request.state,
        "reference": request.reference,
        "paid_at": request.paid_at.isoformat() if request.paid_at else None,
    }


_SUMMARY = ("id", "amount_vnd", "state", "reference", "paid_at")


def payment_columns() -> dict:
    """`payment_summary` as columns read with the dossier (dossiers.reading.PART_COLUMNS): the request
    `services.current_request` finds, the newest not cancelled."""
    current = (
        PaymentRequest.objects.filter(dossier=OuterRef("pk"))
        .exclude(state=PaymentRequest.State.CANCELLED)
        .order_by("-requested_at", "-pk")
    )
    return {f"payment_{name}": Subquery(current.values(name)[:1]) for name in _SUMMARY}


def payment_from_columns(values: dict) -> dict | None:
    if values["payment_id"] is None:
        return None
    paid_at = values["payment_paid_at"]
    return {
        "amount_vnd": values["payment_amount_vnd"],
        "status": values["payment_state"],
        "reference": values["payment_reference"],
        "paid_at": paid_at.isoformat() if paid_at else None,
    }


def _payment(request, code: str) -> PaymentRequest:
    dossier = dossier_for(request.auth, code)
    payment = services.current_request(dossier) if dossier else None
    if payment is None:
        raise Http404(_("Hồ sơ này không có khoản phí nào."))
    return payment


@dossier_router.get("/{code}/payment", summary="Khoản phí của hồ sơ và các cách nộp")
def payment(request, code: str):
    p = _payment(request, code)
    qr = services.vietqr_for(p) if p.state == PaymentRequest.State.PENDING else None
    return {
        "amount_vnd": p.amount_vnd,
        "reason": p.reason,
        "status": p.state,
        "methods": services.methods_for(p),
        "reference": p.reference,
        "paid_at": p.paid_at.isoformat() if p.paid_at else None,
        "vietqr": {
            "payload": qr["payload"],
            "image_url": request.build_absolute_uri(reverse("payments:qr", args=[code])),
            "bank": qr["bank"],
            "account": qr["account"],
            "account_name": qr["account_name"],
        }
        if qr
        else None,
        "attempts": [
            {"provider": a.provider, "state": a.state, "message": a.message, "at": a.created_at.isoformat()}
            for a in services.attempts_for(p)
        ],
    }


@dossier_router.post("/{code}/payment/vnpay", summary="Bắt đầu thanh toán qua VNPay")
def pay_vnpay(request, code: str):
    p = _payment(request, code)
    try:
        url = services.start_vnpay(
            p,
            client_ip=client_ip(request),
            return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
            gateway_url=request.build_absolute_uri(settings.VNPAY_URL),
        )
    except ValueError as exc:
        raise HttpError(409, str(exc)) from exc
    return {"redirect_url": url}


@router.get("/vnpay/ipn", summary="VNPay IPN (máy chủ gọi máy chủ)")
def vnpay_ipn(request):
    code, message = services.handle_vnpay_ipn(request.GET.dict())
    return {"RspCode": code, "Message": message}


class Unreadable(ValueError):
    """One field of the bank's credit notice cannot be taken as it is: `str(exc)` says which and why."""


def _identifier(body: dict, key: str) -> str:
    """An account number or a transaction id: text or a whole number, 1 to 80 printable characters."""
    value = body.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not 0 < len(value) <= 80 or not value.isprintable():
        raise Unreadable(
            _("“%(field)s” phải có từ 1 đến 80 ký tự, không có ký tự điều khiển") % {"field": key}
        )
    return value


def _amount(body: dict) -> int:
    value = body.get("amount")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_INCOMING_VND:
        raise Unreadable(
            _("“amount” phải là số nguyên dương, không quá %(max)s") % {"max": format_vnd(MAX_INCOMING_VND)}
        )
    return value


def _credit(body) -> dict:
    """The fields of a credit notice, each checked before anything is looked up or stored."""
    if not isinstance(body, dict):
        raise Unreadable(_("nội dung phải là một đối tượng JSON"))
    memo, when = body.get("description", ""), body.get("time")
    if not isinstance(memo, str):
        raise Unreadable(_("“description” phải là chuỗi ký tự"))
    try:
        booked_at = parse_datetime(when) if isinstance(when, str) else None
    except ValueError:
        booked_at = None
    if when not in (None, "") and booked_at is None:
        raise Unreadable(_("“time” phải là thời điểm theo ISO 8601, ví dụ 2026-11-29T10:00:00+07:00"))
    return {
        "account": _identifier(body, "account"),
        "bank_ref": _identifier(body, "id"),
        "amount_vnd": _amount(body),
        "memo": memo,
        "booked_at": booked_at,
    }


@router.post("/bank", summary="Ngân hàng báo có tiền vào tài khoản thu phí (ký HMAC-SHA256)")
def bank_webhook(request):
    try:
        services.verify_webhook(request.body, request.headers.get("X-Motcua-Signature", ""))
    except services.WebhookRejected as exc:
        services.log.warning("Bank webhook rejected: %s", exc)
        raise HttpError(401, _("Chữ ký không hợp lệ.")) from exc
    try:
        credit = _credit(json.loads(request.body))
    except Unreadable as exc:
        raise HttpError(422, _("Nội dung báo có không hợp lệ: %(why)s.") % {"why": exc}) from exc
    except ValueError as exc:  # not JSON at all
        raise HttpError(422, _("Nội dung báo có không hợp lệ.")) from exc
    try:
        agency = services.agency_for_account(credit.pop("account"))
    except services.UnknownAccount as exc:
        raise HttpError(422, _unknown_account()) from exc
    found, created = services.record_bank_credit(agency, source="webhook", **credit)
    return {"received": True, "new": created, "match": found.match}


def _unknown_account() -> str:
    return _("Nội dung báo có không hợp lệ: không có tài khoản thu phí này.")


def _bounded_body(request) -> bytes:
    """The raw body of a notice, refused (413) past banks.MAX_BODY before it is read, and after."""
    declared = request.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > banks.MAX_BODY:
        raise HttpError(413, _("Nội dung báo có quá lớn."))
    body = request.body
    if len(body) > banks.MAX_BODY:
        raise HttpError(413, _("Nội dung báo có quá lớn."))
    return body


def _record(source: str, body: bytes, read) -> dict:
    try:
        credit = read(body)
    except banks.Unreadable as exc:
        raise HttpError(422, _("Nội dung báo có không hợp lệ: %(why)s.") % {"why": exc}) from exc
    if credit is None:  # money going out, or the service's test call
        return {"success": True, "recorded": False}
    try:
        found, created = services.record_notice(credit)
    except services.UnknownAccount as exc:
        services.log.warning("%s notice for an account that is no agency's: %s", source, credit.accounts)
        raise HttpError(422, _unknown_account()) from exc
    except ValueError as exc:
        raise HttpError(422, _("Nội dung báo có không hợp lệ.")) from exc
    return {"success": True, "recorded": True, "new": created, "match": found.match}


def _refused(source: str, body: bytes, exc: banks.Rejected) -> HttpError:
    services.refuse_notice(source, accounts=banks.claimed_accounts(body), reason=exc.reason)
    if exc.status == 403:
        return HttpError(403, _("Dịch vụ báo có này chưa được cấu hình."))
    return HttpError(401, _("Khóa hoặc chữ ký không hợp lệ."))


@router.post("/sepay", summary="SePay báo có tiền vào tài khoản thu phí (Authorization: Apikey …)")
def sepay_webhook(request):
    body = _bounded_body(request)
    try:
        banks.verify_sepay(request.headers.get("Authorization", ""), api_key=settings.SEPAY_API_KEY)
    except banks.Rejected as exc:
        raise _refused("sepay", body, exc) from exc
    return _record("sepay", body, banks.read_sepay)


@router.post("/casso", summary="Casso báo có tiền vào tài khoản thu phí (webhook v2, X-Casso-Signature)")
def casso_webhook(request):
    body = _bounded_body(request)
    try:
        banks.verify_casso(
            body, request.headers.get("X-Casso-Signature", ""), secret=settings.CASSO_WEBHOOK_SECRET
        )
    except banks.Rejected as exc:
        raise _refused("casso", body, exc) from exc
    return _record("casso", body, banks.read_casso)
