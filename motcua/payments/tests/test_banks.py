"""The bank-notification services SePay and Casso post each transfer to the agency's fee account: their
own authentication (SePay's API key, Casso's HMAC-SHA512 signature) exactly as published, their own JSON
fields, once per transaction id, and the transfer memo matched like every other credit."""

import hashlib
import hmac
import json

import pytest

from motcua.dossiers.models import Status
from motcua.payments import banks, services
from motcua.payments.models import BankTransaction, NoticeRefusal, PaymentRequest

from .test_payments import awaiting_fee, payment_settings  # noqa: F401 - payment_settings is autouse

pytestmark = pytest.mark.django_db
SEPAY_KEY = "sepay-key-of-the-commune"
CASSO_KEY = "casso-checksum-key-of-the-commune"


@pytest.fixture(autouse=True)
def notice_keys(settings):
    settings.SEPAY_API_KEY = SEPAY_KEY
    settings.CASSO_WEBHOOK_SECRET = CASSO_KEY


@pytest.fixture
def fee(people, agency, catalogue):
    dossier = awaiting_fee(people, agency)
    return dossier, PaymentRequest.objects.get(dossier=dossier).reference


def sepay_notice(reference: str, **changes) -> dict:
    """A transfer as SePay's webhook sends it (developer.sepay.vn, "Tích hợp webhook")."""
    return {
        "id": 92704,
        "gateway": "VietinBank",
        "transactionDate": "2026-11-29 10:02:37",
        "accountNumber": "113000000001",
        "code": None,
        "content": f"{reference} NGUYEN THI HUONG chuyen tien",
        "transferType": "in",
        "transferAmount": 15000,
        "accumulated": 19077000,
        "subAccount": None,
        "referenceCode": "FT26333123456",
        "description": f"BankAPINotify {reference} NGUYEN THI HUONG chuyen tien",
        **changes,
    }


def post_sepay(client, payload: dict, key: str | None = SEPAY_KEY):
    headers = {"HTTP_AUTHORIZATION": f"Apikey {key}"} if key is not None else {}
    return client.post(
        "/api/v1/payments/sepay", json.dumps(payload), content_type="application/json", **headers
    )


def casso_notice(reference: str, **changes) -> dict:
    """A transfer as Casso's webhook v2 sends it (developer.casso.vn, "Thiết lập Webhook thủ công")."""
    return {
        "error": 0,
        "data": {
            "id": 3360341,
            "reference": "FT26333654321",
            "description": f"NGUYEN THI HUONG chuyen tien {reference}",
            "amount": 15000,
            "runningBalance": 25000000,
            "transactionDateTime": "2026-11-29 10:06:37",
            "accountNumber": "113000000001",
            "bankName": "VietinBank",
            "bankAbbreviation": "ICB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN THI HUONG",
            "counterAccountNumber": "0011001234567",
            "counterAccountBankId": "970436",
            "counterAccountBankName": "Vietcombank",
            **changes,
        },
    }


def _sorted(value):
    return {k: _sorted(value[k]) for k in sorted(value)} if isinstance(value, dict) else value


def casso_signature(
    payload: dict, *, key: str = CASSO_KEY, at: int = 1764385597000, php: bool = False
) -> str:
    """Signed as Casso's published samples sign: t, ".", the key-sorted body as compact JSON (Node.js's
    JSON.stringify, or PHP's json_encode, which escapes "/" and every non-ASCII letter)."""
    text = json.dumps(_sorted(payload), separators=(",", ":"), ensure_ascii=php)
    if php:
        text = text.replace("/", "\\/")
    digest = hmac.new(key.encode(), f"{at}.{text}".encode(), hashlib.sha512).hexdigest()
    return f"t={at},v1={digest}"


def post_casso(client, payload: dict, signature: str | None = None, body: str | None = None):
    return client.post(
        "/api/v1/payments/casso",
        body if body is not None else json.dumps(payload, ensure_ascii=False),
        content_type="application/json",
        HTTP_X_CASSO_SIGNATURE=signature if signature is not None else casso_signature(payload),
    )


# --- Casso's own test vector -------------------------------------------------------------------------------

