"""VNPay: the signed payment URL against an independently computed vector, callback checks, IPN answers."""

import datetime as dt
import hashlib
import hmac
import urllib.parse
from dataclasses import dataclass

import pytest

from motcua.payments.vnpay import RESPONSE_MESSAGES, build_payment_url, explain, ipn_decision, verify

SECRET = "demo-vnpay-secret"
BASE_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
CREATED = dt.datetime(2026, 11, 20, 3, 15, tzinfo=dt.UTC)  # 10:15 in Vietnam

REQUEST = {
    "base_url": BASE_URL,
    "tmn_code": "DEMO0001",
    "hash_secret": SECRET,
    "txn_ref": "MC2611200001-1",
    "amount_vnd": 50000,
    "order_info": "Thanh toan le phi ho so 000.20.44.H54-261120-0001",
    "return_url": "https://motcua.example.vn/thanh-toan/vnpay/ket-qua/?cach=vnpay&lan=1",
    "ip_addr": "203.113.135.1",
    "created_at": CREATED,
    "bank_code": "NCB",
}

# Written out by hand: keys sorted, values encoded as PHP urlencode/Python quote_plus do.
EXPECTED_QUERY = (
    "vnp_Amount=5000000"
    "&vnp_BankCode=NCB"
    "&vnp_Command=pay"
    "&vnp_CreateDate=20261120101500"
    "&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261120103000"
    "&vnp_IpAddr=203.113.135.1"
    "&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+000.20.44.H54-261120-0001"
    "&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example.vn%2Fthanh-toan%2Fvnpay%2Fket-qua%2F%3Fcach%3Dvnpay%26lan%3D1"
    "&vnp_TmnCode=DEMO0001"
    "&vnp_TxnRef=MC2611200001-1"
    "&vnp_Version=2.1.0"
)


def hmac_sha512(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))


# --- the payment URL ------------------------------------------------------------------------------------
def test_payment_url_matches_the_hand_computed_vector():
    url = build_payment_url(**REQUEST)

    expected_hash = hmac_sha512(SECRET, EXPECTED_QUERY)
    assert query_of(url)["vnp_SecureHash"] == expected_hash
    assert url == f"{BASE_URL}?{EXPECTED_QUERY}&vnp_SecureHash={expected_hash}"


def test_amount_is_sent_in_hundredths_of_a_dong():
    assert query_of(build_payment_url(**REQUEST))["vnp_Amount"] == "5000000"


def test_dates_are_written_in_vietnam_time_even_across_midnight_utc():
    url = build_payment_url(**{**REQUEST, "created_at": dt.datetime(2026, 11, 20, 17, 50, tzinfo=dt.UTC)})

    assert query_of(url)["vnp_CreateDate"] == "20261121005000"
    assert query_of(url)["vnp_ExpireDate"] == "20261121010500"


def test_expiry_follows_expire_minutes():
    url = build_payment_url(**{**REQUEST, "expire_minutes": 60})

    assert query_of(url)["vnp_ExpireDate"] == "20261120111500"


def test_bank_code_is_left_out_when_the_citizen_chooses_at_vnpay():
    url = build_payment_url(**{**REQUEST, "bank_code": None})

    assert "vnp_BankCode" not in query_of(url)
    assert verify(query_of(url), hash_secret=SECRET)


def test_the_signed_url_passes_verification():
    assert verify(query_of(build_payment_url(**REQUEST)), hash_secret=SECRET)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"created_at": dt.datetime(2026, 11, 20, 10, 15)}, "aware datetime"),
        ({"amount_vnd": 0}, "positive whole number of VND"),
        ({"amount_vnd": 50000.0}, "positive whole number of VND"),
        ({"amount_vnd": True}, "positive whole number of VND"),
        ({"order_info": "Thanh toán lệ phí"}, "ASCII"),
        ({"order_info": ""}, "ASCII"),
        ({"txn_ref": "MC 2611"}, "txn_ref must be"),
        ({"txn_ref": ""}, "txn_ref must be"),
        ({"ip_addr": "localhost"}, "IP address"),
        ({"return_url": "/thanh-toan/"}, "absolute http"),
        ({"base_url": BASE_URL + "?x=1"}, "without a query string"),
        ({"locale": "fr"}, "locale"),
        ({"expire_minutes": 0}, "expire_minutes"),
        ({"hash_secret": ""}, "hash secret"),
    ],
)
def test_invalid_requests_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        build_payment_url(**{**REQUEST, **change})


