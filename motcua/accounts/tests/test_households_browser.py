"""On a 360×740 phone: the son registers on his mother's number from "Nộp hồ sơ trực tuyến" and is back on
the form; two people on one phone sign in with a code and say who they are; the desk adds the husband."""

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore

from conftest import assert_accessible
from motcua.accounts import services
from motcua.accounts.models import User
from testkit import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "+84912345678"
DAY = 24 * 3600


def session_cookie(visitor) -> dict:
    return next(c for c in visitor.context.cookies() if c["name"] == "sessionid")


def signed_in(visitor) -> User:
    session = SessionStore(session_key=session_cookie(visitor)["value"])
    return User.objects.get(pk=session["_auth_user_id"])


def test_the_son_registers_from_the_online_form_and_lands_back_on_it(
    phone, catalogue, agency, citizen, texted
):
    page = phone.page
    phone.go("/thu-tuc/1.001193/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/dang-nhap/\?next=/thu-tuc/1\.001193/nop/$"))
    page.get_by_role("link", name="Chưa có tài khoản? Đăng ký bằng số điện thoại").click()
    page.wait_for_url(re.compile(r"/dang-ky/\?next=/thu-tuc/1\.001193/nop/$"))
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")  # his mother's: he has no phone
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.wait_for_url("**/dang-ky/nhap-ma/")
    page.get_by_label("Mã 6 số trong tin nhắn").fill(last_code(texted, PHONE))
    assert_accessible(phone, "enter the code, with the shared-device tick")
    phone.screenshot("phone-register-code-shared-tick")
    page.get_by_role("button", name="Xác nhận").click()

    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/nop/"))
    son = signed_in(phone)
    assert (son.full_name, son.phone) == ("Trần Văn Bình", PHONE) and son != citizen
    assert session_cookie(phone)["expires"] > time.time() + 29 * DAY  # stays signed in 30 days
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.errors == []


def test_two_people_on_one_phone_sign_in_with_a_code_and_say_who_they_are(phone, agency, citizen, texted):
    services.register(phone=PHONE, full_name="Trần Văn Bình")
    page = phone.page
    phone.go("/dang-nhap/ma/")
    page.get_by_label("Số điện thoại", exact=True).fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã").click()
    page.wait_for_url("**/dang-nhap/ma/nhap/")
    before = page.locator("main").inner_text()
    assert "Bình" not in before and "Hường" not in before
    page.get_by_label("Mã 6 số trong tin nhắn").fill(last_code(texted, PHONE))
    page.get_by_label("Máy dùng chung (đăng xuất khi đóng trình duyệt)").check()
    page.get_by_role("button", name="Xác nhận").click()

    page.wait_for_url("**/dang-nhap/ban-la-ai/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bạn là ai?"
    assert_accessible(phone, "Bạn là ai?")
    phone.screenshot("phone-who-are-you")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Trần V… Bình").click()

    page.wait_for_url("**/ho-so/")
    assert signed_in(phone).full_name == "Trần Văn Bình"
    assert session_cookie(phone)["expires"] == -1  # a shared device: ends with the browser
    assert phone.errors == []


def test_the_desk_adds_a_person_to_a_shared_phone(phone, agency, desk, citizen, texted):
    page = phone.page
    phone.go("/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("motcua")
    page.get_by_label("Mật khẩu").fill("demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")
    phone.go("/can-bo/cong-dan/?sdt=0912345678")
    section = page.locator("section", has=page.get_by_role("heading", name="Thêm người dùng chung số này"))
    section.get_by_label("Họ và tên (như trên căn cước)").fill("Trần Văn Hải")
    section.get_by_label("Số định danh cá nhân trên căn cước (12 số)").fill("045 058 012 345")
    section.get_by_role("button", name="Thêm người").click()

    page.wait_for_url(re.compile(r"/can-bo/cong-dan/\?sdt=.*&nguoi=\d+$"))
    assert "Đã thêm tài khoản riêng cho người này" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Những người dùng chung số này").is_visible()
    assert_accessible(phone, "the desk, a shared phone")
    phone.screenshot("phone-desk-shared-phone")
    assert [to for to, _text in texted] == [PHONE]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.errors == []
