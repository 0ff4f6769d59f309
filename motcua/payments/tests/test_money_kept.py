"""Money is never silently kept: a payment that arrives for a fee that was replaced, is no longer asked
for or was already paid is recorded and shown to the officers as needing a refund or a manual match.
Attempt references stay unique when many payments start at once; amounts are bounded where they enter.
"""

import hashlib
import hmac
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Event, Status
from motcua.dossiers.tests.factories import BIRTH_FORM, file_birth
from motcua.payments import services
from motcua.payments.models import Attempt, BankTransaction, PaymentRequest

from .test_payments import (  # noqa: F401 - payment_settings is an autouse fixture
    WEBHOOK_SECRET,
    PlatformAnswer,
    _start,
    _token,
    _webhook,
    awaiting_fee,
    ipn_params,
    payment_settings,
)

pytestmark = pytest.mark.django_db
IPN = "/api/v1/payments/vnpay/ipn"


def _replaced_fee(client, people, agency):
    """A late birth registration filed with its fee (8,000 đ); the citizen opens VNPay's page for it, and
    meanwhile the desk replaces the fee with another amount: the first request is cancelled."""
    dossier = file_birth(people["citizen"], agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    attempt = _start(client, people, dossier)
    dossier = dossiers.perform(
        dossier,
        "request_payment",
        by=people["desk"],
        data={"amount_vnd": 10000, "reason": "Lệ phí đăng ký quá hạn và một bản sao"},
    )
    attempt.refresh_from_db()
    assert attempt.request.state == "cancelled"
    return dossier, attempt


def _money_section(page) -> str:
    text = page.content.decode()
    start = text.find('id="h-money"')
    return "" if start < 0 else text[start : text.index("</section>", start)]


# --- a gateway pays a replaced, closed or already paid fee ------------------------------------------------


def test_a_vnpay_payment_of_a_replaced_fee_is_recorded_and_shown_for_a_refund_or_a_manual_match(
    client, catalogue, agency, people
):
    dossier, attempt = _replaced_fee(client, people, agency)

    answer = client.get(IPN, ipn_params(attempt))

    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}  # the money is recorded
    attempt.refresh_from_db()
    assert (attempt.state, attempt.problem, attempt.needs_review) == ("succeeded", "replaced", True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT  # the new fee is not paid by the old one's money
    assert PaymentRequest.objects.get(dossier=dossier, state="pending").amount_vnd == 10000
    client.force_login(people["desk"])
    money = _money_section(client.get("/can-bo/thanh-toan/"))
    assert dossier.code in money and attempt.txn_ref in money and "14000001" in money
    assert "8.000 đồng" in money
    assert "Khoản phí đã được thay" in money
    assert "hoàn trả" in money and "Xác nhận đã nộp phí" in money  # what to do, in the officer's words


def test_two_tabs_that_both_paid_through_vnpay_record_one_payment_and_flag_the_second(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    first, second = _start(client, people, dossier), _start(client, people, dossier)

    assert client.get(IPN, ipn_params(first)).json()["RspCode"] == "00"
    assert client.get(IPN, ipn_params(second)).json()["RspCode"] == "00"

    assert Event.objects.filter(dossier=dossier, action="payment_received").count() == 1
    second.refresh_from_db()
    assert (second.state, second.problem, second.needs_review) == ("succeeded", "duplicate", True)
    first.refresh_from_db()
    assert (first.problem, first.needs_review) == ("", False)
    client.force_login(people["desk"])
    money = _money_section(client.get("/can-bo/thanh-toan/"))
    assert second.txn_ref in money and first.txn_ref not in money
    assert "Nộp trùng" in money and "hoàn trả" in money


def test_a_vnpay_payment_for_a_dossier_stopped_meanwhile_is_flagged_for_a_refund(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    dossiers.perform(dossier, "stop", by=people["specialist"], note="Người nộp không đủ điều kiện")

    assert client.get(IPN, ipn_params(attempt)).json()["RspCode"] == "00"

    attempt.refresh_from_db()
    assert (attempt.problem, attempt.needs_review) == ("cancelled", True)
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    client.force_login(people["desk"])
    assert "Hồ sơ không còn chờ nộp khoản phí này" in _money_section(client.get("/can-bo/thanh-toan/"))


def test_the_national_platform_confirming_an_already_paid_fee_is_flagged(catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    request = PaymentRequest.objects.get(dossier=dossier)
    attempt = services._new_attempt(request, "paygov")
    dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0042"})

    answer = PlatformAnswer(TrangThaiGD="1", SoTien=15000, MaGiaoDich="PG1")
    assert services.check_paygov(attempt, client=answer) == "succeeded"

    attempt.refresh_from_db()
    assert (attempt.problem, attempt.needs_review, attempt.transaction_no) == ("duplicate", True, "PG1")
    assert (
        Event.objects.filter(dossier=dossier, action__in=["confirm_payment", "payment_received"]).count() == 1
    )


def test_the_national_platform_confirming_a_replaced_fee_is_flagged(client, catalogue, agency, people):
    dossier, vnpay_attempt = _replaced_fee(client, people, agency)
    old = vnpay_attempt.request
    attempt = Attempt.objects.create(
        request=old, provider="paygov", txn_ref=f"{old.reference}99", amount_vnd=old.amount_vnd,
        expires_at=vnpay_attempt.expires_at,
    )  # fmt: skip

    services.check_paygov(attempt, client=PlatformAnswer(TrangThaiGD="1", SoTien=8000, MaGiaoDich="PG2"))

    attempt.refresh_from_db()
    assert (attempt.state, attempt.problem, attempt.needs_review) == ("succeeded", "replaced", True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT


def test_the_national_platform_reporting_another_amount_is_flagged(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = services._new_attempt(PaymentRequest.objects.get(dossier=dossier), "paygov")

    services.check_paygov(attempt, client=PlatformAnswer(TrangThaiGD="1", SoTien="1500", MaGiaoDich="PG3"))

    attempt.refresh_from_db()
    assert (attempt.state, attempt.problem, attempt.needs_review) == ("failed", "amount", True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT
    client.force_login(people["desk"])
    money = _money_section(client.get("/can-bo/thanh-toan/"))
    assert "Số tiền không khớp" in money and "PG3" in money


def test_an_officer_marks_flagged_money_handled_once_refunded(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    first, second = _start(client, people, dossier), _start(client, people, dossier)
    client.get(IPN, ipn_params(first))
    client.get(IPN, ipn_params(second))
    client.force_login(people["desk"])

    answer = client.post("/can-bo/thanh-toan/", {"reviewed": second.pk}, follow=True)

    assert _money_section(answer) == ""
    second.refresh_from_db()
    assert (second.needs_review, second.problem) == (False, "duplicate")  # the fact stays


# --- the bank pays a replaced fee --------------------------------------------------------------------------


def test_a_bank_transfer_for_a_replaced_fee_is_flagged_as_such_not_as_unknown(
    client, catalogue, agency, people
):
    dossier, attempt = _replaced_fee(client, people, agency)
    old = attempt.request

    answer = _webhook(
        client, {"id": "FT1", "account": "113000000001", "amount": 8000, "description": old.reference}
    )

    assert answer.status_code == 200 and answer.json()["match"] == "replaced"
    credit = BankTransaction.objects.get()
    assert (credit.request, credit.needs_officer) == (old, True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/")
    assert "Khoản phí đã được thay" in page.text and "Xác nhận đã nộp phí" in page.text


def test_a_bank_transfer_for_a_stopped_dossier_is_flagged_for_a_refund(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    dossiers.perform(dossier, "stop", by=people["specialist"], note="Người nộp không đủ điều kiện")

    answer = _webhook(
        client, {"id": "FT2", "account": "113000000001", "amount": 15000, "description": reference}
    )

    assert answer.json()["match"] == "cancelled"
    assert BankTransaction.objects.get().needs_officer


# --- references unique when payments start together -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_ten_payments_started_at_once_get_ten_unique_references_and_no_error(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    token = _token(client, "0912345678")
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def start():
        try:
            browser = Client(raise_request_exception=False)
            barrier.wait()
            answer = browser.post(
                f"/api/v1/dossiers/{dossier.code}/payment/vnpay", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            statuses.append(answer.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert statuses == [200] * 10
    references = list(Attempt.objects.values_list("txn_ref", flat=True))
    assert len(references) == 10 and len(set(references)) == 10


# --- amounts and identifiers bounded where they enter -----------------------------------------------------


def _signed(client, body: bytes):
    signature = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/payments/bank", body, content_type="application/json", HTTP_X_MOTCUA_SIGNATURE=signature
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 2**31),
        ("amount", 10**30),
        ("amount", -15000),
        ("amount", 0),
        ("amount", 15000.5),
        ("amount", True),
        ("id", "FT\x00001"),
        ("id", "F" * 81),
        ("id", ""),
        ("account", "1130\x0000001"),
        ("time", "2026-13-45T10:00:00"),
    ],
)
def test_a_bank_webhook_with_an_impossible_value_is_refused_plainly(
    client, catalogue, agency, people, field, value
):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    payload = {"id": "FT3", "account": "113000000001", "amount": 15000, "description": reference}

    answer = _signed(client, json.dumps({**payload, field: value}).encode())

    assert answer.status_code == 422
    assert "không hợp lệ" in answer.json()["detail"]
    assert BankTransaction.objects.count() == 0


def test_a_nul_in_a_bank_memo_is_dropped_not_a_crash(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference

    answer = _webhook(
        client,
        {"id": "FT4", "account": "113000000001", "amount": 15000, "description": f"NOP\x00 {reference}"},
    )

    assert answer.json()["match"] == "matched"
    assert BankTransaction.objects.get().memo == f"NOP {reference}"


@pytest.mark.parametrize(
    ("amount", "code"), [(2**31, "04"), (10**40, "04"), (15000, "00")], ids=["2^31", "huge", "right"]
)
def test_a_signed_ipn_with_an_impossible_amount_is_refused_plainly(
    client, catalogue, agency, people, amount, code
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)

    assert client.get(IPN, ipn_params(attempt, amount=amount)).json()["RspCode"] == code


@pytest.mark.parametrize("reference", ["MC\x00", "MC 01", "x" * 5000])
def test_an_ipn_with_an_unreadable_reference_is_answered_not_a_crash(
    client, catalogue, agency, people, reference
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    attempt.txn_ref = reference

    answer = client.get(IPN, ipn_params(attempt))

    assert answer.status_code == 200 and answer.json()["RspCode"] == "01"


def test_a_statement_row_with_an_impossible_amount_is_reported_not_a_crash(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    csv = (
        "Ngày giao dịch;Số tham chiếu;Số tiền;Nội dung\n"
        f"29/11/2026;FT1;15.000;Nộp lệ phí {reference}\n"
        "29/11/2026;FT2;3.000.000.000;Chuyển tiền\n"
        "29/11/2026;FT3;99999999999999999999999999;Chuyển tiền\n"
        "29/11/2026;FT\x004;20.000;Chuyển\x00 tiền\n"
    ).encode()
    client.force_login(people["desk"])

    page = client.post("/can-bo/thanh-toan/", {"statement": SimpleUploadedFile("sao-ke.csv", csv)})

    assert page.status_code == 200
    summary = page.context["summary"]
    assert (summary.rows, summary.new, summary.matched) == (4, 2, 1)
    assert [e[:7] for e in summary.errors] == ["Dòng 3:", "Dòng 4:"]
    assert all("quá lớn" in e for e in summary.errors)
    assert set(BankTransaction.objects.values_list("bank_ref", "memo")) == {
        ("FT1", f"Nộp lệ phí {reference}"),
        ("FT4", "Chuyển tiền"),
    }