# --- callbacks, as VNPay would send them ----------------------------------------------------------------
def vnpay_callback(secret: str = SECRET, **overrides: str) -> dict[str, str]:
    """A return/IPN query signed the way VNPay's reference code signs it, independently of vnpay.py."""
    params = {
        "vnp_Amount": "5000000",
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14626152",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan le phi ho so 000.20.44.H54-261120-0001",
        "vnp_PayDate": "20261120101732",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "DEMO0001",
        "vnp_TransactionNo": "14626152",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "MC2611200001-1",
        **overrides,
    }
    data = "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in sorted(params.items()))
    return {**params, "vnp_SecureHashType": "HmacSHA512", "vnp_SecureHash": hmac_sha512(secret, data)}


def test_verify_accepts_a_callback_signed_by_vnpay():
    assert verify(vnpay_callback(), hash_secret=SECRET)


def test_verify_accepts_an_upper_case_hash():
    params = vnpay_callback()
    params["vnp_SecureHash"] = params["vnp_SecureHash"].upper()

    assert verify(params, hash_secret=SECRET)


def test_verify_ignores_parameters_outside_vnp():
    assert verify({**vnpay_callback(), "lang": "en"}, hash_secret=SECRET)


def test_verify_rejects_an_altered_amount():
    assert not verify({**vnpay_callback(), "vnp_Amount": "500000"}, hash_secret=SECRET)


def test_verify_rejects_an_altered_txn_ref():
    assert not verify({**vnpay_callback(), "vnp_TxnRef": "MC2611200002-1"}, hash_secret=SECRET)


def test_verify_rejects_a_removed_field():
    params = vnpay_callback()
    del params["vnp_ResponseCode"]

    assert not verify(params, hash_secret=SECRET)


def test_verify_rejects_an_added_vnp_field():
    assert not verify({**vnpay_callback(), "vnp_Extra": "1"}, hash_secret=SECRET)


def test_verify_rejects_a_wrong_secret():
    assert not verify(vnpay_callback(secret="another-merchant-secret"), hash_secret=SECRET)


def test_verify_rejects_a_missing_or_empty_hash():
    params = vnpay_callback()
    del params["vnp_SecureHash"]

    assert not verify(params, hash_secret=SECRET)
    assert not verify({**params, "vnp_SecureHash": ""}, hash_secret=SECRET)


def test_verify_rejects_non_ascii_garbage_in_the_hash():
    assert not verify({**vnpay_callback(), "vnp_SecureHash": "ừ" * 128}, hash_secret=SECRET)


# --- the IPN --------------------------------------------------------------------------------------------
@dataclass
class Payment:
    amount_vnd: int
    is_final: bool = False


def lookup(payment: Payment | None):
    calls: list[str] = []

    def find_payment(txn_ref: str) -> Payment | None:
        calls.append(txn_ref)
        return payment if txn_ref == "MC2611200001-1" else None

    find_payment.calls = calls
    return find_payment


