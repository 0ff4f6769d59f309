"""E-receipts (issue 12 item 2): issued when a payment is recorded, numbered without gaps or repeats even
under concurrency, signed, never at the cost of the payment, tried again when they fail; a fee paid on
the national platform links to that platform's receipt instead."""

import datetime as dt
import io
import subprocess
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in
from motcua.payments import receipts, services
from motcua.payments.models import PaymentRequest, Receipt, ReceiptSeries
from motcua.periodic.services import registered
from testkit import need

pytestmark = pytest.mark.django_db
FAKE_SERVICE = "motcua.payments.tests.test_receipts.FakeService"
PLATFORM_RECEIPT = "https://thanhtoan.dichvucong.gov.vn/bien-lai/PG2612020000123"


class FakeService:
    """A stand-in for a registered e-receipt service reached over the network (the test double of an
    outside service): answers with its own symbols and numbers, or fails while `down`."""

    name = "fake-service"
    remote = True
    down = False
    issued = 0

    def issue(self, payment):
        if FakeService.down:
            raise receipts.IssueFailed("Không kết nối được dịch vụ biên lai điện tử (hết thời gian chờ)")
        FakeService.issued += 1
        return receipts.IssuedReceipt(
            form_symbol="01BLP0-001",
            series="AB-26E",
            number=FakeService.issued,
            issued_at=timezone.now(),
            signature="vendor-signature",
            signed_by="Ủy ban nhân dân xã Vĩnh Linh",
            lookup_code=f"FS{FakeService.issued:06d}",
            lookup_url=f"https://bienlai.example.vn/tra-cuu/FS{FakeService.issued:06d}",
        )


@pytest.fixture(autouse=True)
def fresh_fake_service():
    FakeService.down, FakeService.issued = False, 0
    yield
    FakeService.down, FakeService.issued = False, 0


@pytest.fixture
def local_issuer(settings):
    settings.RECEIPT_ISSUER = "local"


def awaiting_fee(people, agency, amount=15000):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    return dossiers.perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        data={"amount_vnd": amount, "reason": "Lệ phí cấp bản sao"},
    )


def pay_cash(dossier, people):
    return dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "G-1"})


def fee_of(dossier) -> PaymentRequest:
    return PaymentRequest.objects.exclude(state="cancelled").get(dossier=dossier)


