"""Fees and every way to pay them, end to end through the real services, API and pages."""

import hashlib
import hmac
import io
import json
import threading
import urllib.parse

import pytest
from django.db import connection
from django.utils import timezone

from motcua.agencies.services import set_officer
from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Event, Status
from motcua.dossiers.tests.factories import BIRTH_FORM, dossier_in, file_birth, filed_at_counter, sample_form
from motcua.payments import services, vietqr, vnpay
from motcua.payments.models import Attempt, BankTransaction, PaymentRequest

pytestmark = pytest.mark.django_db
SECRET = "test-vnpay-secret"
WEBHOOK_SECRET = "test-webhook-secret"


@pytest.fixture(autouse=True)
def payment_settings(settings, agency):
    settings.VNPAY_TMN_CODE = "TEST0001"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.BANK_WEBHOOK_SECRET = WEBHOOK_SECRET
    agency.bank_bin, agency.bank_account, agency.bank_name = "970415", "113000000001", "VietinBank"
    agency.bank_account_name = "UBND XA VINH LINH"
    agency.save()


def awaiting_fee(people, agency, amount=15000):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    return dossiers.perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        note="Lệ phí",
        data={"amount_vnd": amount, "reason": "Lệ phí cấp bản sao"},
    )


def ipn_params(attempt, *, amount=None, code="00", status="00", secret=SECRET):
    params = {
        "vnp_Amount": str((amount if amount is not None else attempt.amount_vnd) * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14000001",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Le phi",
        "vnp_PayDate": "20261129101500",
        "vnp_ResponseCode": code,
        "vnp_TmnCode": "TEST0001",
        "vnp_TransactionNo": "14000001",
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": attempt.txn_ref,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, hash_secret=secret)
    return params


# --- how much ---------------------------------------------------------------------------------------------


def test_birth_registered_on_time_pays_only_for_extra_copies(catalogue, agency, citizen):
    dossier = file_birth(
        citizen,
        agency,
        form={
            **BIRTH_FORM,
            "child_birth_date": timezone.localdate().isoformat(),
            "copies_requested": True,
            "copies_count": 2,
        },
    )
    fee = services.quote(dossier)
    assert fee.amount_vnd == 16000
    assert [label for label, _ in fee.lines] == ["Phí cấp bản sao Trích lục khai sinh (nếu xin thêm)"]
    assert "Đăng ký khai sinh đúng hạn" in fee.waived[0]


def test_a_late_birth_registration_pays_the_late_fee(catalogue, agency, citizen):
    dossier = file_birth(citizen, agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    assert services.quote(dossier).amount_vnd == 8000


def test_a_fee_due_at_filing_is_asked_for_at_once_and_the_dossier_stays_with_the_desk(
    client, catalogue, agency, citizen
):
    dossier = file_birth(citizen, agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    assert dossier.status == Status.NEW
    request = PaymentRequest.objects.get(dossier=dossier)
    assert (request.amount_vnd, request.state) == (8000, "pending")
    client.force_login(citizen)
    mine = client.get("/ho-so/")
    assert [d.code for d in mine.context["action_needed"]] == [dossier.code]
    assert "Bạn cần nộp phí, lệ phí" in mine.text


def test_an_on_time_birth_registration_asks_for_nothing(catalogue, agency, citizen):
    file_birth(citizen, agency)
    assert PaymentRequest.objects.count() == 0


# --- requesting and cash ----------------------------------------------------------------------------------


def test_requesting_payment_shows_amount_reason_and_every_way_to_pay(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    assert dossier.status == Status.PAYMENT
    client.force_login(people["citizen"])
    page = client.get(dossier.get_absolute_url())
    assert "15.000 đồng" in page.text and "Lệ phí cấp bản sao" in page.text
    assert "Quét mã QR" in page.text and "Thanh toán qua VNPay" in page.text and "tiền mặt" in page.text
    request = PaymentRequest.objects.get(dossier=dossier)
    assert request.reference in page.text
    assert client.get(f"/ho-so/{dossier.code}/thanh-toan/qr.svg")["Content-Type"] == "image/svg+xml"


def test_cash_at_the_desk_needs_a_receipt_number_and_moves_the_dossier_on(catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    with pytest.raises(dossiers.Invalid) as error:
        dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": " "})
    assert list(error.value.errors) == ["receipt_number"]
    dossier = dossiers.perform(
        dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0042"}
    )
    assert dossier.status == Status.PROCESSING
    request = PaymentRequest.objects.get(dossier=dossier)
    assert (request.state, request.method, request.receipt_number) == ("paid", "cash", "BL-0042")


# --- VietQR -----------------------------------------------------------------------------------------------


def test_the_vietqr_code_carries_bank_account_amount_and_reference(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    token = _token(client, "0912345678")
    body = client.get(f"/api/v1/dossiers/{dossier.code}/payment", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    parsed = vietqr.parse_payload(body["vietqr"]["payload"])
    assert body["amount_vnd"] == 15000 and body["status"] == "pending"
    assert body["methods"] == ["vietqr", "cash", "vnpay"]
    text = json.dumps(parsed)
    assert "970415" in text and "113000000001" in text and "15000" in text and body["reference"] in text


def _token(client, username):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": "demo-2026"}, content_type="application/json"
    ).json()["token"]


def _webhook(client, payload: dict, secret=WEBHOOK_SECRET):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return client.post(
        "/api/v1/payments/bank", body, content_type="application/json", HTTP_X_MOTCUA_SIGNATURE=signature
    )


def test_a_bank_transfer_with_the_reference_pays_the_fee_by_itself(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    request = PaymentRequest.objects.get(dossier=dossier)
    memo = f"NGUYEN THI HUONG chuyen tien {request.reference[:5]} {request.reference[5:]}"
    answer = _webhook(
        client,
        {
            "id": "FT2611290001",
            "account": "113000000001",
            "amount": 15000,
            "description": memo,
            "time": "2026-11-29T10:00:00+07:00",
        },
    )
    assert answer.status_code == 200 and answer.json()["match"] == "matched"
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert dossier.status == Status.PROCESSING and request.state == "paid"
    assert dossier.events.last().actor is None and dossier.events.last().role == "system"


def test_a_replayed_webhook_changes_nothing(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    payload = {"id": "FT1", "account": "113000000001", "amount": 15000, "description": reference}
    _webhook(client, payload)
    events = dossier.events.count()
    again = _webhook(client, payload)
    assert again.json()["new"] is False
    assert BankTransaction.objects.count() == 1 and dossier.events.count() == events


@pytest.mark.parametrize(
    ("amount", "match", "status", "state"),
    [(10000, "underpaid", Status.PAYMENT, "pending"), (20000, "overpaid", Status.PROCESSING, "paid")],
)
def test_under_and_over_payments_are_flagged_for_an_officer(
    client, catalogue, agency, people, amount, match, status, state
):
    dossier = awaiting_fee(people, agency)
    request = PaymentRequest.objects.get(dossier=dossier)
    _webhook(
        client, {"id": "FT2", "account": "113000000001", "amount": amount, "description": request.reference}
    )
    credit = BankTransaction.objects.get()
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert (credit.match, dossier.status, request.state, credit.needs_officer) == (match, status, state, True)


def test_a_second_payment_and_an_unknown_reference_are_flagged(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    _webhook(client, {"id": "A", "account": "113000000001", "amount": 15000, "description": reference})
    _webhook(client, {"id": "B", "account": "113000000001", "amount": 15000, "description": reference})
    _webhook(client, {"id": "C", "account": "113000000001", "amount": 15000, "description": "tien hoc phi"})
    assert dict(BankTransaction.objects.values_list("bank_ref", "match")) == {
        "A": "matched",
        "B": "duplicate",
        "C": "unmatched",
    }
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/")
    assert "Nộp trùng" in page.text and "Không tìm thấy hồ sơ" in page.text


@pytest.mark.parametrize("how", ["forged", "no-signature", "altered"])
def test_a_forged_or_altered_webhook_changes_nothing(client, catalogue, agency, people, how):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    payload = {"id": "X", "account": "113000000001", "amount": 15000, "description": reference}
    if how == "forged":
        answer = _webhook(client, payload, secret="guessed")
    elif how == "no-signature":
        answer = client.post("/api/v1/payments/bank", payload, content_type="application/json")
    else:
        body = json.dumps(payload).encode()
        signature = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        answer = client.post(
            "/api/v1/payments/bank",
            body.replace(b"15000", b"1500"),
            content_type="application/json",
            HTTP_X_MOTCUA_SIGNATURE=signature,
        )
    assert answer.status_code == 401
    assert BankTransaction.objects.count() == 0
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT


def test_a_messy_statement_import_reconciles_and_flags(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference
    csv = (
        "\ufeffSAO KÊ TÀI KHOẢN;;;\n"
        "Số tài khoản: 113000000001;;;\n"
        "Ngày giao dịch;Số tham chiếu;Số tiền;Nội dung\n"
        f"29/11/2026 10:01;FT26333001;15.000;Nộp lệ phí {reference.lower()} Nguyễn Thị Hường\n"
        "29/11/2026 10:05;FT26333002;50.000 VND;Chuyển tiền không rõ\n"
        "29/11/2026 10:07;FT26333003;abc;hỏng\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["desk"])
    page = client.post("/can-bo/thanh-toan/", {"statement": SimpleUploadedFile("sao-ke.csv", csv)})
    summary = page.context["summary"]
    assert (summary.rows, summary.new, summary.matched, summary.flagged) == (3, 2, 1, 1)
    assert len(summary.errors) == 1
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


# --- VNPay ------------------------------------------------------------------------------------------------


def _start(client, people, dossier):
    token = _token(client, "0912345678")
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/payment/vnpay", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 200
    url = answer.json()["redirect_url"]
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    assert vnpay.verify(query, hash_secret=SECRET)
    return Attempt.objects.get(txn_ref=query["vnp_TxnRef"])


def test_vnpay_payment_confirmed_by_ipn_moves_the_dossier_on(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    answer = client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt))
    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
    dossier.refresh_from_db()
    attempt.refresh_from_db()
    assert dossier.status == Status.PROCESSING and attempt.state == "succeeded"
    assert client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt)).json()["RspCode"] == "02"


@pytest.mark.parametrize(
    ("change", "code"),
    [({"secret": "wrong"}, "97"), ({"amount": 1}, "04"), ({"ref": "MCUNKNOWN01"}, "01")],
)
def test_forged_altered_or_unknown_ipn_changes_nothing(client, catalogue, agency, people, change, code):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    if "ref" in change:
        attempt.txn_ref = change["ref"]
    params = ipn_params(attempt, amount=change.get("amount"), secret=change.get("secret", SECRET))
    assert client.get("/api/v1/payments/vnpay/ipn", params).json()["RspCode"] == code
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT
    assert Attempt.objects.get().state == "started"


def test_a_cancelled_vnpay_payment_explains_itself_and_keeps_the_dossier_payable(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt, code="24", status="02"))
    attempt.refresh_from_db()
    assert attempt.state == "failed" and "hủy" in attempt.message
    client.force_login(people["citizen"])
    page = client.get(dossier.get_absolute_url())
    assert "Lần thanh toán trước chưa thành công" in page.text and "Quét mã QR" in page.text
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT


def _review_section(page) -> str:
    text = page.content.decode()
    start = text.find('id="h-review"')
    return "" if start < 0 else text[start : text.index("</section>", start)]


def test_vnpay_suspicious_debit_is_flagged_for_officers(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)

    answer = client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt, code="07", status="07"))

    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
    attempt.refresh_from_db()
    assert (attempt.state, attempt.response_code, attempt.needs_review) == ("failed", "07", True)
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT  # VNPay holds the money: not paid until an officer checks
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/")
    review = _review_section(page)
    assert "Giao dịch VNPay cần kiểm tra" in review
    assert "VNPay đang tạm giữ giao dịch" in review
    assert "không yêu cầu người nộp thanh toán lại" in review
    assert dossier.code in review and attempt.txn_ref in review and "14000001" in review
    assert "Cần kiểm tra" in page.text  # on the attempt's row in the list of attempts too


def test_an_ordinary_failed_vnpay_payment_is_not_flagged(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt, code="24", status="02"))

    attempt.refresh_from_db()
    assert attempt.needs_review is False
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/")
    assert _review_section(page) == "" and "Cần kiểm tra" not in page.text


def test_an_officer_clears_a_suspicious_debit_once_checked_and_only_in_their_commune(
    client, catalogue, agency, people, other_desk
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt, code="07", status="07"))

    client.force_login(other_desk)
    assert client.post("/can-bo/thanh-toan/", {"reviewed": attempt.pk}).status_code == 404
    client.force_login(people["desk"])
    answer = client.post("/can-bo/thanh-toan/", {"reviewed": attempt.pk}, follow=True)

    assert "Đã đánh dấu giao dịch là đã kiểm tra xong." in answer.text
    assert _review_section(answer) == ""
    attempt.refresh_from_db()
    assert (attempt.needs_review, attempt.response_code) == (False, "07")  # the code keeps the fact


def test_an_officer_without_a_role_can_neither_see_nor_clear_the_payments_page(
    client, catalogue, agency, people
):
    from conftest import _person

    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    client.get("/api/v1/payments/vnpay/ipn", ipn_params(attempt, code="07", status="07"))
    client.force_login(_person("nghiviec", "Phạm Văn Cũ", agency=agency, roles=()))

    # 404, like every page that is not for you (motcua/policy.py), no longer a 403 of its own
    assert client.get("/can-bo/thanh-toan/").status_code == 404
    assert client.post("/can-bo/thanh-toan/", {"reviewed": attempt.pk}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.needs_review is True


def test_a_community_team_member_does_not_find_the_payments_page(client, agency, community):
    services.record_bank_credit(
        agency, bank_ref="FT26333009", amount_vnd=50000, memo="Le phi", booked_at=None, source="webhook"
    )
    client.force_login(community)

    response = client.get("/can-bo/thanh-toan/")

    assert response.status_code == 404
    assert "FT26333009" not in response.content.decode()


def test_a_post_to_the_payments_page_is_refused_before_the_view_runs(client, agency, community):
    credit, _ = services.record_bank_credit(
        agency, bank_ref="FT26333009", amount_vnd=50000, memo="khong ro", booked_at=None, source="webhook"
    )
    statement = "Ngày giao dịch;Số tham chiếu;Số tiền;Nội dung\n29/11/2026 10:05;FT26333010;20.000;x\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(community)
    resolve = client.post("/can-bo/thanh-toan/", {"resolve": credit.pk})
    upload = client.post(
        "/can-bo/thanh-toan/", {"statement": SimpleUploadedFile("sao-ke.csv", statement.encode())}
    )

    assert (resolve.status_code, upload.status_code) == (404, 404)
    credit.refresh_from_db()
    assert credit.resolved is False
    assert list(BankTransaction.objects.values_list("bank_ref", flat=True)) == ["FT26333009"]


def test_only_the_desk_records_an_exemption(client, catalogue, agency, people, community):
    dossier = awaiting_fee(people, agency)
    for name in ("specialist", "leader"):
        client.force_login(people[name])
        assert client.post(f"/can-bo/ho-so/{dossier.code}/mien-phi/", {"category": "x"}).status_code == 404
    client.force_login(community)
    assert client.post(f"/can-bo/ho-so/{dossier.code}/mien-phi/", {"category": "x"}).status_code == 404


def test_the_return_page_only_shows_and_never_changes_state(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    page = client.get("/thanh-toan/ket-qua/", ipn_params(attempt))
    assert "Thanh toán thành công." in page.text
    dossier.refresh_from_db()
    attempt.refresh_from_db()
    assert dossier.status == Status.PAYMENT and attempt.state == "started"
    forged = client.get("/thanh-toan/ket-qua/", ipn_params(attempt, secret="x"))
    assert forged.status_code == 400


def test_an_abandoned_attempt_expires(catalogue, agency, people, client):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    Attempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    [expired] = services.attempts_for(attempt.request)
    assert expired.state == "expired" and "Quá thời gian" in expired.message


@pytest.mark.django_db(transaction=True)
def test_duplicate_ipns_arriving_together_record_one_payment(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    params = ipn_params(attempt)
    barrier = threading.Barrier(4)
    answers = []

    def call():
        try:
            barrier.wait()
            answers.append(services.handle_vnpay_ipn(params)[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == ["00", "02", "02", "02"]
    assert Event.objects.filter(dossier=dossier, action="payment_received").count() == 1
    assert PaymentRequest.objects.get(dossier=dossier).state == "paid"


def test_an_exempt_citizen_pays_nothing_and_sees_why(client, catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    dossier = dossiers.perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        note="Lệ phí",
        data={"amount_vnd": 8000, "reason": "Lệ phí đăng ký khai sinh quá hạn"},
    )
    client.force_login(people["desk"])
    client.post(
        f"/can-bo/ho-so/{dossier.code}/mien-phi/", {"category": "poor_household", "note": "Sổ hộ nghèo 2026"}
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    request = PaymentRequest.objects.get(state="exempt")
    assert request.amount_vnd == 0 and request.exemption == "Hộ nghèo. Sổ hộ nghèo 2026"
    client.force_login(people["citizen"])
    page = client.get(dossier.get_absolute_url())
    assert "Được miễn phí, lệ phí" in page.text and "Hộ nghèo" in page.text


class PlatformAnswer:
    """What the national platform's QUERY answered (the HTTP client itself is tested in test_paygov)."""

    def __init__(self, **answer):
        self.answer = answer

    def status(self, reference, when):
        return self.answer


@pytest.mark.parametrize(
    ("answer", "attempt_state", "dossier_status"),
    [
        ({"TrangThaiGD": "1", "SoTien": 15000, "MaGiaoDich": "PG1"}, "succeeded", Status.PROCESSING),
        ({"TrangThaiGD": "1", "SoTien": 1500}, "failed", Status.PAYMENT),
        ({"TrangThaiGD": "4"}, "failed", Status.PAYMENT),
        ({"TrangThaiGD": "3"}, "started", Status.PAYMENT),
    ],
)
def test_the_national_platforms_status_query_records_only_a_matching_payment(
    catalogue, agency, people, answer, attempt_state, dossier_status
):
    dossier = awaiting_fee(people, agency)
    request = PaymentRequest.objects.get(dossier=dossier)
    attempt = services._new_attempt(request, "paygov")
    assert services.check_paygov(attempt, client=PlatformAnswer(**answer)) == attempt_state
    dossier.refresh_from_db()
    assert dossier.status == dossier_status
    assert (
        services.check_paygov(attempt, client=PlatformAnswer(**answer)) == attempt_state
    )  # asking again: same


def test_paying_through_the_national_platform_end_to_end(client, catalogue, agency, people, settings):
    """The citizen is sent to the platform's page (INIT), the status query confirms, the dossier moves on."""
    from http.server import ThreadingHTTPServer

    from django.core.management import call_command

    from .test_paygov import PARTNER, PAY_URL, TOKEN, Handler, StandIn
    from .test_paygov import SECRET as PAYGOV_SECRET

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.stand_in = StandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.PAYGOV_URL = f"http://127.0.0.1:{server.server_address[1]}/api/v1/"
        settings.PAYGOV_TOKEN, settings.PAYGOV_PARTNER_CODE, settings.PAYGOV_SECRET = (
            TOKEN,
            PARTNER,
            PAYGOV_SECRET,
        )
        dossier = awaiting_fee(people, agency, amount=8000)
        client.force_login(people["citizen"])
        assert "Thanh toán qua Cổng dịch vụ công quốc gia" in client.get(dossier.get_absolute_url()).text
        response = client.post(f"/ho-so/{dossier.code}/thanh-toan/dvcqg/")
        assert response.status_code == 302 and response["Location"] == PAY_URL
        init = server.stand_in.received[0]["body"]
        assert init["LoaiBanTin"] == "INIT" and init["SoTien"] in (8000, "8000")
        call_command("paygov_status", stdout=io.StringIO())
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
        assert PaymentRequest.objects.get(dossier=dossier).state == "paid"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_periodic_worker_confirms_a_payment_made_through_the_national_platform(
    client, catalogue, agency, people, settings
):
    """Nobody runs `paygov_status` by hand: `manage.py periodic` asks the platform, the dossier moves on."""
    from http.server import ThreadingHTTPServer

    from django.core.management import call_command

    from motcua.periodic.services import registered

    from .test_paygov import PARTNER, TOKEN, Handler, StandIn
    from .test_paygov import SECRET as PAYGOV_SECRET

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.stand_in = StandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.PAYGOV_URL = f"http://127.0.0.1:{server.server_address[1]}/api/v1/"
        settings.PAYGOV_TOKEN, settings.PAYGOV_PARTNER_CODE, settings.PAYGOV_SECRET = (
            TOKEN,
            PARTNER,
            PAYGOV_SECRET,
        )
        dossier = awaiting_fee(people, agency, amount=8000)
        client.force_login(people["citizen"])
        assert client.post(f"/ho-so/{dossier.code}/thanh-toan/dvcqg/").status_code == 302

        assert registered()["paygov_status"].every == 60
        call_command("periodic", "--job", "paygov_status", "--ticks", "1", stdout=io.StringIO())

        assert [r["body"]["LoaiBanTin"] for r in server.stand_in.received] == ["INIT", "QUERY"]
        attempt = Attempt.objects.get(request__dossier=dossier)
        assert (attempt.state, attempt.transaction_no) == ("succeeded", "PG2611200000123")
        assert PaymentRequest.objects.get(dossier=dossier).state == "paid"
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
    finally:
        server.shutdown()
        server.server_close()


def test_the_paygov_job_waits_quietly_while_the_platform_is_not_configured(
    catalogue, agency, people, settings
):
    from motcua.periodic.services import registered

    settings.PAYGOV_URL = ""
    dossier = awaiting_fee(people, agency)
    services._new_attempt(PaymentRequest.objects.get(dossier=dossier), "paygov")

    assert registered()["paygov_status"].func() == []
    assert Attempt.objects.get().state == "started"


def test_the_paygov_job_stops_asking_about_an_attempt_abandoned_a_day_ago(
    catalogue, agency, people, settings
):
    from motcua.periodic.services import registered

    settings.PAYGOV_URL = "http://127.0.0.1:9/api/v1/"  # nothing listens: each question fails at once
    settings.PAYGOV_TOKEN, settings.PAYGOV_PARTNER_CODE, settings.PAYGOV_SECRET = ("t", "000.20.44.H54", "s")
    request = PaymentRequest.objects.get(dossier=awaiting_fee(people, agency))
    abandoned = services._new_attempt(request, "paygov")
    Attempt.objects.filter(pk=abandoned.pk).update(created_at=timezone.now() - timezone.timedelta(hours=25))
    recent = services._new_attempt(request, "paygov")

    [(reference, outcome)] = registered()["paygov_status"].func()

    assert reference == recent.txn_ref and outcome.startswith("error: ")


# One lock order (dossier → payment request → attempt) everywhere: the gateway, the bank and the desk
# confirming one fee at the same moment record one payment and never deadlock (on PostgreSQL in CI, where
# the row locks are real).
@pytest.mark.django_db(transaction=True)
def test_an_ipn_a_bank_credit_and_cash_at_the_desk_at_once_record_one_payment_and_no_deadlock(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    request = PaymentRequest.objects.get(dossier=dossier, state="pending")
    start = threading.Barrier(3)
    outcomes: dict[str, object] = {}

    def ipn():
        return services.handle_vnpay_ipn(ipn_params(attempt))[0]

    def bank():
        credit, _created = services.record_bank_credit(
            agency,
            bank_ref="FT26335000001",
            amount_vnd=request.amount_vnd,
            memo=f"{request.reference} le phi",
            booked_at=timezone.now(),
            source="webhook",
        )
        return credit.match

    def cash():
        dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "0001"})
        return "cash"

    def run(name, work):
        try:
            start.wait(timeout=30)
            outcomes[name] = work()
        except Exception as error:  # noqa: BLE001 - every outcome is asserted below
            outcomes[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=item) for item in [("ipn", ipn), ("bank", bank), ("cash", cash)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    deadlocks = [o for o in outcomes.values() if "deadlock" in str(o).lower()]
    assert deadlocks == []
    paid = Event.objects.filter(dossier=dossier, action__in=["payment_received", "confirm_payment"])
    assert paid.count() == 1
    request.refresh_from_db()
    assert request.state == "paid"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_pending) == (4, False)
    winner = paid.get().data["payment_method"]
    # The others lost cleanly: the gateway's money is on its attempt, the bank's credit is flagged, the desk
    # was told the fee is no longer waiting.
    assert winner in ("vnpay", "vietqr", "cash")
    if winner != "vietqr":
        assert outcomes["bank"] == BankTransaction.Match.DUPLICATE
    if winner != "cash":
        assert isinstance(outcomes["cash"], dossiers.NotAllowed)
    if winner != "vnpay":
        assert outcomes["ipn"] == "00"


def test_filing_at_the_counter_opens_the_fee_request_up_front(catalogue, agency, people):
    dossier = filed_at_counter("1.004873", desk=people["desk"], agency=agency)

    request = services.current_request(dossier)
    assert (request.state, request.amount_vnd, request.requested_by) == ("pending", 15000, None)


def test_community_filing_opens_the_fee_request_up_front(catalogue, agency, django_user_model):
    helper = django_user_model.objects.create_user(
        username="congdong", password="x", full_name="Tổ công nghệ"
    )
    set_officer(helper, agency=agency, roles=["community"])
    helper.refresh_from_db()
    procedure = get_procedure("1.004873")

    dossier = dossiers.file_on_behalf(
        procedure=procedure,
        agency=agency,
        by=helper,
        applicant_name="Lê Thị Cúc",
        applicant_phone="0905123456",
        form=sample_form(procedure),
        consent=True,
    )

    assert (dossier.status, services.current_request(dossier).amount_vnd) == (Status.NEW, 15000)


def test_a_bank_credit_for_an_up_front_fee_is_a_payment_received_event(catalogue, agency, people):
    dossier = filed_at_counter("1.004873", desk=people["desk"], agency=agency)
    request = services.current_request(dossier)

    credit, _created = services.record_bank_credit(
        agency,
        bank_ref="FT26335000009",
        amount_vnd=15000,
        memo=f"{request.reference} chuyen tien",
        booked_at=timezone.now(),
        source="webhook",
    )

    assert credit.match == BankTransaction.Match.MATCHED
    event = dossier.events.latest("pk")
    assert (event.action, event.data) == (
        "payment_received",
        {"amount_vnd": 15000, "payment_method": "vietqr"},
    )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_pending) == (Status.RECEIVED, False)
