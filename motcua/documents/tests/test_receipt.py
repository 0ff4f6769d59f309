"""The paper of a paid fee (issue 5 item 8, issue 12 item 2): a confirmation of payment unless a lawful
e-receipt was issued, and then the receipt with its form symbol, series, number and signature."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.documents import services
from motcua.documents.models import DocumentTemplate, Kind
from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import dossier_in

from .tools import docx_text, pdf_text, visible

pytestmark = pytest.mark.django_db
CONFIRMATION = ["XÁC NHẬN ĐÃ NỘP TIỀN", "15.000 đồng", "Mười lăm nghìn đồng", "Mã giao dịch"]
TEST_MARK = "Biên lai thử nghiệm — không có giá trị pháp lý"


def token(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": "demo-2026"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def ask(people, agency, amount=15000):
    """A dossier in status 6: the specialist asked for a fee, not yet paid."""
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    return perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        data={"amount_vnd": amount, "reason": "Lệ phí cấp bản sao"},
    )


def pay_cash(dossier, people, receipt_number="BL-0042"):
    return perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": receipt_number})


@pytest.fixture
def asked(catalogue, agency, people):
    return ask(people, agency)


@pytest.fixture
def paid(asked, people):
    return pay_cash(asked, people)


def reference_of(dossier) -> str:
    return dossier.payment_requests.get(state="paid").reference


def no_number_is_the_reference(text: str, reference: str) -> bool:
    return re.search(rf"Số\s*:\s*{re.escape(reference)}", text) is None


# --- the law as data ------------------------------------------------------------------------------------


def test_the_receipt_cites_the_2025_law_from_1_june_2025():
    first, second = DocumentTemplate.objects.filter(kind=Kind.FEE_RECEIPT).order_by("valid_from")
    assert (first.valid_from, first.valid_to) == (dt.date(2022, 7, 1), dt.date(2025, 6, 1))
    assert "Thông tư 78/2021/TT-BTC" in first.legal_basis
    assert (second.valid_from, second.valid_to) == (dt.date(2025, 6, 1), None)
    for law in ["Nghị định 123/2020/NĐ-CP", "Điều 32", "Nghị định 70/2025/NĐ-CP", "Thông tư 32/2025/TT-BTC"]:
        assert law in second.legal_basis, law


# --- no receipt issuer: a confirmation of payment --------------------------------------------------------


def test_there_is_nothing_before_payment(client, asked, people):
    assert asked.status == Status.PAYMENT
    assert Kind.FEE_RECEIPT not in dict(services.available(dossier=asked))
    with pytest.raises(services.NotApplicable):
        services.build(dossier=asked, kind=Kind.FEE_RECEIPT)
    for who in ["citizen", "desk"]:
        client.force_login(people[who])
        assert client.get(f"/ho-so/{asked.code}/van-ban/bien-lai.pdf").status_code == 404
        assert client.get(f"/ho-so/{asked.code}/van-ban/bien-lai.docx").status_code == 404
    response = client.get(f"/api/v1/dossiers/{asked.code}/documents/bien-lai.pdf", **token(client, "motcua"))
    assert response.status_code == 404


def test_without_an_e_receipt_a_paid_dossier_lists_a_confirmation_of_payment(paid):
    assert paid.status != Status.PAYMENT
    assert dict(services.available(dossier=paid))[Kind.FEE_RECEIPT] == "Xác nhận đã nộp tiền"


def test_the_confirmation_says_what_was_paid_and_is_no_receipt(paid):
    reference = reference_of(paid)
    texts = services.build(dossier=paid, kind=Kind.FEE_RECEIPT).texts()
    text = "\n".join(texts)
    for value in [
        *CONFIRMATION,
        "(Không thay cho biên lai thu phí, lệ phí)",
        "Đây không phải biên lai thu phí, lệ phí.",
        paid.code,
        "Lệ phí cấp bản sao",
        "Tiền mặt",
        paid.applicant_name,
        paid.procedure.name,
        "Trần Thị Mai",  # the desk officer who took the cash
        # what the desk wrote: its paper receipt's number (or a transaction code), named as such
        "Số biên lai giấy hoặc mã giao dịch cán bộ ghi nhận: BL-0042",
        f"Mã giao dịch: {reference}",
    ]:
        assert value in text, value
    assert "BIÊN LAI THU PHÍ" not in text and "(Biên lai điện tử)" not in text
    assert not any(line.startswith("Số:") for line in texts)  # a confirmation has no number
    assert no_number_is_the_reference(text, reference)


def test_the_confirmation_pdf_reads_back(client, paid, people):
    reference = reference_of(paid)
    client.force_login(people["citizen"])
    response = client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="xac-nhan-nop-tien-{paid.code}.pdf"' in response["Content-Disposition"]
    raw = pdf_text(response.content)
    text = visible(raw)
    for value in [*CONFIRMATION, paid.code, reference, "Xác nhận đã nộp tiền".upper()]:
        assert visible(value) in text, value
    assert visible(f"Mã giao dịch: {reference}") in text
    assert no_number_is_the_reference(raw, reference) and not re.search(r"^Số\s*:", raw, re.MULTILINE)
    assert "BIÊN LAI THU PHÍ" not in raw


def test_the_confirmation_docx_reads_back(client, paid, people):
    client.force_login(people["desk"])
    response = client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.docx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    text = docx_text(response.content)
    for value in [*CONFIRMATION, paid.code, reference_of(paid)]:
        assert value in text, value
    assert no_number_is_the_reference(text, reference_of(paid))


def test_a_bank_payment_gives_its_reference_as_the_transaction_code_never_as_a_number(paid):
    payment = paid.payment_requests.get(state="paid")
    type(payment).objects.filter(pk=payment.pk).update(receipt_number="", method="vietqr")
    texts = services.build(dossier=paid, kind=Kind.FEE_RECEIPT).texts()
    assert f"Mã giao dịch: {payment.reference}" in texts
    assert any("Chuyển khoản (VietQR)" in line for line in texts)
    assert no_number_is_the_reference("\n".join(texts), payment.reference)
    assert not any("NGƯỜI THU TIỀN" in line.upper() for line in texts)  # nobody took it by hand


def test_the_owner_and_the_desk_get_it_another_citizen_does_not(client, paid, people, other_citizen):
    for user, status in [(people["citizen"], 200), (people["desk"], 200), (other_citizen, 404)]:
        client.force_login(user)
        for fmt in ["pdf", "docx"]:
            assert client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.{fmt}").status_code == status
        page = client.get(f"/ho-so/{paid.code}/van-ban/")
        assert page.status_code == status
        if status == 200:
            assert f"/ho-so/{paid.code}/van-ban/bien-lai.pdf" in page.content.decode()
            assert "Xác nhận đã nộp tiền" in page.content.decode()


def test_the_api_has_it_with_the_same_access_rule(client, paid, other_citizen):
    base = f"/api/v1/dossiers/{paid.code}/documents"
    for username, status in [("0912345678", 200), ("motcua", 200), ("0987654321", 404)]:
        headers = token(client, username)
        assert client.get(f"{base}/bien-lai.pdf", **headers).status_code == status
        assert client.get(f"{base}/bien-lai.docx", **headers).status_code == status
    listed = client.get(base, **token(client, "0912345678")).json()
    assert listed[-1]["kind"] == "bien-lai"


def test_the_citizens_dossier_page_links_to_the_confirmation(client, paid, people):
    client.force_login(people["citizen"])
    page = client.get(paid.get_absolute_url()).content.decode()
    assert "Xác nhận đã nộp tiền" in page
    assert f'href="/ho-so/{paid.code}/van-ban/bien-lai.pdf"' in page
    assert "không phải biên lai thu phí, lệ phí" in page


# --- the local issuer: numbered, signed, marked as a test ------------------------------------------------


@pytest.fixture
def local_issuer(settings):
    settings.RECEIPT_ISSUER = "local"


def test_with_the_local_issuer_the_paper_is_a_numbered_signed_test_receipt(local_issuer, paid):
    assert dict(services.available(dossier=paid))[Kind.FEE_RECEIPT] == "Biên lai thu phí, lệ phí"
    year = timezone.localdate().year % 100
    texts = services.build(dossier=paid, kind=Kind.FEE_RECEIPT).texts()
    text = "\n".join(texts)
    for value in [
        TEST_MARK,
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "(Biên lai điện tử)",
        "Biên lai điện tử lập theo Nghị định 123/2020/NĐ-CP",
        "Ký hiệu mẫu biên lai: 01BLP0-001",
        f"Ký hiệu biên lai: MC-{year:02d}E",
        "Số biên lai: 0000001",
        "Mã giao dịch: " + reference_of(paid),
        "Chữ ký số: Ký bởi: " + paid.agency.name,
        "Mã tra cứu: ",
        "15.000 đồng",
        "Mười lăm nghìn đồng",
    ]:
        assert value in text, value
    receipt = paid.payment_requests.get(state="paid").receipt
    assert receipt.signature.startswith("ed25519:") and receipt.lookup_code in text
    assert no_number_is_the_reference(text, reference_of(paid))


def test_receipts_are_numbered_one_after_another_in_their_pdfs(
    client, local_issuer, catalogue, agency, people
):
    year = timezone.localdate().year % 100
    client.force_login(people["desk"])
    for expected in ["0000001", "0000002", "0000003"]:
        dossier = pay_cash(ask(people, agency), people, receipt_number=f"G-{expected}")
        response = client.get(f"/ho-so/{dossier.code}/van-ban/bien-lai.pdf")
        assert response.status_code == 200
        assert f'filename="bien-lai-{dossier.code}.pdf"' in response["Content-Disposition"]
        text = visible(pdf_text(response.content))
        for value in [
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Ký hiệu mẫu biên lai: 01BLP0-001",
            f"Ký hiệu biên lai: MC-{year:02d}E",
            f"Số biên lai: {expected}",
            TEST_MARK,
            "Mã giao dịch",
        ]:
            assert visible(value) in text, (expected, value)
