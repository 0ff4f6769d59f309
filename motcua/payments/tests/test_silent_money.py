"""Issue 11, wall 9 "Silent money": every payment and every fee asked is told to the citizen through the
outbox, with the amount, what it is for and what follows; a dossier that ends without its result cancels
the fee still asked, tells the citizen a fee paid comes back, and gives the desk a refund task that is
recorded once, by the desk of the dossier's commune only."""

import threading

import pytest
from django.db import connection

from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Event, Status
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, file_birth
from motcua.payments import services
from motcua.payments.models import Attempt, PaymentRequest, Refund

from .test_payments import (  # noqa: F401 - payment_settings is an autouse fixture
    PlatformAnswer,
    _start,
    _webhook,
    awaiting_fee,
    ipn_params,
    payment_settings,
)

pytestmark = pytest.mark.django_db
IPN = "/api/v1/payments/vnpay/ipn"
LATE = {**BIRTH_FORM, "child_birth_date": "2025-01-05"}  # a late birth registration: 8.000 đồng at filing


def texts(dossier, kind: str) -> tuple[str, str]:
    """(SMS, in-app text) of the dossier's messages of `kind`; '' where there is none."""
    found = {m.channel: m.text for m in dossier.messages.filter(kind=kind)}
    return found.get("sms", ""), found.get("inapp", "")


def kinds(dossier) -> list[str]:
    return list(dossier.messages.filter(channel="sms").order_by("pk").values_list("kind", flat=True))


# --- a fee asked at filing ----------------------------------------------------------------------------------


def test_a_fee_asked_at_online_filing_is_texted_with_the_amount_and_how_to_pay(catalogue, agency, citizen):
    dossier = file_birth(citizen, agency, form=LATE)

    sms, inapp = texts(dossier, "dossier.submitted_fee")
    assert sms == (
        f"Đã nộp hồ sơ {dossier.code}. Cần nộp 8.000 đồng: quét mã VietQR trên trang hồ sơ hoặc nộp tại bộ "
        "phận một cửa."
    )
    assert "phí, lệ phí 8.000 đồng" in inapp and "tiền mặt tại bộ phận một cửa" in inapp


def test_a_fee_asked_at_the_counter_is_texted_though_the_filing_itself_is_not(catalogue, agency, desk):
    # Filed and received in one visit for someone with no account: the receipt's text says nothing of
    # money, so the fee is texted on its own.
    dossier = dossiers.file_at_counter(
        procedure=get_procedure(BIRTH),
        agency=agency,
        by=desk,
        applicant_name="Trần Văn Cụ",
        applicant_phone="0905 123 456",
        form=LATE,
    )

    assert kinds(dossier) == ["dossier.submitted_fee", "dossier.received"]
    assert dossier.messages.get(kind="dossier.submitted_fee").address == "+84905123456"


def test_a_fee_asked_when_the_community_team_files_is_texted(catalogue, agency, community):
    dossier = dossiers.file_on_behalf(
        procedure=get_procedure(BIRTH),
        agency=agency,
        by=community,
        applicant_name="Trần Văn Cụ",
        applicant_phone="0905 123 456",
        form=LATE,
        consent=True,
    )

    assert kinds(dossier) == ["dossier.submitted_fee"]


def test_filing_without_a_fee_says_nothing_of_money(catalogue, agency, citizen):
    dossier = file_birth(citizen, agency)

    assert kinds(dossier) == ["dossier.submitted"]


# --- every payment ------------------------------------------------------------------------------------------


def _pay(channel, client, people, agency, dossier):
    request = PaymentRequest.objects.get(dossier=dossier, state="pending")
    if channel == "cash":
        dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0042"})
    elif channel == "vnpay":
        assert client.get(IPN, ipn_params(_start(client, people, dossier))).json()["RspCode"] == "00"
    elif channel == "transfer":
        payload = {
            "id": "FT26333001",
            "account": "113000000001",
            "amount": 15000,
            "description": request.reference,
        }
        assert _webhook(client, payload).json()["match"] == "matched"
    elif channel == "statement":
        header = "Ngày giao dịch;Số tham chiếu;Số tiền;Nội dung\n"
        statement = f"{header}29/11/2026;FT26333002;15.000;{request.reference}\n"
        assert services.import_statement(agency, data=statement.encode(), filename="sao-ke.csv").matched == 1
    elif channel == "paygov":
        attempt = services._new_attempt(request, "paygov")
        answer = PlatformAnswer(TrangThaiGD="1", SoTien=15000, MaGiaoDich="PG1")
        assert services.check_paygov(attempt, client=answer) == "succeeded"