def pdf_text(pdf: bytes) -> str:
    need("pdftotext")
    done = subprocess.run(  # noqa: S603 - poppler's own tool on our own bytes
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return " ".join(done.stdout.decode("utf-8").split())


# --- the local issuer ------------------------------------------------------------------------------------


def test_each_payment_gets_the_next_number_of_the_series_and_a_signature_that_verifies(
    local_issuer, catalogue, agency, people
):
    paid = [pay_cash(awaiting_fee(people, agency), people) for _ in range(3)]
    issued = [fee_of(dossier).receipt for dossier in paid]
    year = timezone.localdate().year % 100
    assert [r.state for r in issued] == ["issued"] * 3
    assert [r.number_text for r in issued] == ["0000001", "0000002", "0000003"]
    assert {(r.form_symbol, r.symbol) for r in issued} == {("01BLP0-001", f"MC-{year:02d}E")}
    assert {r.series_id for r in issued} == {ReceiptSeries.objects.get(agency=agency).pk}
    assert ReceiptSeries.objects.get(agency=agency).last_number == 3
    first = issued[0]
    assert first.is_test and first.issuer == "local" and first.signed_by == agency.name
    assert first.data["amount_vnd"] == 15000 and first.data["reference"] == first.request.reference
    assert receipts.verify(first)
    first.data["amount_vnd"] = 150000  # what was signed, altered
    assert not receipts.verify(first)
    first.refresh_from_db()
    first.number = 2  # a receipt claiming another number than the one it was signed with
    assert not receipts.verify(first)


def test_money_from_the_bank_and_from_a_gateway_is_receipted_too(
    client, local_issuer, catalogue, agency, people
):
    by_bank = awaiting_fee(people, agency)
    request = fee_of(by_bank)
    credit, _created = services.record_bank_credit(
        agency,
        bank_ref="FT26336000001",
        amount_vnd=request.amount_vnd,
        memo=f"{request.reference} nop le phi",
        booked_at=timezone.now(),
        source="webhook",
    )
    assert credit.match == "matched"
    receipt = fee_of(by_bank).receipt
    assert (receipt.state, receipt.number_text) == ("issued", "0000001")


def test_a_fee_asked_but_not_paid_and_an_exemption_get_no_receipt(local_issuer, catalogue, agency, people):
    awaiting_fee(people, agency)
    assert Receipt.objects.count() == 0
    exempt = awaiting_fee(people, agency)
    dossiers.perform(
        exempt,
        "confirm_payment",
        by=people["desk"],
        data={"receipt_number": "MIỄN", "payment_method": "exempt"},
    )
    assert Receipt.objects.count() == 0


def test_without_an_issuer_nothing_is_issued_and_the_officers_are_told_why(client, catalogue, agency, people):
    dossier = pay_cash(awaiting_fee(people, agency), people)
    assert Receipt.objects.count() == 0
    assert registered()["receipt_retry"].func() == []
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/").text
    assert "Chưa cấu hình đơn vị phát hành biên lai điện tử" in page
    assert dossier.code in page and "chưa có biên lai" in page
    assert "Thử phát hành lại" not in page  # nothing to try until an issuer is configured


def test_a_failure_takes_back_its_number_and_never_the_payment(
    client, local_issuer, catalogue, agency, people, monkeypatch
):
    signing = receipts.sign

    def broken(data):
        raise RuntimeError("khóa ký không đọc được")

    monkeypatch.setattr(receipts, "sign", broken)
    first = pay_cash(awaiting_fee(people, agency), people)
    assert first.status == Status.PROCESSING and fee_of(first).state == "paid"  # the payment stands
    failed = fee_of(first).receipt
    assert (failed.state, failed.number, failed.tries) == ("failed", None, 1)
    assert "khóa ký không đọc được" in failed.error and failed.next_try_at > timezone.now()
    assert not ReceiptSeries.objects.filter(last_number__gt=0).exists()  # the number drawn went back

    monkeypatch.setattr(receipts, "sign", signing)
    second = pay_cash(awaiting_fee(people, agency), people)
    assert fee_of(second).receipt.number_text == "0000001"  # no gap where the failure was

    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/").text
    assert "chưa có biên lai" in page and "khóa ký không đọc được" in page and "Thử phát hành lại" in page
    assert "0000001" in page
    response = client.post(f"/can-bo/thanh-toan/bien-lai/{fee_of(first).pk}/phat-hanh/")
    assert response.status_code == 302 and response["Location"].endswith("/can-bo/thanh-toan/#bien-lai")
    failed.refresh_from_db()
    assert (failed.state, failed.number_text, failed.tries, failed.error) == ("issued", "0000002", 2, "")
    assert "Đã phát hành biên lai số 0000002." in client.get("/can-bo/thanh-toan/").text


def test_an_unreachable_service_is_tried_again_by_the_periodic_job(
    client, settings, catalogue, agency, people, django_capture_on_commit_callbacks
):
    settings.RECEIPT_ISSUER = FAKE_SERVICE
    FakeService.down = True
    with django_capture_on_commit_callbacks(execute=True):
        dossier = pay_cash(awaiting_fee(people, agency), people)
    assert dossier.status == Status.PROCESSING and fee_of(dossier).state == "paid"
    receipt = fee_of(dossier).receipt
    assert (receipt.state, receipt.issuer, receipt.tries) == ("failed", "fake-service", 1)
    assert "hết thời gian chờ" in receipt.error

    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/").text
    assert "chưa có biên lai" in page and "hết thời gian chờ" in page

    FakeService.down = False
    job = registered()["receipt_retry"]
    assert job.every == receipts.RETRY_EVERY
    assert job.func() == []  # not before its back-off
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        assert job.func() == [(fee_of(dossier).reference, "issued")]
    receipt.refresh_from_db()
    assert (receipt.state, receipt.symbol, receipt.number_text) == ("issued", "AB-26E", "0000001")
    assert receipt.lookup_url == "https://bienlai.example.vn/tra-cuu/FS000001" and not receipt.is_test
    assert job.func() == []  # issued once


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_retry_job(
    settings, catalogue, agency, people, django_capture_on_commit_callbacks
):
    settings.RECEIPT_ISSUER = FAKE_SERVICE
    FakeService.down = True
    with django_capture_on_commit_callbacks(execute=True):
        dossier = pay_cash(awaiting_fee(people, agency), people)
    FakeService.down = False
    Receipt.objects.update(next_try_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("periodic", "--job", "receipt_retry", "--ticks", "1", stdout=io.StringIO())
    assert fee_of(dossier).receipt.state == "issued"


def test_money_recorded_without_a_payment_event_is_swept_up(local_issuer, catalogue, agency, people):
    """A gateway's money for a dossier closed meanwhile is recorded on the fee without a lifecycle event:
    the periodic job still issues its receipt."""
    dossier = awaiting_fee(people, agency)
    PaymentRequest.objects.filter(dossier=dossier).update(
        state="paid", paid_at=timezone.now(), method="vnpay"
    )
    assert registered()["receipt_retry"].func() == [(fee_of(dossier).reference, "issued")]
    assert fee_of(dossier).receipt.number_text == "0000001"


def test_a_fee_paid_long_before_an_issuer_was_configured_is_not_receipted_late(
    client, settings, catalogue, agency, people
):
    old = pay_cash(awaiting_fee(people, agency), people)  # no issuer then: a confirmation of payment
    PaymentRequest.objects.filter(dossier=old).update(paid_at=timezone.now() - dt.timedelta(days=30))
    settings.RECEIPT_ISSUER = "local"
    assert registered()["receipt_retry"].func() == []
    new = pay_cash(awaiting_fee(people, agency), people)
    assert fee_of(new).receipt.number_text == "0000001"
    assert not Receipt.objects.filter(request__dossier=old).exists()
    client.force_login(people["desk"])
    page = client.get("/can-bo/thanh-toan/").text
    assert "Thử phát hành lại" not in page and old.code in page  # listed among the latest, no button


def test_another_communes_officer_cannot_issue_our_receipt(
    client, local_issuer, catalogue, agency, people, other_desk
):
    dossier = awaiting_fee(people, agency)
    PaymentRequest.objects.filter(dossier=dossier).update(state="paid", paid_at=timezone.now(), method="cash")
    client.force_login(other_desk)
    assert client.post(f"/can-bo/thanh-toan/bien-lai/{fee_of(dossier).pk}/phat-hanh/").status_code == 404
    assert Receipt.objects.count() == 0
    client.force_login(people["specialist"])  # no payments permission: 404 before the view
    assert client.post(f"/can-bo/thanh-toan/bien-lai/{fee_of(dossier).pk}/phat-hanh/").status_code == 404
    assert Receipt.objects.count() == 0


# --- concurrency ------------------------------------------------------------------------------------------


# Six desks confirm six payments at the same moment, the series not yet created: one number each, 1 to 6,
# no gap and no repeat (on PostgreSQL the series row's lock orders them; on SQLite the write lock does).
@pytest.mark.django_db(transaction=True)
def test_payments_confirmed_at_once_get_consecutive_numbers(settings, catalogue, agency, people):
    settings.RECEIPT_ISSUER = "local"
    waiting = [awaiting_fee(people, agency) for _ in range(6)]
    start = threading.Barrier(len(waiting))
    errors: list[Exception] = []

    def confirm(dossier):
        try:
            start.wait(timeout=30)
            pay_cash(dossier, people)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(dossier,)) for dossier in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(Receipt.objects.filter(state="issued").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]
    assert ReceiptSeries.objects.get(agency=agency).last_number == 6
    assert all(receipts.verify(receipt) for receipt in Receipt.objects.all())


# The same without the lifecycle (whose per-agency status counts already queue payments one behind
# another): receipts issued at once by the retry job, the officers' button and a remote issuer's
# after-commit call meet only at the series row, whose lock alone keeps the numbers whole.
@pytest.mark.django_db(transaction=True)
def test_receipts_issued_at_once_outside_a_payment_get_consecutive_numbers(
    settings, catalogue, agency, people
):
    paid = [pay_cash(awaiting_fee(people, agency), people) for _ in range(6)]  # no issuer yet: no receipt
    assert not Receipt.objects.exists()
    settings.RECEIPT_ISSUER = "local"
    start = threading.Barrier(len(paid))
    errors: list[Exception] = []

    def issue(request_id):
        try:
            start.wait(timeout=30)
            receipts.issue_now(request_id)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(fee_of(dossier).pk,)) for dossier in paid]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert list(Receipt.objects.values_list("state", flat=True)) == ["issued"] * 6
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert ReceiptSeries.objects.get(agency=agency).last_number == 6


