"""The e-receipt of a paid fee (biên lai thu phí, lệ phí)."""

import datetime as dt

from django.db.models import F

from motcua.text import format_vnd

from ..layout import Doc, i, p
from ..models import DocumentTemplate, Kind
from ..words import amount_in_words, clean_text, time_and_date
from .common import (
    Source,
    agency_header,
    applicant_address,
    field,
    form_note,
    local,
    person,
    signature,
    signatures,
    title,
)

PAYMENT_METHODS = {
    "cash": "Tiền mặt",
    "tiền mặt": "Tiền mặt",
    "vnpay": "Thanh toán trực tuyến qua VNPay",
    "chuyển khoản": "Chuyển khoản",
    "vietqr": "Chuyển khoản (VietQR)",
    "paygov": "Thanh toán qua Nền tảng thanh toán trực tuyến quốc gia",
}


def paid_fee(dossier):
    """The dossier's latest paid `PaymentRequest` (read through the relation: documents does not import
    payments, a sibling in its layer), or None."""
    return (
        dossier.payment_requests.filter(state="paid")
        .order_by(F("paid_at").desc(nulls_last=True), "-pk")
        .first()
    )


def paid_on(payment) -> dt.datetime:
    return local(payment.paid_at or payment.requested_at)


def payment_method(method: str) -> str:
    text = clean_text(method).strip()
    return PAYMENT_METHODS.get(text.lower(), text)


def _collector(source: Source, payment) -> str:
    """Who took the money: the officer who confirmed a cash payment; nobody by name for a bank or gateway."""
    if payment.method != "cash":
        return ""
    event = source.last("confirm_payment")
    return person(event.actor) if event is not None else ""


def fee_receipt(source: Source, template: DocumentTemplate, payment) -> Doc:
    """The e-receipt of a paid fee: what Nghị định 123/2020 (Điều 32) asks a receipt to say.

    The number is the receipt number the officer typed for cash, else the payment reference (a bank or
    gateway payment has no paper receipt); the amount in figures and in words; who paid, for what
    dossier and procedure; how; and the collector's signature block.
    """
    dossier, agency = source.dossier, source.agency
    paid = paid_on(payment)
    number = clean_text(payment.receipt_number).strip() or payment.reference
    amount = payment.amount_vnd
    blocks: list = [
        form_note(f"Biên lai điện tử lập theo {template.legal_basis}"),
        agency_header(agency, number=f"Số: {number}", day=paid.date()),
        *title(template.title, p(i("(Biên lai điện tử)"), align="center", after=8)),
        field("Đơn vị thu", agency.name),
        field("Địa chỉ đơn vị thu", agency.address),
        field("Họ tên người nộp tiền", dossier.applicant_name),
    ]
    address = applicant_address(dossier)
    if address:
        blocks.append(field("Địa chỉ", address))
    blocks += [
        field("Mã hồ sơ", dossier.code),
        field("Thủ tục hành chính", dossier.procedure.name),
        field("Tên loại phí, lệ phí", clean_text(payment.reason) or "Phí, lệ phí"),
        field("Số tiền", format_vnd(amount)),
        field("Số tiền bằng chữ", amount_in_words(amount)),
        field("Hình thức thanh toán", payment_method(payment.method)),
    ]
    if number != payment.reference:
        blocks.append(field("Mã thanh toán", payment.reference))
    blocks += [
        field("Thời gian nộp", time_and_date(paid)),
        signatures(
            [],
            signature("Người thu tiền", "(Ký, ghi rõ họ tên)", _collector(source, payment)),
        ),
    ]
    return Doc(
        kind=Kind.FEE_RECEIPT, filename=f"bien-lai-{dossier.code}", title=template.title, blocks=blocks
    )