@pytest.mark.parametrize(
    ("channel", "words"),
    [
        ("cash", "tiền mặt"),
        ("vnpay", "VNPay"),
        ("transfer", "chuyển khoản"),
        ("statement", "chuyển khoản"),
        ("paygov", "Cổng thanh toán quốc gia"),
    ],
)
def test_every_payment_is_told_with_the_amount_what_for_how_and_what_follows(
    client, catalogue, agency, people, channel, words
):
    dossier = awaiting_fee(people, agency)

    _pay(channel, client, people, agency, dossier)

    dossier.refresh_from_db()
    sms, inapp = texts(dossier, "dossier.paid")
    assert sms.startswith(f"Đã nhận 15.000 đồng cho hồ sơ {dossier.code}. Hẹn trả kết quả: ")
    assert f"Đã nhận 15.000 đồng phí, lệ phí của hồ sơ {dossier.code} ({words})." in inapp
    assert "Hồ sơ tiếp tục được giải quyết" in inapp


def test_a_fee_paid_at_filing_is_told_though_no_date_is_promised_yet(client, catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency, form=LATE)

    assert client.get(IPN, ipn_params(_start(client, people, dossier))).json()["RspCode"] == "00"

    sms, _inapp = texts(dossier, "dossier.paid")
    assert sms == f"Đã nhận 8.000 đồng cho hồ sơ {dossier.code} (VNPay). Hồ sơ tiếp tục được giải quyết."