# --- the national payment platform ------------------------------------------------------------------------


class PlatformAnswer:
    """What the national platform's QUERY answered (the HTTP client itself is tested in test_paygov)."""

    def __init__(self, **answer):
        self.answer = answer

    def status(self, reference, when):
        return self.answer


def paid_on_the_platform(people, agency, **extra):
    dossier = awaiting_fee(people, agency)
    attempt = services._new_attempt(fee_of(dossier), "paygov")
    answer = {"TrangThaiGD": "1", "SoTien": 15000, "MaGiaoDich": "PG2612020000123", **extra}
    assert services.check_paygov(attempt, client=PlatformAnswer(**answer)) == "succeeded"
    return dossier


def test_a_fee_paid_on_the_national_platform_links_to_the_platforms_receipt(
    client, local_issuer, catalogue, agency, people
):
    dossier = paid_on_the_platform(people, agency, UrlBienLai=PLATFORM_RECEIPT)
    receipt = fee_of(dossier).receipt
    assert (receipt.state, receipt.issuer) == ("platform", "paygov")
    assert (receipt.lookup_url, receipt.lookup_code) == (PLATFORM_RECEIPT, "PG2612020000123")
    assert not ReceiptSeries.objects.exists()  # the local issuer drew no number for it

    client.force_login(people["citizen"])
    page = client.get(dossier.get_absolute_url()).text
    assert f'href="{PLATFORM_RECEIPT}"' in page and "Xem biên lai trên Nền tảng thanh toán quốc gia" in page
    assert f'href="/ho-so/{dossier.code}/van-ban/bien-lai.pdf"' in page
    text = pdf_text(client.get(f"/ho-so/{dossier.code}/van-ban/bien-lai.pdf").content)
    assert "XÁC NHẬN ĐÃ NỘP TIỀN" in text and f"Mã giao dịch: {fee_of(dossier).reference}" in text
    assert "Biên lai: do Nền tảng thanh toán trực tuyến quốc gia phát hành" in text
    assert "Mã giao dịch trên Nền tảng: PG2612020000123" in text
    assert PLATFORM_RECEIPT in text.replace(" ", "")

    client.force_login(people["desk"])
    office = client.get("/can-bo/thanh-toan/").text
    assert f'href="{PLATFORM_RECEIPT}"' in office and "Biên lai của Nền tảng thanh toán quốc gia" in office


