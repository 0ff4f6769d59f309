"""The online form one step at a time, in a real Chromium on a 360×740 phone (issue 11, walls 6–8).

The birth declaration is walked step by step with JavaScript off, each step's height measured; an error
names its field exactly; a name typed without diacritics is stopped until it is fixed or confirmed; the draft
appears on the first save and can be deleted; Back after filing shows the filed dossier; and a session
that ended in the middle of a step keeps what was typed.
"""

import pytest

from conftest import Visitor, assert_accessible
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, number_of_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-2026"
ENTRY = f"/thu-tuc/{BIRTH}/nop/"
TWO_SCREENS = 2 * 740
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def accessible(twin: Visitor, visitor: Visitor, name: str) -> None:
    """axe-core runs as a script: on a page seen with JavaScript off, it runs in a twin phone with
    JavaScript on, signed in as the same person, opening the same address."""
    twin.context.clear_cookies()
    twin.context.add_cookies(visitor.context.cookies())
    twin.page.goto(visitor.page.url)
    assert_accessible(twin, name)


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


def test_the_birth_declaration_walked_step_by_step_without_javascript(
    phone_without_js, phone, portal, citizen
):
    visitor, page = phone_without_js, phone_without_js.page
    sign_in(visitor)
    visitor.go(ENTRY)
    assert not Dossier.objects.exists(), "opening the form stored a draft"
    heights = {}
    number = 0
    while "/xem-lai/" not in page.url:
        number += 1
        counter, title = page.locator(".step-count").inner_text(), page.locator("h1").inner_text()
        assert counter.startswith(f"Bước {number}/"), counter
        heights[f"{counter} {title}"] = height(visitor)
        visitor.screenshot(f"phone-step-{number}")
        accessible(phone, visitor, f"step {number} ({title})")
        if number == 1:
            assert page.get_by_label("Họ, chữ đệm, tên người yêu cầu").input_value() == "Nguyễn Thị Hường"
            assert page.get_by_text("Kính gửi").count() == 0, "“Kính gửi” must not open the form"
        fill_shown(page, BIRTH_FORM)
        if "/giay-to/" in page.url:
            page.get_by_label("Giấy chứng sinh do bệnh viện, trạm y tế cấp").set_input_files(
                {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
        press(page, "Tiếp tục: xem lại" if "/giay-to/" in page.url else "Tiếp tục")
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
        assert number < 15
    counter = page.locator(".step-count").inner_text()
    assert counter == f"Bước {number + 1}/{number + 1}"
    heights[f"{counter} {page.locator('h1').inner_text()}"] = height(visitor)
    visitor.screenshot("phone-step-review")
    accessible(phone, visitor, "review")
    assert "SHA-256" not in page.locator("main").inner_text()
    tallest = max(heights.values())
    print("\nStep heights of the birth declaration at 360×740 (document height, px):")
    for name, px in heights.items():
        print(f"  {px:5d}  {name}")
    print(f"Tallest step of the birth declaration: {tallest} px (two screens: {TWO_SCREENS} px)")
    assert tallest <= TWO_SCREENS, "\n".join(f"{px} {name}" for name, px in heights.items())

    press(page, "Nộp hồ sơ")
    assert page.locator("h1").inner_text() == "Đã nộp hồ sơ"
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NEW and dossier.form_data["child_name"] == BIRTH_FORM["child_name"]
    assert visitor.errors == []


def test_an_error_names_the_exact_field_and_leads_to_it(phone, portal, citizen):
    page = phone.page
    sign_in(phone)
    phone.go(f"{ENTRY}buoc/{number_of_step('mother_name')}/")
    fill_shown(page, {**BIRTH_FORM, "mother_ethnicity": ""})
    press(page, "Tiếp tục")
    summary = page.locator(".error-summary")
    assert summary.get_by_role("link").all_inner_texts() == ["Mẹ — Dân tộc: Trường này là bắt buộc."]
    phone.screenshot("phone-step-error")
    assert_accessible(phone, "a step with an error")
    summary.get_by_role("link").click()
    assert page.url.endswith("#id_mother_ethnicity")
    assert (
        page.evaluate("document.activeElement.id") == "id_mother_ethnicity"
        or page.locator("#id_mother_ethnicity").is_visible()
    )
    assert phone.errors == []


def test_a_name_without_diacritics_is_stopped_until_confirmed(phone, portal, citizen):
    visitor, page = phone, phone.page
    sign_in(visitor)
    child = number_of_step("child_name")
    visitor.go(f"{ENTRY}buoc/{child}/")
    fill_shown(page, {**BIRTH_FORM, "child_name": "le nguyen bao ngoc"})
    press(page, "Tiếp tục")
    assert page.url.endswith(f"/buoc/{child}/"), "a name without diacritics went through"
    warning = "Tên này chưa có dấu. Hãy ghi đúng như trên căn cước, ví dụ: Nguyễn Văn An."
    assert page.locator("#id_child_name_error").inner_text() == warning
    summary = page.locator(".error-summary").get_by_role("link").all_inner_texts()
    assert summary == [f"Người được khai sinh — Họ, chữ đệm, tên: {warning}"]
    visitor.screenshot("phone-diacritics-warning")
    assert_accessible(visitor, "the diacritics warning")

    # Written right, the name goes through with no box to tick.
    page.get_by_label("Họ, chữ đệm, tên", exact=True).fill(BIRTH_FORM["child_name"])
    press(page, "Tiếp tục")
    assert page.url.endswith(f"/buoc/{child + 1}/")

    # A name that has no diacritics on the papers goes through once confirmed.
    visitor.go(f"{ENTRY}buoc/{child}/")
    page.get_by_label("Họ, chữ đệm, tên", exact=True).fill("Mai Thanh Lan")
    press(page, "Tiếp tục")
    page.get_by_label("Tôi xác nhận ghi đúng như trên giấy tờ").check()
    press(page, "Tiếp tục")
    assert page.url.endswith(f"/buoc/{child + 1}/"), page.locator("main").inner_text()
    assert Dossier.objects.get().form_data["as_written"] == ["child_name"]


def test_a_draft_is_made_on_the_first_save_and_deleted_from_my_dossiers(
    phone_without_js, phone, portal, citizen
):
    visitor, page = phone_without_js, phone_without_js.page
    sign_in(visitor)
    visitor.go(ENTRY)
    visitor.go("/ho-so/")
    assert page.get_by_role("heading", name="Bản nháp chưa nộp").count() == 0
    assert not Dossier.objects.exists()

    visitor.go(ENTRY)
    fill_shown(page, BIRTH_FORM)
    press(page, "Tiếp tục")
    assert Dossier.objects.filter(status=Status.DRAFT).count() == 1

    visitor.go("/ho-so/")
    drafts = page.locator("section").filter(has=page.get_by_role("heading", name="Bản nháp chưa nộp"))
    assert "Đăng ký khai sinh" in drafts.inner_text()
    accessible(phone, visitor, "my dossiers with a draft")
    with page.expect_navigation():
        drafts.get_by_role("link", name="Xóa bản nháp Đăng ký khai sinh").click()
    assert page.locator("h1").inner_text() == "Xóa bản nháp?"
    visitor.screenshot("phone-discard-draft")
    accessible(phone, visitor, "delete the draft?")
    assert Dossier.objects.count() == 1  # asking deletes nothing
    press(page, "Xóa bản nháp")
    assert page.url.endswith("/ho-so/")
    assert "Đã xóa bản nháp." in page.locator(".flash").inner_text()
    assert not Dossier.objects.exists()
    assert visitor.errors == []


def test_back_after_filing_shows_the_filed_dossier(phone, portal, citizen, agency):
    page = phone.page
    draft = services.start_draft(procedure=get_procedure(BIRTH), applicant=citizen, agency=agency)
    services.save_draft(draft, data={k: ("on" if v is True else str(v)) for k, v in BIRTH_FORM.items()})
    sign_in(phone)
    phone.go(f"{ENTRY}xem-lai/")
    press(page, "Nộp hồ sơ")
    assert page.locator("h1").inner_text() == "Đã nộp hồ sơ"
    code = Dossier.objects.get().code

    page.go_back()
    page.wait_for_load_state()
    assert f"/ho-so/{code}/" in page.url, page.url
    assert f"Hồ sơ này đã được nộp, mã {code}." in page.locator(".flash").inner_text()
    assert "Trường này là bắt buộc" not in page.locator("main").inner_text()
    phone.screenshot("phone-back-after-filing")
    assert_accessible(phone, "back after filing")
    assert Dossier.objects.count() == 1, "Back made a new draft"
    assert phone.errors == []


def test_a_session_that_ends_mid_step_keeps_what_was_typed(phone_without_js, phone, portal, citizen):
    from django.contrib.sessions.models import Session

    visitor, page = phone_without_js, phone_without_js.page
    sign_in(visitor)
    child = f"{ENTRY}buoc/{number_of_step('child_name')}/"
    visitor.go(child)
    fill_shown(page, BIRTH_FORM)
    Session.objects.all().delete()  # the session ends on the server while she types

    press(page, "Tiếp tục")
    assert "/dang-nhap/" in page.url, page.url
    fill_sign_in(visitor)
    assert page.url.endswith(child), page.url
    assert page.locator(".flash").inner_text() == (
        "Phiên đăng nhập đã hết hạn. Những gì bạn đã nhập vẫn được giữ lại."
    )
    assert page.get_by_label("Họ, chữ đệm, tên", exact=True).input_value() == BIRTH_FORM["child_name"]
    assert page.get_by_label("Nữ", exact=True).is_checked()
    visitor.screenshot("phone-session-ended-kept")
    press(page, "Tiếp tục")
    assert page.locator(".error-summary").count() == 0
    assert visitor.errors == []