def test_an_exemption_is_told_as_an_exemption_not_as_money_received(catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    row = dossier.procedure.exemption_rows.select_related("category").first()

    services.grant_exemption(
        dossier, category_code=row.category.code, note="Sổ hộ nghèo 2026", by=people["desk"]
    )

    sms, inapp = texts(dossier, "dossier.exempted")
    assert sms.startswith(f"Hồ sơ {dossier.code} được miễn phí, lệ phí. Hẹn trả kết quả: ")
    assert row.category.name in inapp and "không phải nộp tiền" in inapp
    assert texts(dossier, "dossier.paid") == ("", "")


# --- money that pays no fee ---------------------------------------------------------------------------------


def test_a_transfer_short_of_the_fee_is_told_and_the_desk_will_call(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference

    _webhook(
        client, {"id": "FT26333003", "account": "113000000001", "amount": 10000, "description": reference}
    )

    sms, _inapp = texts(dossier, "dossier.money_short")
    assert sms == (
        f"Đã nhận 10.000 đồng cho hồ sơ {dossier.code}, chưa đủ số phí phải nộp. Bộ phận một cửa sẽ liên hệ "
        "ông/bà."
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYMENT


def test_a_transfer_above_the_fee_pays_it_and_the_excess_is_told_to_come_back(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    reference = PaymentRequest.objects.get(dossier=dossier).reference

    _webhook(
        client, {"id": "FT26333004", "account": "113000000001", "amount": 20000, "description": reference}
    )

    assert kinds(dossier)[-2:] == ["dossier.paid", "dossier.money_extra"]
    sms, _inapp = texts(dossier, "dossier.money_extra")
    assert sms.startswith(
        f"Đã nhận 5.000 đồng cho hồ sơ {dossier.code} nhưng ông/bà không phải nộp khoản này."
    )
    assert sms.endswith("Số tiền sẽ được hoàn trả.")


def test_a_second_payment_of_a_paid_fee_is_told_to_come_back(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    first, second = _start(client, people, dossier), _start(client, people, dossier)
    client.get(IPN, ipn_params(first))

    client.get(IPN, ipn_params(second))

    sms, _inapp = texts(dossier, "dossier.money_extra")
    assert sms.startswith(f"Đã nhận 15.000 đồng cho hồ sơ {dossier.code} nhưng ông/bà không phải nộp")


def test_a_payment_vnpay_holds_tells_the_citizen_not_to_pay_again(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)

    client.get(IPN, ipn_params(_start(client, people, dossier), code="07", status="07"))

    sms, _inapp = texts(dossier, "dossier.money_check")
    assert sms == (
        f"Cổng thanh toán báo đã nhận 15.000 đồng cho hồ sơ {dossier.code}, đang được kiểm tra. Ông/bà không "
        "cần nộp lại."
    )


# --- a dossier that ends without its result -----------------------------------------------------------------


def test_withdrawing_a_dossier_still_waiting_for_its_fee_cancels_the_fee(client, catalogue, agency, citizen):
    dossier = file_birth(citizen, agency, form=LATE)

    dossier = dossiers.perform(dossier, "withdraw", by=citizen)

    assert dossier.fee_pending is False
    assert PaymentRequest.objects.get(dossier=dossier).state == "cancelled"
    assert not Refund.objects.exists()
    client.force_login(citizen)
    mine = client.get("/ho-so/")
    assert mine.context["action_needed"] == []
    assert (
        "Bạn cần nộp phí" not in mine.text
        and "Cần nộp phí, lệ phí" not in client.get(dossier.get_absolute_url()).text
    )


@pytest.mark.parametrize(
    ("closing", "who", "status", "why"),
    [
        ("withdraw", "citizen", Status.WITHDRAWN, "Công dân rút hồ sơ"),
        ("stop", "specialist", Status.STOPPED, "Hồ sơ bị dừng xử lý"),
    ],
)
def test_a_dossier_ending_after_its_fee_was_paid_owes_the_fee_back(
    client, catalogue, agency, people, closing, who, status, why
):
    dossier = awaiting_fee(people, agency)
    _pay("transfer", client, people, agency, dossier)

    dossier = dossiers.perform(dossier, closing, by=people[who], note="Người nộp không cần nữa")

    assert dossier.status == status
    refund = Refund.objects.get()
    assert (refund.amount_vnd, refund.why, refund.is_done) == (15000, closing, False)
    sms, inapp = texts(dossier, "dossier.refund_due")
    assert sms == (
        f"Phí 15.000 đồng của hồ sơ {dossier.code} sẽ được hoàn trả đủ. Bộ phận một cửa sẽ liên hệ để "
        "chuyển khoản lại."
    )
    assert "(chuyển khoản)" in inapp and "giấy tờ tùy thân" in inapp
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/")
    section = page.text[page.text.index('id="h-refund"') :]
    for seen in (dossier.code, "Nguyễn Thị Hường", "15.000 đồng", "chuyển khoản", why, "Đã hoàn tiền"):
        assert seen in section, seen
    client.force_login(people["citizen"])
    assert "Phí, lệ phí sẽ được hoàn trả" in client.get(dossier.get_absolute_url()).text


def test_a_dossier_refused_after_cash_at_the_counter_asks_the_citizen_to_collect_it(
    catalogue, agency, people
):
    dossier = file_birth(people["citizen"], agency, form=LATE)
    dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0042"})

    dossier = dossiers.perform(dossier, "refuse", by=people["desk"], note="Không đúng thẩm quyền")

    sms, _inapp = texts(dossier, "dossier.refund_due")
    assert sms == (
        f"Phí 8.000 đồng của hồ sơ {dossier.code} sẽ được hoàn trả đủ. Mời ông/bà đến bộ phận một cửa nhận "
        "lại tiền mặt."
    )


def test_stopping_a_withdrawn_dossier_owes_the_fee_back_once(client, catalogue, agency, people):
    dossier = awaiting_fee(people, agency)
    _pay("cash", client, people, agency, dossier)
    dossier = dossiers.perform(dossier, "withdraw", by=people["citizen"])

    dossiers.perform(dossier, "stop", by=people["specialist"], note="Công dân đã rút")

    assert Refund.objects.count() == 1
    assert Event.objects.filter(dossier=dossier, action="refund_due").count() == 1


def _owed(client, people, agency):
    dossier = awaiting_fee(people, agency)
    _pay("vnpay", client, people, agency, dossier)
    dossiers.perform(dossier, "withdraw", by=people["citizen"])
    return dossier, Refund.objects.get()


def test_the_desk_records_a_refund_once_and_the_citizen_is_told(client, catalogue, agency, people):
    dossier, refund = _owed(client, people, agency)
    client.force_login(people["desk"])
    url = f"/can-bo/thanh-toan/hoan-tra/{refund.pk}/"

    page = client.post(url, {"method": "transfer", "reference": "FT26334777"}, follow=True)

    assert "Đã ghi nhận hoàn trả" in page.text
    refund.refresh_from_db()
    assert (refund.method, refund.reference, refund.refunded_by) == ("transfer", "FT26334777", people["desk"])
    assert PaymentRequest.objects.get(dossier=dossier).state == "refunded"
    event = Event.objects.get(dossier=dossier, action="refund")
    assert (event.actor, event.data["amount_vnd"], event.data["refund_reference"]) == (
        people["desk"],
        15000,
        "FT26334777",
    )
    sms, _inapp = texts(dossier, "dossier.refunded")
    assert sms == (
        f"Đã hoàn trả 15.000 đồng phí hồ sơ {dossier.code} bằng chuyển khoản. Nếu chưa nhận được, xin báo "
        "bộ phận một cửa."
    )
    again = client.post(url, {"method": "cash", "reference": "PC-01"}, follow=True)
    assert "đã được ghi là đã hoàn trả" in again.text
    assert Event.objects.filter(dossier=dossier, action="refund").count() == 1
    client.force_login(people["citizen"])
    assert "Đã hoàn trả phí, lệ phí" in client.get(dossier.get_absolute_url()).text


def test_a_refund_needs_how_and_the_reference(client, catalogue, agency, people):
    _dossier, refund = _owed(client, people, agency)
    client.force_login(people["desk"])

    page = client.post(
        f"/can-bo/thanh-toan/hoan-tra/{refund.pk}/", {"method": "", "reference": " "}, follow=True
    )

    assert "Chọn cách hoàn trả" in page.text and "Ghi mã giao dịch chuyển khoản" in page.text
    refund.refresh_from_db()
    assert not refund.is_done


def test_only_the_desk_of_the_dossiers_commune_sees_and_records_its_refunds(
    client, catalogue, agency, people, other_desk
):
    dossier, refund = _owed(client, people, agency)
    url = f"/can-bo/thanh-toan/hoan-tra/{refund.pk}/"

    client.force_login(other_desk)
    assert dossier.code not in client.get("/can-bo/thanh-toan/").text
    assert client.post(url, {"method": "cash", "reference": "PC-9"}).status_code == 404
    client.force_login(people["leader"])  # sees what is owed, the desk gives it back
    page = client.get("/can-bo/thanh-toan/").text
    assert dossier.code in page and "Đã hoàn tiền</button>" not in page
    assert client.post(url, {"method": "cash", "reference": "PC-9"}).status_code == 404
    refund.refresh_from_db()
    assert not refund.is_done


# Lock order dossier → payment request → refund: two officers recording one refund at the same moment
# record it once, and neither deadlocks (row locks are real on PostgreSQL in CI).
@pytest.mark.django_db(transaction=True)
def test_two_officers_recording_one_refund_at_once_record_it_once(client, catalogue, agency, people):
    _dossier, refund = _owed(client, people, agency)
    second_desk = _second_desk(agency)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(name, officer):
        try:
            start.wait(timeout=30)
            services.record_refund(
                refund.pk, agency=agency, by=officer, method="cash", reference=f"PC-{name}"
            )
            outcomes[name] = "recorded"
        except Exception as error:  # noqa: BLE001 - every outcome is asserted below
            outcomes[name] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=item) for item in [("a", people["desk"]), ("b", second_desk)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert sorted(str(o) for o in outcomes.values()) == ["Khoản này đã được ghi là đã hoàn trả.", "recorded"]
    assert Event.objects.filter(action="refund").count() == 1
    refund.refresh_from_db()
    assert refund.reference == f"PC-{next(k for k, v in outcomes.items() if v == 'recorded')}"


def _second_desk(agency):
    from django.contrib.auth import get_user_model

    from motcua.agencies.services import set_officer

    user = get_user_model().objects.create_user(
        username="motcua2", password="demo-2026", full_name="Lê Thị Lan"
    )
    set_officer(user, agency=agency, roles=["onestop"])
    user.refresh_from_db()
    return user


def test_a_gateway_attempt_for_a_withdrawn_dossier_is_flagged_not_refunded_twice(
    client, catalogue, agency, people
):
    dossier = awaiting_fee(people, agency)
    attempt = _start(client, people, dossier)
    dossiers.perform(dossier, "withdraw", by=people["citizen"])

    client.get(IPN, ipn_params(attempt))

    attempt.refresh_from_db()
    assert (attempt.problem, attempt.needs_review) == ("cancelled", True)
    assert not Refund.objects.exists()  # the money is on the officers' list of money to return
    assert texts(dossier, "dossier.money_extra")[0].startswith("Đã nhận 15.000 đồng cho hồ sơ")
    assert Attempt.objects.filter(needs_review=True).count() == 1
