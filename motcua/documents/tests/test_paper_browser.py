"""From paper to the dossier in a real Chromium at 360×740 (issue 11, walls 3 and 5), checked by axe.

A receipt is printed; its QR code, read from the printed page with zbar as a phone's camera would, opens
the dossier's status without a key pressed. Cụ Hường has no phone: the desk re-issues the claim code she
lost and prints a new receipt; her son looks the dossier up with it, then claims it into his account.
"""

import re

import pytest

from conftest import PHONE, Visitor, assert_accessible
from motcua.documents import services
from motcua.documents.models import Kind
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import lookup_token
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, dossier_in, filed_at_counter
from testkit.browser import sign_in

from .tools import decode_qr, page_png, pdf_text, visible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRIVATE = ("Nguyễn Thị Hường", "Hường", "0912 345", "912345678", "045190012345", "Tân Trại", "Bảo Ngọc")


@pytest.fixture
def second_phone(browser, live_server):
    context = browser.new_context(locale="vi-VN", **PHONE)
    yield Visitor(context, live_server.url)
    context.close()


def facts(visitor) -> dict[str, str]:
    page = visitor.page
    terms = page.locator(".facts-list dt").all_inner_texts()
    return dict(zip(terms, page.locator(".facts-list dd").all_inner_texts(), strict=True))


def fits_the_phone(visitor) -> bool:
    return visitor.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_scanning_the_receipt_opens_the_status_with_nothing_typed(
    phone, live_server, catalogue, agency, people
):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    receipt = services.render(dossier=dossier, kind=Kind.RECEIPT, fmt="pdf", site_url=live_server.url)
    [link] = decode_qr(page_png(receipt.content, dpi=150))  # what the phone's camera reads off the paper

    response = phone.page.goto(link)

    assert response.status == 200
    shown = facts(phone)
    assert shown["Mã hồ sơ"] == dossier.code and shown["Tình trạng"] == "Đang xử lý"
    assert shown["Việc tiếp theo"] == "Cán bộ đang xử lý. Người nộp chưa cần làm gì."
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", shown["Ngày tiếp nhận"]) and shown["Hẹn trả kết quả"]
    html = phone.page.content()
    assert not [private for private in PRIVATE if private in html]
    assert fits_the_phone(phone)
    phone.screenshot("paper/phone-scanned-receipt")
    assert_accessible(phone, "the status opened by the receipt's QR code")
    assert not phone.errors


def test_a_damaged_qr_code_says_so_and_the_typed_form_finds_the_dossier(phone, catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    token = lookup_token(dossier.code)

    response = phone.go(f"/tra-cuu/{token[:-3]}QQQ/")

    assert response.status == 404
    page = phone.page
    assert "Mã QR này không đúng hoặc đã bị sửa" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Mã hồ sơ").input_value() == dossier.code
    assert fits_the_phone(phone)
    phone.screenshot("paper/phone-bad-token")
    assert_accessible(phone, "a tampered QR token")
    page.get_by_label("4 số cuối điện thoại").fill("5678")
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert facts(phone)["Tình trạng"] == "Đang xử lý"


def test_without_a_phone_a_relative_looks_up_and_a_son_claims_with_the_printed_code(
    phone, second_phone, desktop, live_server, catalogue, agency, people
):
    # Cụ Hường was received at the counter without a phone; she lost the receipt with her claim code.
    dossier = filed_at_counter(BIRTH, desk=people["desk"], agency=agency, form=BIRTH_FORM, phone="")
    lost = dossier.issued_claim_code

    # 1. The desk re-issues it, and prints a new receipt with the new code and the QR code.
    sign_in(desktop, live_server, people["desk"])
    desktop.go(f"/can-bo/ho-so/{dossier.code}/")
    action = desktop.page.locator("details.action").filter(has_text="Cấp lại mã nhận hồ sơ")
    action.locator("summary").click()
    action.get_by_label("Lý do (bắt buộc)").fill("Cụ báo mất giấy tiếp nhận; đã xem căn cước.")
    with desktop.page.expect_navigation():
        action.get_by_role("button", name="Cấp lại mã nhận hồ sơ").click()
    box = desktop.page.locator("section", has=desktop.page.get_by_role("heading", name="Mã nhận hồ sơ"))
    claim_code = box.locator(".bigcode").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", claim_code) and claim_code.replace("-", "") != lost
    desktop.screenshot("paper/desk-claim-code")
    assert_accessible(desktop, "the desk's dossier page with a new claim code")
    with desktop.page.expect_download() as download:
        box.get_by_role("link", name="In giấy tiếp nhận có mã nhận hồ sơ").click()
    pdf = open(download.value.path(), "rb").read()  # noqa: PTH123, SIM115
    assert visible(f"Mã nhận hồ sơ: {claim_code}") in visible(pdf_text(pdf))
    assert visible("dùng thay cho 4 số cuối điện thoại khi tra cứu") in visible(pdf_text(pdf))
    assert decode_qr(page_png(pdf, dpi=150)) == [f"{live_server.url}/tra-cuu/{lookup_token(dossier.code)}/"]

    # 2. Her granddaughter looks it up from the paper, typing the code as she reads it.
    page = phone.page
    phone.go("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(" " + dossier.code.lower().replace("-", " - ") + " ")
    page.get_by_text("Người nộp không có điện thoại?").click()
    page.get_by_label("Mã nhận hồ sơ").fill(claim_code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert facts(phone)["Tình trạng"] == "Được tiếp nhận"
    assert "Nguyễn Thị Hường" not in page.content()
    assert fits_the_phone(phone)
    phone.screenshot("paper/phone-lookup-with-claim-code")
    assert_accessible(phone, "the lookup with a claim code")

    # 3. Her son claims it into his own account.
    sign_in(second_phone, live_server, people["citizen"])
    second_phone.go("/ho-so/nhan/")
    claim_page = second_phone.page
    assert_accessible(second_phone, "the claim page")
    assert fits_the_phone(second_phone)
    second_phone.screenshot("paper/phone-claim-page")
    claim_page.get_by_label("Mã hồ sơ").fill(dossier.code)
    claim_page.get_by_label("Mã nhận hồ sơ").fill(claim_code)
    with claim_page.expect_navigation():
        claim_page.get_by_role("button", name="Tiếp tục").click()
    assert claim_page.url.endswith(f"/ho-so/{dossier.code}/")
    assert "Hồ sơ đã về tài khoản của bạn." in claim_page.locator(".flash").inner_text()
    assert fits_the_phone(second_phone)
    second_phone.screenshot("paper/phone-claimed")
    assert Dossier.objects.get(pk=dossier.pk).applicant == people["citizen"]
    assert not (phone.errors or second_phone.errors or desktop.errors)
