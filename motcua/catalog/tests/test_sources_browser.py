"""On a 360×740 phone: a foreign-element guide unfolds its legal sources, with each fee's text and date."""

import pytest

from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_folded_legal_sources_open_on_a_phone(phone, catalogue, agency):
    phone.go("/thu-tuc/2.000806/")
    assert phone.page.locator("h1").inner_text() == "Đăng ký kết hôn có yếu tố nước ngoài"
    phone.page.get_by_text("Căn cứ pháp lý").click()
    sources = phone.page.locator("details.box")
    assert sources.get_by_text("Văn bản quy định mức thu").is_visible()
    assert sources.get_by_text(
        "Nghị định 120/2025/NĐ-CP, Điều 4; Phụ lục, mục I.1.b (Chính phủ, 11/06/2025)"
    ).is_visible()
    assert sources.get_by_text("Áp dụng từ 01/07/2025 đến hết ngày 28/02/2027").is_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("phone-guide-foreign-element-sources")
    assert_accessible(phone, "phone guide with its legal sources open")
    assert phone.errors == []


def test_a_certification_guide_calls_its_charge_phi(phone, catalogue, agency):
    phone.go("/thu-tuc/2.001406/")
    assert phone.page.locator(".facts-list dt").nth(1).inner_text() == "Phí"
    phone.screenshot("phone-guide-estate-division")
    assert_accessible(phone, "phone certification guide")
    assert phone.errors == []