# Casso's published sample: its payload, its checksum key, and the X-Casso-Signature it sends for them.
PUBLISHED = {
    "error": 0,
    "data": {
        "id": 0,
        "reference": "MA_GIAO_DICH_THU_NGHIEM",
        "description": "giao dich thu nghiem",
        "amount": 599000,
        "runningBalance": 25000000,
        "transactionDateTime": "2024-10-03 15:06:37",
        "accountNumber": "88888888",
        "bankName": "VPBank",
        "bankAbbreviation": "VPB",
        "virtualAccountNumber": "",
        "virtualAccountName": "",
        "counterAccountName": "NGUYEN VAN A",
        "counterAccountNumber": "8888888888",
        "counterAccountBankId": "970415",
        "counterAccountBankName": "VietinBank",
    },
}
PUBLISHED_KEY = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs"
PUBLISHED_SIGNATURE = (
    "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e2249"
    "00fa7904e7c88dfa098032fb2d6b6996856e8b7ff3"
)


def test_cassos_published_signature_is_verified_and_a_changed_amount_is_not():
    body = json.dumps(PUBLISHED, indent=2).encode()  # spacing and key order as sent do not matter

    banks.verify_casso(body, PUBLISHED_SIGNATURE, secret=PUBLISHED_KEY)
    changed = json.dumps({**PUBLISHED, "data": {**PUBLISHED["data"], "amount": 599001}}).encode()
    with pytest.raises(banks.Rejected):
        banks.verify_casso(changed, PUBLISHED_SIGNATURE, secret=PUBLISHED_KEY)
    assert (
        banks.casso_signature(body, secret=PUBLISHED_KEY, timestamp_ms=1727948258788) == PUBLISHED_SIGNATURE
    )


def test_cassos_test_call_is_answered_and_records_nothing(client, settings, fee):
    settings.CASSO_WEBHOOK_SECRET = PUBLISHED_KEY

    answer = post_casso(client, PUBLISHED, PUBLISHED_SIGNATURE)

    assert (answer.status_code, answer.json()) == (200, {"success": True, "recorded": False})
    assert not BankTransaction.objects.exists()


# --- SePay -------------------------------------------------------------------------------------------------


def test_a_sepay_notice_with_its_api_key_pays_the_fee(client, fee):
    dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference))

    assert answer.status_code == 200
    assert answer.json() == {"success": True, "recorded": True, "new": True, "match": "matched"}
    credit = BankTransaction.objects.get()
    assert (credit.source, credit.provider_ref, credit.bank_ref, credit.amount_vnd) == (
        "sepay",
        "92704",
        "FT26333123456",
        15000,
    )
    assert credit.booked_at.isoformat() == "2026-11-29T03:02:37+00:00"  # 10:02:37 in Vietnam
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_sepay_sending_a_notice_again_records_it_once(client, fee):
    _dossier, reference = fee
    post_sepay(client, sepay_notice(reference))

    again = post_sepay(client, sepay_notice(reference, referenceCode="FT26333999999"))

    assert again.json() == {"success": True, "recorded": True, "new": False, "match": "matched"}
    assert BankTransaction.objects.count() == 1


@pytest.mark.parametrize("key", ["the-wrong-key", "", None])
def test_a_sepay_notice_without_the_right_key_is_refused_and_the_officer_sees_it(client, people, fee, key):
    dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference), key=key)

    assert answer.status_code == 401
    assert not BankTransaction.objects.exists()
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT
    refusal = NoticeRefusal.objects.get()
    assert (refusal.source, refusal.account, refusal.reason, refusal.count) == (
        "sepay",
        "113000000001",
        "bad key",
        1,
    )
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/").text
    assert "Dịch vụ báo có đang bị từ chối" in page and "SePay: 1 lần, sai khóa API" in page


def test_a_key_in_another_form_is_refused(client, fee):
    _dossier, reference = fee

    bearer = client.post(
        "/api/v1/payments/sepay",
        json.dumps(sepay_notice(reference)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {SEPAY_KEY}",
    )

    assert bearer.status_code == 401


def test_without_a_sepay_key_configured_every_notice_is_refused(client, settings, fee):
    settings.SEPAY_API_KEY = ""
    _dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference), key="")

    assert answer.status_code == 403
    assert not BankTransaction.objects.exists()


def test_money_going_out_is_not_a_credit(client, fee):
    _dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference, transferType="out"))

    assert answer.json() == {"success": True, "recorded": False}
    assert not BankTransaction.objects.exists()


