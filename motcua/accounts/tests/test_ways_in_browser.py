"""On a 360×740 phone: register with a phone number and a code; and when no code comes, the way forward."""

import pytest

from conftest import assert_accessible
from testkit import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registering_on_a_phone(phone, agency, texted):
    page = phone.page
    phone.go("/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Chưa có tài khoản? Đăng ký bằng số điện thoại").click()
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hường")
    assert_accessible(phone, "register")
    phone.screenshot("phone-register")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.wait_for_url("**/dang-ky/nhap-ma/")
    code = last_code(texted, "+84912345678")
    page.get_by_label("Mã 6 số trong tin nhắn").fill(code)
    assert_accessible(phone, "enter code")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/ho-so/")
    assert "Đã tạo tài khoản" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.errors == []


def test_no_code_arrived_leads_to_the_desk(phone, agency):
    page = phone.page
    phone.go("/dang-ky/")
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hường")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.wait_for_url("**/dang-ky/nhap-ma/")
    page.get_by_label("Mã 6 số trong tin nhắn").fill("000000")
    page.get_by_role("button", name="Xác nhận").click()
    text = page.locator("main").inner_text()
    assert "Mã chưa đúng hoặc đã hết hạn" in text
    ways = page.locator("#h-other-ways").locator("..").inner_text()
    assert "Mang căn cước đến bộ phận một cửa" in ways and agency.address in ways
    assert "nộp hồ sơ thay bạn" in ways
    phone.screenshot("phone-no-code-ways-forward")
    assert_accessible(phone, "wrong code")