def test_ipn_success_confirms_and_records_paid_with_the_provider_codes():
    rsp_code, message, outcome = ipn_decision(
        vnpay_callback(), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert (rsp_code, message) == ("00", "Confirm Success")
    assert outcome.result == "paid"
    assert outcome.txn_ref == "MC2611200001-1"
    assert outcome.amount_vnd == 50000
    assert (outcome.response_code, outcome.transaction_status) == ("00", "00")
    assert (outcome.transaction_no, outcome.bank_code, outcome.bank_tran_no, outcome.card_type) == (
        "14626152",
        "NCB",
        "VNP14626152",
        "ATM",
    )
    assert outcome.pay_date == dt.datetime(2026, 11, 20, 3, 17, 32, tzinfo=dt.UTC)
    assert not outcome.needs_review


def test_ipn_cancelled_payment_is_confirmed_and_recorded_failed():
    decision = ipn_decision(
        vnpay_callback(vnp_ResponseCode="24", vnp_TransactionStatus="02"),
        hash_secret=SECRET,
        find_payment=lookup(Payment(50000)),
    )

    assert decision.rsp_code == "00"
    assert decision.message == "Confirm Success"
    assert decision.outcome.result == "failed"
    assert explain(decision.outcome.response_code) == "Bạn đã hủy giao dịch."


def test_ipn_needs_both_codes_at_00_to_count_as_paid():
    decision = ipn_decision(
        vnpay_callback(vnp_TransactionStatus="01"), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert (decision.rsp_code, decision.outcome.result) == ("00", "failed")


def test_ipn_suspicious_debit_is_failed_but_flagged_for_an_officer():
    decision = ipn_decision(
        vnpay_callback(vnp_ResponseCode="07", vnp_TransactionStatus="07"),
        hash_secret=SECRET,
        find_payment=lookup(Payment(50000)),
    )

    assert (decision.rsp_code, decision.outcome.result) == ("00", "failed")
    assert decision.outcome.needs_review


def test_ipn_with_a_bad_signature_answers_97_and_changes_nothing():
    find_payment = lookup(Payment(50000))

    decision = ipn_decision(
        {**vnpay_callback(), "vnp_ResponseCode": "00", "vnp_Amount": "100"},
        hash_secret=SECRET,
        find_payment=find_payment,
    )

    assert (decision.rsp_code, decision.message) == ("97", "Invalid Checksum")
    assert decision.outcome.result is None
    assert find_payment.calls == []  # a forged callback does not even reach the database


def test_ipn_signed_with_another_secret_answers_97():
    decision = ipn_decision(
        vnpay_callback(secret="guessed"), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert (decision.rsp_code, decision.outcome.result) == ("97", None)


def test_ipn_without_a_hash_answers_97():
    params = vnpay_callback()
    del params["vnp_SecureHash"]

    assert ipn_decision(params, hash_secret=SECRET, find_payment=lookup(Payment(50000))).rsp_code == "97"


def test_ipn_for_an_unknown_reference_answers_01():
    decision = ipn_decision(
        vnpay_callback(vnp_TxnRef="MC2611209999-1"), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert (decision.rsp_code, decision.message, decision.outcome.result) == ("01", "Order not found", None)


def test_ipn_with_another_amount_answers_04():
    decision = ipn_decision(
        vnpay_callback(vnp_Amount="4000000"), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert (decision.rsp_code, decision.message, decision.outcome.result) == ("04", "Invalid amount", None)


def test_ipn_amount_with_a_fraction_of_a_dong_answers_04():
    decision = ipn_decision(
        vnpay_callback(vnp_Amount="5000050"), hash_secret=SECRET, find_payment=lookup(Payment(50000))
    )

    assert decision.rsp_code == "04"


def test_ipn_for_a_payment_already_final_answers_02():
    decision = ipn_decision(
        vnpay_callback(), hash_secret=SECRET, find_payment=lookup(Payment(50000, is_final=True))
    )

    assert (decision.rsp_code, decision.message) == ("02", "Order already confirmed")
    assert decision.outcome.result is None


def test_ipn_checks_run_in_vnpay_order():
    # unknown reference before amount; amount before "already confirmed"
    unknown_and_wrong_amount = vnpay_callback(vnp_TxnRef="X1", vnp_Amount="1")
    wrong_amount_and_final = vnpay_callback(vnp_Amount="1")

    final = lookup(Payment(50000, is_final=True))

    assert ipn_decision(unknown_and_wrong_amount, hash_secret=SECRET, find_payment=final).rsp_code == "01"
    assert ipn_decision(wrong_amount_and_final, hash_secret=SECRET, find_payment=final).rsp_code == "04"


def test_ipn_answers_99_when_the_lookup_fails():
    def find_payment(txn_ref: str):
        raise RuntimeError("database is down")

    decision = ipn_decision(vnpay_callback(), hash_secret=SECRET, find_payment=find_payment)

    assert (decision.rsp_code, decision.message) == ("99", "Unknown error")
    assert decision.outcome.result is None
    assert decision.outcome.error == "RuntimeError: database is down"


@pytest.mark.parametrize("overrides", [{"vnp_TxnRef": ""}, {"vnp_Amount": "50k"}])
def test_ipn_answers_99_for_a_signed_query_it_cannot_read(overrides):
    params = vnpay_callback(**overrides)

    decision = ipn_decision(params, hash_secret=SECRET, find_payment=lookup(Payment(50000)))

    assert (decision.rsp_code, decision.outcome.result) == ("99", None)


# --- messages for the citizen ---------------------------------------------------------------------------
def test_every_documented_response_code_has_a_vietnamese_explanation():
    documented = {"00", "07", "09", "10", "11", "12", "13", "24", "51", "65", "75", "79", "99"}

    assert set(RESPONSE_MESSAGES) == documented
    assert explain("51") == "Tài khoản không đủ số dư."


def test_an_unknown_code_gets_the_general_explanation():
    assert (
        explain("42")
        == explain(None)
        == ("Giao dịch không thành công. Bạn có thể thử lại hoặc chọn cách thanh toán khác.")
    )