def test_a_sepay_notice_for_an_account_that_is_no_agencys_is_refused(client, fee):
    _dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference, accountNumber="999999999"))

    assert answer.status_code == 422
    assert "không có tài khoản thu phí này" in answer.json()["detail"]


@pytest.mark.parametrize(
    "change",
    [{"transferAmount": -15000}, {"transferAmount": "15000"}, {"transactionDate": "29/11"}, {"id": None}],
)
def test_an_unreadable_sepay_field_is_refused_field_by_field(client, fee, change):
    _dossier, reference = fee

    answer = post_sepay(client, sepay_notice(reference, **change))

    assert answer.status_code == 422
    assert f"“{next(iter(change))}”" in answer.json()["detail"]


# --- Casso -------------------------------------------------------------------------------------------------


def test_a_signed_casso_notice_pays_the_fee_once(client, fee):
    dossier, reference = fee
    payload = casso_notice(reference)

    first, again = post_casso(client, payload), post_casso(client, payload)

    assert first.json() == {"success": True, "recorded": True, "new": True, "match": "matched"}
    assert again.json()["new"] is False
    credit = BankTransaction.objects.get()
    assert (credit.source, credit.provider_ref, credit.bank_ref) == ("casso", "3360341", "FT26333654321")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


@pytest.mark.parametrize("php", [False, True])
def test_casso_signatures_of_memos_with_slashes_and_diacritics_hold_as_node_and_php_write_them(
    client, fee, php
):
    _dossier, reference = fee
    payload = casso_notice(reference, description=f"Nguyễn Thị Hường nộp phí 29/11 {reference}")

    answer = post_casso(client, payload, casso_signature(payload, php=php))

    assert answer.json()["match"] == "matched"


@pytest.mark.parametrize(
    "signature",
    [
        casso_signature(casso_notice("MCAAAAAAAA"), key="another-key"),
        "t=1764385597000,v1=" + "0" * 128,
        "sha256=abc",
        "",
    ],
)
def test_a_casso_notice_without_a_good_signature_is_refused(client, fee, signature):
    dossier, reference = fee

    answer = post_casso(client, casso_notice(reference), signature)

    assert answer.status_code == 401
    assert not BankTransaction.objects.exists()
    assert NoticeRefusal.objects.get().source == "casso"


def test_a_casso_notice_changed_after_signing_is_refused(client, fee):
    dossier, reference = fee
    payload = casso_notice(reference)
    forged = casso_notice(reference, amount=1500000)

    answer = post_casso(client, forged, casso_signature(payload))

    assert answer.status_code == 401


def test_casso_money_going_out_is_not_a_credit(client, fee):
    _dossier, reference = fee
    payload = casso_notice(reference, amount=-15000)

    assert post_casso(client, payload).json() == {"success": True, "recorded": False}


# --- both --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/payments/sepay", "/api/v1/payments/casso"])
def test_a_notice_larger_than_16_kb_is_refused_unread(client, fee, path):
    big = json.dumps({"data": "x" * (banks.MAX_BODY + 1)})

    answer = client.post(path, big, content_type="application/json", HTTP_AUTHORIZATION=f"Apikey {SEPAY_KEY}")

    assert answer.status_code == 413
    assert not NoticeRefusal.objects.exists() and not BankTransaction.objects.exists()


def test_a_transfer_reported_by_sepay_and_then_in_the_statement_is_counted_once(client, agency, fee):
    _dossier, reference = fee
    post_sepay(client, sepay_notice(reference))
    statement = (
        f"Ngày giao dịch;Số tham chiếu;Số tiền;Nội dung\n29/11/2026;FT26333123456;15.000;{reference}\n"
    )

    summary = services.import_statement(agency, data=statement.encode(), filename="sao-ke.csv")

    assert (summary.rows, summary.new) == (1, 0)
    assert BankTransaction.objects.count() == 1


def test_a_transfer_short_of_the_fee_through_casso_is_flagged_and_told(client, fee):
    dossier, reference = fee

    answer = post_casso(client, casso_notice(reference, amount=5000))

    assert answer.json()["match"] == "underpaid"
    assert dossier.messages.filter(kind="dossier.money_short", channel="sms").exists()
