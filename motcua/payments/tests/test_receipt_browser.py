"""The paper of a paid fee in a real browser: the citizen finds the receipt on the dossier page (a phone),
the desk sees each paid fee's receipt number or "chưa có biên lai" and issues it again (a desktop)."""

import pytest

from conftest import assert_accessible
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in
from motcua.payments import receipts
from motcua.payments.models import PaymentRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(catalogue, agency, citizen, desk, specialist, leader, settings):
    settings.RECEIPT_ISSUER = "local"
    return {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}


def paid_in_cash(people, agency):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    dossier = dossiers.perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        data={"amount_vnd": 15000, "reason": "Lệ phí cấp bản sao trích lục"},
    )
    return dossiers.perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "G-7"})


def sign_in(visitor, username: str, landing: str):
    visitor.go("/dang-nhap/")
    visitor.page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(username)
    visitor.page.get_by_label("Mật khẩu").fill("demo-2026")
    visitor.page.get_by_role("button", name="Đăng nhập").click()
    visitor.page.wait_for_url(f"**{landing}")


def test_the_citizen_finds_the_receipt_on_the_dossier_page(phone, people, agency):
    dossier = paid_in_cash(people, agency)
    sign_in(phone, "0912 345 678", "/ho-so/")
    phone.go(dossier.get_absolute_url())
    panel = phone.page.locator("#bien-lai")
    text = panel.inner_text()
    assert "Biên lai thu phí, lệ phí" in text and "số 0000001" in text
    assert "Biên lai thử nghiệm — không có giá trị pháp lý." in text
    link = panel.get_by_role("link", name="Tải biên lai (PDF)")
    assert link.get_attribute("href") == f"/ho-so/{dossier.code}/van-ban/bien-lai.pdf"
    phone.screenshot("phone-fee-receipt")
    assert_accessible(phone, "the dossier page with its receipt")
    assert phone.errors == []


def test_the_desk_sees_each_receipt_and_issues_a_failed_one_again(desktop, people, agency, monkeypatch):
    issued = paid_in_cash(people, agency)
    signing = receipts.sign
    monkeypatch.setattr(receipts, "sign", lambda data: (_ for _ in ()).throw(OSError("ổ khóa ký bị tháo")))
    failed = paid_in_cash(people, agency)  # the payment stands; its receipt waits
    monkeypatch.setattr(receipts, "sign", signing)
    sign_in(desktop, "motcua", "/can-bo/")
    desktop.go("/can-bo/thanh-toan/")
    section = desktop.page.locator("#bien-lai")
    rows = section.locator("tbody tr")
    waiting = rows.filter(has_text=failed.code)
    assert "chưa có biên lai" in waiting.inner_text() and "ổ khóa ký bị tháo" in waiting.inner_text()
    assert "0000001" in rows.filter(has_text=issued.code).inner_text()
    desktop.screenshot("desktop-fee-receipts")
    assert_accessible(desktop, "the payments page with its receipts")
    waiting.get_by_role("button", name="Thử phát hành lại").click()
    desktop.page.wait_for_url("**/can-bo/thanh-toan/#bien-lai")
    assert "Đã phát hành biên lai số 0000002." in desktop.page.locator("main").inner_text()
    assert "0000002" in desktop.page.locator("#bien-lai tbody tr", has_text=failed.code).inner_text()
    assert PaymentRequest.objects.get(dossier=failed).receipt.state == "issued"
    assert desktop.errors == []
