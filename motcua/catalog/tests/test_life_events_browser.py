"""A mother on a 360×740 phone finds, from the home page, what to do now that her baby is born."""

import pytest

from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_the_home_page_a_parent_finds_the_joined_up_filing_and_the_steps(
    phone, catalogue, content, agency
):
    phone.go("/")
    phone.page.get_by_role("link", name="Gia đình có em bé").first.click()
    phone.page.wait_for_url("**/su-kien/gia-dinh-co-em-be/")

    assert phone.page.locator("h1").inner_text() == "Gia đình có em bé"
    headings = phone.page.locator("main h2").all_inner_texts()
    assert headings[:2] == ["Làm một lần cho cả ba việc", "Hoặc làm lần lượt từng việc"]
    assert phone.page.locator(".steps > li").count() == 3
    tile = phone.page.get_by_role("link", name="Nộp trực tuyến: Đăng ký khai sinh").bounding_box()
    assert tile["height"] >= 44  # a thumb's worth
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("phone-life-event-baby")
    assert_accessible(phone, "phone life event: a new baby")
    assert phone.errors == []


def test_the_list_of_life_events_has_large_targets_on_a_phone(phone, catalogue):
    phone.go("/su-kien/")

    tiles = phone.page.locator("main .tiles a")
    assert tiles.count() == 6
    for i in range(6):
        box = tiles.nth(i).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 120, i
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("phone-life-events")
    assert_accessible(phone, "phone life events")
    assert phone.errors == []


@pytest.mark.parametrize("slug", ["nguoi-than-qua-doi", "chung-thuc-giay-to"])
def test_life_events_are_accessible_on_a_desktop(desktop, catalogue, slug):
    desktop.go("/su-kien/")
    assert_accessible(desktop, "desktop life events")

    desktop.go(f"/su-kien/{slug}/")
    desktop.page.get_by_text("Căn cứ pháp lý").click()  # open the folded legal notes
    assert desktop.page.get_by_text("Luật Hộ tịch số 60/2014/QH13, Điều 33").is_visible() == (
        slug == "nguoi-than-qua-doi"
    )
    desktop.screenshot(f"desktop-life-event-{slug}")
    assert_accessible(desktop, f"desktop life event {slug}")
    assert desktop.errors == []


def test_a_life_event_reads_in_english_on_a_phone(phone, catalogue):
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": phone.base_url}])
    phone.go("/su-kien/nguoi-than-qua-doi/")

    assert phone.page.locator("h1").inner_text() == "A death in the family"
    assert phone.page.locator("main h2").first.inner_text() == "Do both at once"  # 1.011537: two parts
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("phone-life-event-death-english")
    assert_accessible(phone, "phone life event in English")
    assert phone.errors == []


def test_a_life_event_needs_no_javascript(phone_without_js, catalogue):
    phone_without_js.go("/su-kien/chuyen-noi-o/")

    assert phone_without_js.page.locator(".steps > li").count() == 5
    assert phone_without_js.page.get_by_text("Giấy tờ cần mang (một lần cho tất cả)").is_visible()
    assert phone_without_js.page.get_by_role("link", name="Nộp trực tuyến: Đăng ký tạm trú").is_visible()
