"""A practice run in a real Chromium on a 360×740 phone, from the guide's link to "Bây giờ nộp thật": every
page marked as a sample, axe-clean, no wider than the phone; and the same run without JavaScript."""

import pytest

from conftest import assert_accessible
from motcua.dossiers.models import Attachment, Dossier, Event
from motcua.notifications.models import Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BIRTH = "1.001193"


def counts():
    return Dossier.objects.count(), Attachment.objects.count(), Event.objects.count(), Message.objects.count()


def walk(visitor, *, with_js: bool) -> None:
    def check(name: str) -> None:
        assert page.locator(".practice-mark").inner_text().startswith("Đây là bản thử."), name
        if with_js:  # with JavaScript: axe-core runs in the page, and the page's width is measured
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
            assert_accessible(visitor, name)

    page = visitor.page
    visitor.go(f"/thu-tuc/{BIRTH}/")
    page.get_by_role("link", name="Nộp thử để làm quen").click()
    assert page.get_by_role("textbox", name="Họ, chữ đệm, tên người yêu cầu").input_value() == "Nguyễn Văn An"
    check("practice step 1")
    if with_js:
        visitor.screenshot("outreach/practice-1-step")
    number = 1
    while "/buoc/" in page.url or page.url.endswith(f"/thu-nop/{BIRTH}/"):
        if number == 3:
            check(f"practice step {number}")
        page.get_by_role("button", name="Tiếp tục").click()
        number += 1
        assert number < 12, "the steps never end"
    assert page.url.endswith("/giay-to/")
    check("practice papers")
    if with_js:
        visitor.screenshot("outreach/practice-2-papers")
    page.get_by_role("link", name="Tiếp tục: xem lại").click()
    check("practice review")
    if with_js:
        visitor.screenshot("outreach/practice-3-review")
    page.get_by_role("button", name="Nộp thử").click()
    assert page.url.endswith("/can-bo-xem/")
    assert page.get_by_role("heading", name="Tờ khai").count() == 1
    check("practice officer's view")
    if with_js:
        visitor.screenshot("outreach/practice-4-officer")
    page.get_by_role("link", name="Tiếp tục: xem giấy hẹn").click()
    assert page.get_by_text("BẢN THỬ – KHÔNG CÓ GIÁ TRỊ").count() == 2  # the receipt, the declaration
    check("practice receipt")
    if with_js:
        visitor.screenshot("outreach/practice-5-receipt")
    page.get_by_text("Tờ khai của bạn khi in ra").click()  # the declaration as it prints, folded
    assert page.get_by_text("TỜ KHAI ĐĂNG KÝ KHAI SINH", exact=True).is_visible()
    check("practice receipt, the declaration open")
    if with_js:
        visitor.screenshot("outreach/practice-6-declaration")
    page.get_by_role("link", name="Bây giờ nộp thật").click()
    assert f"/thu-tuc/{BIRTH}/nop/" in page.url  # past the sign-in page: the real filing


def test_a_practice_run_on_a_phone_ends_at_the_real_filing(phone, catalogue, agency):
    before = counts()
    walk(phone, with_js=True)
    assert counts() == before
    assert phone.errors == []


def test_a_practice_run_works_without_javascript(phone_without_js, catalogue, agency):
    before = counts()
    walk(phone_without_js, with_js=False)
    assert counts() == before
