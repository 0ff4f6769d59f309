"""What a paid fee's paper says: the e-receipt when one was issued, else a confirmation of payment.

A receipt for a fee (biên lai thu phí, lệ phí) is lawful only when issued through an e-receipt system
registered with the tax authority, with its form symbol, series, number and signature (Nghị định
123/2020/NĐ-CP Điều 30 and 32, as amended by Nghị định 70/2025/NĐ-CP; Thông tư 32/2025/TT-BTC; see
payments/receipts.py). So this module prints:

- "Biên lai thu phí, lệ phí" from the issued receipt (payments' `Receipt`, read through the relation:
  documents does not import payments, a sibling in its layer), with "Biên lai thử nghiệm — không có giá
  trị pháp lý" when the development stand-in issued it;
- otherwise "Xác nhận đã nộp tiền": who paid, how much (in figures and in words), for what, how, the
  payment reference labelled "Mã giao dịch" and when — and, when the fee was paid on the national
  payment platform, where that platform's receipt is. It has no number: a payment reference is never
  printed as a document's "Số".
"""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F

from motcua.text import format_vnd

from ..layout import Doc, b, i, p
from ..models import DocumentTemplate, Kind
from ..words import amount_in_words, clean_text, date_in_figures, time_and_date
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
CONFIRMATION = "Xác nhận đã nộp tiền"
TEST_MARK = "Biên lai thử nghiệm — không có giá trị pháp lý"


def paid_fee(dossier):
    """The dossier's latest paid `PaymentRequest` (read through the relation), or None."""
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


def receipt_of(payment):
    """The payment's `Receipt` row (issued, the platform's, or a try), or None."""
    try:
        return payment.receipt
    except ObjectDoesNotExist:
        return None


def issued_receipt(payment):
    receipt = receipt_of(payment)
    return receipt if receipt is not None and receipt.state == "issued" else None


def paper_title(payment, template: DocumentTemplate) -> str:
    """The title of what a paid fee prints: the receipt's once issued, else the confirmation's."""
    return template.title if issued_receipt(payment) is not None else CONFIRMATION


def _collector(source: Source, payment) -> str:
    """Who took the money: the officer who confirmed a cash payment; nobody by name for a bank or gateway."""
    if payment.method != "cash":
        return ""
    event = source.last("confirm_payment")
    return person(event.actor) if event is not None else ""


def _payer_and_purpose(source: Source, payment) -> list:
    dossier = source.dossier
    blocks = [field("Họ tên người nộp tiền", dossier.applicant_name)]
    address = applicant_address(dossier)
    if address:
        blocks.append(field("Địa chỉ", address))
    blocks += [
        field("Mã hồ sơ", dossier.code),
        field("Thủ tục hành chính", dossier.procedure.name),
        field("Tên loại phí, lệ phí", clean_text(payment.reason) or "Phí, lệ phí"),
        field("Số tiền", format_vnd(payment.amount_vnd)),
        field("Số tiền bằng chữ", amount_in_words(payment.amount_vnd)),
        field("Hình thức thanh toán", payment_method(payment.method)),
        field("Mã giao dịch", payment.reference),
    ]
    return blocks


def fee_receipt(source: Source, template: DocumentTemplate, payment) -> Doc:
    """The paper of a paid fee: its e-receipt when one was issued, else the confirmation of payment."""
    receipt = issued_receipt(payment)
    if receipt is not None:
        return e_receipt(source, template, payment, receipt)
    return confirmation(source, payment)


