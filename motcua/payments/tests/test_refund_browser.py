"""The desk gives a fee back from the payments page, on a phone as at a desktop; the citizen reads it on the
dossier's page. Both pages fit the budget and pass axe-core."""

import pytest

from bench.weight import page_weight
from conftest import assert_accessible
from motcua.dossiers import services as dossiers
from motcua.dossiers.tests.factories import BIRTH_FORM, file_birth
from motcua.payments.models import Refund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(visitor, username):
    visitor.go("/dang-nhap/")
    visitor.page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(username)
    visitor.page.get_by_label("Mật khẩu").fill("demo-2026")
    visitor.page.get_by_role("button", name="Đăng nhập").click()
    visitor.page.wait_for_load_state()


@pytest.fixture
def owed(catalogue, agency, citizen, desk):
    dossier = file_birth(citizen, agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    dossier = dossiers.perform(dossier, "confirm_payment", by=desk, data={"receipt_number": "BL-0042"})
    return dossiers.perform(dossier, "withdraw", by=citizen)


def test_the_desk_records_a_cash_refund_on_a_phone_and_the_citizen_reads_it(
    phone, client, owed, desk, citizen
):
    sign_in(phone, "motcua")
    phone.go("/can-bo/thanh-toan/")
    section = phone.page.locator("#hoan-tra")
    assert owed.code in section.inner_text() and "8.000 đồng" in section.inner_text()
    assert phone.page.get_by_label("Tiền mặt").is_checked()  # paid in cash, given back in cash by default
    phone.screenshot("phone-refund-task")
    assert_accessible(phone, "payments page with a refund to make")
    client.force_login(desk)
    assert page_weight(client, "/can-bo/thanh-toan/")["total"] <= 14 * 1024

    phone.page.get_by_label("Mã giao dịch hoặc số phiếu chi").fill("PC-2026-031")
    phone.page.get_by_role("button", name="Đã hoàn tiền").click()

    phone.page.wait_for_url("**/can-bo/thanh-toan/#hoan-tra")
    assert "Đã ghi nhận hoàn trả" in phone.page.locator("main").inner_text()
    assert "PC-2026-031" in phone.page.locator("#hoan-tra").inner_text()
    assert Refund.objects.get().reference == "PC-2026-031"
    assert phone.errors == []

    client.force_login(citizen)
    assert page_weight(client, owed.get_absolute_url())["total"] <= 14 * 1024
    assert "Đã hoàn trả phí, lệ phí" in client.get(owed.get_absolute_url()).text


def test_the_citizen_reads_that_a_fee_comes_back(phone, owed):
    sign_in(phone, "0912 345 678")

    phone.go(owed.get_absolute_url())

    panel = phone.page.locator("#nop-phi").inner_text()
    assert "Phí, lệ phí sẽ được hoàn trả" in panel and "nhận lại tiền mặt" in panel
    phone.screenshot("phone-fee-comes-back")
    assert_accessible(phone, "a withdrawn dossier whose fee comes back")
    assert phone.errors == []
