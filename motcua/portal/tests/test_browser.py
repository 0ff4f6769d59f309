"""A citizen on a 360×740 phone finds a procedure, reads its guide and ticks the checklist."""

import pytest

from conftest import assert_accessible
from motcua.portal.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(catalogue, content, agency):
    return Article.objects.first()


def test_search_without_diacritics_and_open_the_guide(phone, portal):
    phone.go("/")
    phone.page.get_by_label("Bạn cần làm thủ tục gì?").fill("lam giay khai sinh")
    phone.page.keyboard.press("Enter")
    phone.page.wait_for_url("**/thu-tuc/?q=*")
    first = phone.page.locator(".card-title a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    phone.screenshot("phone-search-results")
    first.click()
    phone.page.wait_for_url("**/thu-tuc/1.001193/")
    assert phone.page.locator("h1").inner_text() == "Đăng ký khai sinh"
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the guide must not scroll sideways on a phone"
    phone.screenshot("phone-guide")
    assert phone.errors == []


def test_ticked_papers_stay_ticked_on_this_phone(phone, portal):
    phone.go("/thu-tuc/1.001193/")
    boxes = phone.page.locator(".checklist input[type=checkbox]")
    assert boxes.count() >= 2
    phone.page.locator(".checklist label").first.click()
    assert boxes.first.is_checked()
    phone.page.reload()
    assert phone.page.locator(".checklist input[type=checkbox]").first.is_checked()
    assert not phone.page.locator(".checklist input[type=checkbox]").nth(1).is_checked()
    assert phone.page.get_by_role("button", name="In danh sách").is_visible()
    assert phone.errors == []


def test_search_works_with_javascript_off(phone_without_js, portal):
    page = phone_without_js.page
    phone_without_js.go("/thu-tuc/")
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("xac nhan doc than")
    page.get_by_role("button", name="Tìm").click()
    assert page.locator(".card-title a").first.inner_text() == "Cấp giấy xác nhận tình trạng hôn nhân"
    assert not page.get_by_role("button", name="In danh sách").is_visible()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_citizen_pages_have_no_accessibility_violations(request, device, portal):
    visitor = request.getfixturevalue(device)
    pages = {
        "home": "/",
        "catalogue": "/thu-tuc/?q=khai+sinh",
        "guide": "/thu-tuc/1.001193/",
        "news": "/tin-tuc/",
        "article": portal.get_absolute_url(),
        "not-found": "/thu-tuc/khong-ton-tai/",
    }
    for name, path in pages.items():
        visitor.go(path)
        visitor.screenshot(f"{device}-{name}")
        assert_accessible(visitor, f"{device} {name} {path}")
    assert visitor.errors == [] or all("404" in e for e in visitor.errors)
