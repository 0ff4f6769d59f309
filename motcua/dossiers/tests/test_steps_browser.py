"""The online form one step at a time, in a real Chromium on a 360×740 phone (issue 11, walls 6–8).

The birth declaration is walked step by step with JavaScript off, each step's height measured; an error
names its field exactly; a name typed without diacritics is stopped until it is fixed or confirmed; the draft
appears on the first save and can be deleted; Back after filing shows the filed dossier; and a session
that ended in the middle of a step keeps what was typed.
"""

import pytest

from conftest import Visitor
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-2026"
ENTRY = f"/thu-tuc/{BIRTH}/nop/"
TWO_SCREENS = 2 * 740


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(catalogue, content, agency):
    return agency


def sign_in(visitor: Visitor, next_path: str = "") -> None:
    visitor.go("/dang-nhap/" + (f"?next={next_path}" if next_path else ""))
    fill_sign_in(visitor)


def fill_sign_in(visitor: Visitor) -> None:
    page = visitor.page
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("0912 345 678")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    assert "/dang-nhap/" not in page.url, page.locator("main").inner_text()


def height(visitor: Visitor) -> int:
    return visitor.page.evaluate("document.documentElement.scrollHeight")


def fill_shown(page, answers: dict) -> None:
    """Answer every field of the step on screen that `answers` knows, as a person would."""
    for name, value in answers.items():
        control = page.locator(f"[name='{name}']")
        if control.count() == 0 or not control.first.is_visible():
            continue
        kind = control.first.get_attribute("type")
        if kind == "radio":
            page.locator(f"[name='{name}'][value='{value}']").check()
        elif kind == "checkbox":
            control.check() if value else control.uncheck()
        else:
            control.fill(str(value))


def press(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_birth_declaration_walked_step_by_step_without_javascript(phone_without_js, portal, citizen):
    visitor, page = phone_without_js, phone_without_js.page
    sign_in(visitor)
    visitor.go(ENTRY)
    heights = {}
    number = 0
    while "/xem-lai/" not in page.url:
        number += 1
        counter = page.locator(".step-count").inner_text()
        title = page.locator("h1").inner_text()
        heights[f"{counter} {title}"] = height(visitor)
        visitor.screenshot(f"phone-step-{number}")
        fill_shown(page, BIRTH_FORM)
        press(page, "Tiếp tục: xem lại" if "/giay-to/" in page.url else "Tiếp tục")
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
        assert number < 15
    heights[f"{page.locator('.step-count').inner_text()} review"] = height(visitor)
    visitor.screenshot("phone-step-review")
    tallest = max(heights.values())
    print("\nStep heights at 360×740 (document height, px):")
    for name, px in heights.items():
        print(f"  {px:5d}  {name}")
    print(f"Tallest step of the birth declaration: {tallest} px")
    assert tallest <= TWO_SCREENS, "\n".join(f"{px} {name}" for name, px in heights.items())