@pytest.mark.parametrize("extra", [{}, {"UrlBienLai": "javascript:alert(1)"}])
def test_without_a_web_address_the_platforms_transaction_code_is_kept(
    client, catalogue, agency, people, extra
):
    dossier = paid_on_the_platform(people, agency, **extra)
    receipt = fee_of(dossier).receipt
    assert (receipt.state, receipt.lookup_url, receipt.lookup_code) == ("platform", "", "PG2612020000123")
    client.force_login(people["citizen"])
    page = client.get(dossier.get_absolute_url()).text
    assert "javascript:" not in page and "PG2612020000123" in page


# --- configuration ------------------------------------------------------------------------------------------


def test_the_local_issuer_is_refused_outside_the_demo_and_a_wrong_path_is_reported(settings):
    settings.DEBUG, settings.DEMO = False, False
    settings.RECEIPT_ISSUER = "local"
    assert [e.id for e in receipts.check_receipt_issuer(None)] == ["payments.E010"]
    settings.DEMO = True
    assert receipts.check_receipt_issuer(None) == []
    settings.RECEIPT_ISSUER = "motcua.payments.khong_co.Issuer"
    assert [e.id for e in receipts.check_receipt_issuer(None)] == ["payments.E011"]
    settings.RECEIPT_ISSUER = FAKE_SERVICE
    assert receipts.check_receipt_issuer(None) == []
