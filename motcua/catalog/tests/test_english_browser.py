"""A visitor on a 360×740 phone presses "English" in the footer and reads the guide in English."""

import pytest

from conftest import assert_accessible

from .factories import make_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_english_switch_turns_the_guide_into_english(phone, catalogue, agency):
    phone.go("/thu-tuc/1.001193/")
    phone.page.get_by_role("button", name="English").click()
    phone.page.wait_for_url("**/thu-tuc/1.001193/")
    assert phone.page.locator("h1").inner_text() == "Birth registration"
    assert phone.page.locator(".steps li strong").first.inner_text() == "Get the birth notice"
    assert phone.page.get_by_text("Birth notice issued by the hospital or health station").is_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("phone-guide-english")
    assert_accessible(phone, "phone guide in English")
    assert phone.errors == []


def test_a_guide_not_yet_translated_says_so_in_english(phone, agency):
    make_procedure(name="Đăng ký khai thác cát", steps=[{"title": "Nộp đơn", "text": "Nộp tại xã."}])
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": phone.base_url}])
    phone.go("/thu-tuc/9.000001/")
    assert phone.page.get_by_text("Not yet translated — shown in Vietnamese.").is_visible()
    assert phone.page.locator("h1 [lang=vi]").inner_text() == "Đăng ký khai thác cát"
    phone.screenshot("phone-guide-not-translated")
    assert_accessible(phone, "phone guide not yet translated")
    assert phone.errors == []