def e_receipt(source: Source, template: DocumentTemplate, payment, receipt) -> Doc:
    """The e-receipt as issued (Nghị định 123/2020 Điều 32): its symbols and number, the collector and
    its tax code, payer, fee, amount in figures and words, the date, and the issuer's signature."""
    agency = source.agency
    issued = local(receipt.issued_at)
    blocks: list = [form_note(f"Biên lai điện tử lập theo {template.legal_basis}")]
    if receipt.is_test:
        blocks.append(p(b(TEST_MARK), align="center", after=6))
    blocks += [
        agency_header(agency, number="", day=issued.date()),
        *title(template.title, p(i("(Biên lai điện tử)"), align="center", after=8)),
        field("Ký hiệu mẫu biên lai", receipt.form_symbol),
        field("Ký hiệu biên lai", receipt.symbol),
        field("Số biên lai", receipt.number_text),
        field("Đơn vị thu", agency.name),
    ]
    if receipt.tax_code:
        blocks.append(field("Mã số thuế", receipt.tax_code))
    blocks.append(field("Địa chỉ đơn vị thu", agency.address))
    blocks += _payer_and_purpose(source, payment)
    blocks.append(field("Ngày lập biên lai", time_and_date(issued)))
    # Who signed and when, as an e-receipt shows it; the signature itself is kept with the receipt.
    signed = f"Ký bởi: {receipt.signed_by or agency.name}. Ký ngày: {date_in_figures(issued.date())}"
    blocks.append(field("Chữ ký số", signed))
    if receipt.lookup_code:
        blocks.append(field("Mã tra cứu", receipt.lookup_code))
    if receipt.lookup_url:
        blocks.append(field("Tra cứu tại", receipt.lookup_url))
    if receipt.is_test:
        blocks.append(
            p(
                i(
                    f"{TEST_MARK}: lập bằng bộ phát hành thử nghiệm của hệ thống một cửa, chưa đăng ký với "
                    "cơ quan thuế."
                ),
                size=11,
                before=8,
            )
        )
    return Doc(
        kind=Kind.FEE_RECEIPT, filename=f"bien-lai-{source.dossier.code}", title=template.title, blocks=blocks
    )


def confirmation(source: Source, payment) -> Doc:
    """The confirmation of payment: no receipt was issued here (yet), so this says what was paid and is
    not numbered; where the national platform issued the receipt, it says where to find it."""
    dossier, agency = source.dossier, source.agency
    paid = paid_on(payment)
    blocks: list = [
        agency_header(agency, number="", day=paid.date()),
        *title(CONFIRMATION, p(i("(Không thay cho biên lai thu phí, lệ phí)"), align="center", after=8)),
        field("Đơn vị nhận tiền", agency.name),
        *_payer_and_purpose(source, payment),
        field("Thời gian nộp", time_and_date(paid)),
    ]
    # What the desk wrote when confirming: its paper receipt's number, or a bank's or gateway's transaction
    # code for money it matched by hand (models.WHAT_TO_DO tells it to) — named for what it may be.
    noted = clean_text(payment.receipt_number).strip()
    if payment.method == "cash" and noted:
        blocks.append(field("Số biên lai giấy hoặc mã giao dịch cán bộ ghi nhận", noted))
    receipt = receipt_of(payment)
    if receipt is not None and receipt.state == "platform":
        blocks.append(field("Biên lai", "do Nền tảng thanh toán trực tuyến quốc gia phát hành"))
        if receipt.lookup_code:
            blocks.append(field("Mã giao dịch trên Nền tảng", receipt.lookup_code))
        if receipt.lookup_url:
            blocks.append(field("Xem biên lai tại", receipt.lookup_url))
    blocks.append(
        p(
            i(
                f"Giấy này xác nhận {agency.name} đã nhận số tiền trên cho hồ sơ {dossier.code}. "
                "Đây không phải biên lai thu phí, lệ phí."
            ),
            size=11,
            before=6,
        )
    )
    collector = _collector(source, payment)
    if collector:
        blocks.append(signatures([], signature("Người thu tiền", "(Ký, ghi rõ họ tên)", collector)))
    return Doc(
        kind=Kind.FEE_RECEIPT, filename=f"xac-nhan-nop-tien-{dossier.code}", title=CONFIRMATION, blocks=blocks
    )
