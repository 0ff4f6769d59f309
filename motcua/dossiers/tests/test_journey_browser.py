"""A birth registration from the citizen's phone to the result, with every officer in a real Chromium.

Hường files online on a 360 px phone; the one-stop desk asks for a missing paper; she sends it; the desk
receives and forwards the dossier, the specialist submits it, the leader approves, and the desk hands the
result over. Her dossier, and the public lookup, then say "Đã trả kết quả". Every page a person saw on the
way is checked with axe-core, and no page may scroll sideways on the phone or log a console error.
"""

import hashlib
import re
import struct
import zlib

import pytest

from conftest import DESKTOP, PHONE, Visitor, assert_accessible
from motcua.dossiers.services import CODE_PATTERN
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, number_of_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-2026"
FILE_PAGE = f"/thu-tuc/{BIRTH}/nop/"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def tiny_png() -> bytes:
    """A real 1×1 white PNG, built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte + one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG = tiny_png()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Uploads land in a temporary folder; rate-limit counters of earlier tests do not carry over."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(catalogue, content, agency):
    return agency


class Findings:
    """Problems a person would meet but that need not stop the story: reported all together at the end."""

    def __init__(self):
        self.problems: list[str] = []

    def accessible(self, visitor: Visitor, name: str) -> None:
        try:
            assert_accessible(visitor, name)
        except AssertionError as exc:
            self.problems.append(f"axe-core — {exc}")

    def no_sideways_scroll(self, visitor: Visitor, name: str) -> None:
        width = visitor.page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            self.problems.append(f"{name}: the page is {width}px wide on a 360px phone (scrolls sideways)")

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)

    def no_console_errors(self, **visitors: Visitor) -> None:
        for who, visitor in visitors.items():
            if visitor.errors:
                self.problems.append(f"console errors for {who}: {visitor.errors}")

    def assert_none(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


# --- people at their screens -----------------------------------------------------------------------------


def fill_sign_in(visitor: Visitor, username: str) -> None:
    """On the sign-in page: type the name and password and press "Đăng nhập"."""
    page = visitor.page
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    assert "/dang-nhap/" not in page.url, f"{username} could not sign in: {page.locator('main').inner_text()}"


def sign_in(visitor: Visitor, username: str) -> None:
    visitor.go("/dang-nhap/")
    fill_sign_in(visitor, username)


def officer_at_desk(open_visitor, username: str) -> Visitor:
    """An officer at a desktop screen, signed in; they land on the back office."""
    visitor = open_visitor(DESKTOP)
    sign_in(visitor, username)
    assert visitor.page.url.endswith("/can-bo/")
    return visitor


def fill_step(page, answers: dict) -> None:
    """Answer every question of the step on screen that `answers` knows, as a person would."""
    for name, value in answers.items():
        control = page.locator(f"[name='{name}']")
        if control.count() == 0 or not control.first.is_visible():
            continue
        kind = control.first.get_attribute("type")
        if kind == "radio":
            page.locator(f"[name='{name}'][value='{value}']").check()
        elif kind == "checkbox":
            control.check()
        else:
            control.fill(str(value))


def fill_birth_declaration(visitor: Visitor, findings) -> None:
    """Step by step, "Tiếp tục" after each, up to the papers."""
    page = visitor.page
    for number in range(1, 20):
        if "/giay-to/" in page.url:
            return
        fill_step(page, BIRTH_FORM)
        findings.no_sideways_scroll(visitor, f"step {number}")
        with page.expect_navigation():
            page.get_by_role("button", name="Tiếp tục", exact=True).click()
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    raise AssertionError("the declaration never reached the papers")


def answer_on_review(page, question: str) -> str:
    asked = page.locator("dt").filter(has_text=re.compile(rf"^{re.escape(question)}$"))
    row = page.locator("dl.answers > div").filter(has=asked)
    return row.locator("dd").text_content().strip()


def act(visitor: Visitor, label: str, **fields) -> None:
    """In the back office: open the action `label`, fill its fields (by label), and press its button."""
    page = visitor.page
    named = re.compile(rf"^\s*{re.escape(label)}\s*$")
    details = page.locator("details.action").filter(has=page.locator("summary").filter(has_text=named))
    summary = details.locator("summary")
    assert summary.count() == 1, (
        f"no action “{label}” here: {page.locator('#h-actions').locator('..').inner_text()}"
    )
    summary.click()
    for field_label, value in fields.items():
        control = details.get_by_label(field_label, exact=False)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    with page.expect_navigation():
        details.get_by_role("button", name=label, exact=True).click()
    done = f"Đã thực hiện: {label}."
    assert done in page.locator(".flash").all_inner_texts(), page.locator("main").inner_text()


def status_in_office(visitor: Visitor) -> str:
    return visitor.page.locator("#h-state .status").inner_text()


def status_for_citizen(visitor: Visitor) -> str:
    return visitor.page.locator(".facts-list .status").inner_text()


# --- the journey -----------------------------------------------------------------------------------------


def test_birth_registration_from_phone_to_result(
    phone, open_visitor, portal, citizen, desk, specialist, leader
):
    findings = Findings()
    page = phone.page

    # 1. Hường signs in on her phone and files the birth registration of her daughter.
    phone.go("/dang-nhap/")
    findings.accessible(phone, "phone sign-in /dang-nhap/")
    phone.screenshot("phone-sign-in")
    fill_sign_in(phone, "0912 345 678")

    phone.go(f"/thu-tuc/{BIRTH}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    assert page.url.endswith(FILE_PAGE)
    phone.screenshot("phone-file-form")
    findings.accessible(phone, "phone file form, step 1")
    fill_birth_declaration(phone, findings)
    first_slot = page.locator("#giay-to input[type=file]").first
    first_slot.set_input_files({"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG})
    phone.screenshot("phone-file-papers")
    findings.no_sideways_scroll(phone, "papers")
    findings.accessible(phone, "phone papers")

    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục: xem lại").click()
    assert page.url.endswith(FILE_PAGE + "xem-lai/"), page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Xem lại trước khi nộp"
    files = page.locator("ul.files").text_content()
    assert "giay-chung-sinh.png" in files
    assert hashlib.sha256(PNG).hexdigest()[:12] not in page.content(), "a grandmother reads no hash"
    assert BIRTH_FORM["child_name"] in page.locator("main").inner_text()
    for question, chosen in [
        ("Loại giấy tờ tùy thân", "Thẻ căn cước / Căn cước công dân"),
        ("Quan hệ với người được khai sinh", "Mẹ"),
        ("Giới tính", "Nữ"),
    ]:
        shown = answer_on_review(page, question)
        findings.expect(shown == chosen, f"review: “{question}” shows “{shown}”, not her choice “{chosen}”")
    phone.screenshot("phone-review")
    findings.no_sideways_scroll(phone, "review")
    findings.accessible(phone, "phone review")

    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()
    assert page.locator("h1").inner_text() == "Đã nộp hồ sơ"
    code = page.locator(".bigcode").inner_text().strip()
    assert CODE_PATTERN.match(code), code
    assert page.url.endswith(f"/ho-so/{code}/?moi=1")
    qr = page.get_by_role("img", name="Mã QR để tra cứu hồ sơ")
    qr.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=qr.element_handle())
    if qr.evaluate("img => img.naturalWidth") == 0:
        findings.problems.append(f"confirmation: the QR code image did not load ({qr.get_attribute('src')})")
    assert status_for_citizen(phone) == "Mới đăng ký"
    phone.screenshot("phone-confirmation")
    findings.no_sideways_scroll(phone, "confirmation")
    findings.accessible(phone, "phone confirmation")

    # 2. The one-stop desk finds it in the queue and asks for two missing papers.
    desk_screen = officer_at_desk(open_visitor, "motcua")
    office = desk_screen.page
    row = office.locator("table.queue tbody tr").filter(has=office.get_by_role("link", name=code))
    assert row.count() == 1, office.locator("table.queue").inner_text()
    assert "Nguyễn Thị Hường" in row.inner_text()
    assert "Mới đăng ký" in row.inner_text()
    desk_screen.screenshot("desktop-queue")
    findings.accessible(desk_screen, "desktop office queue")

    with office.expect_navigation():
        row.get_by_role("link", name=code).click()
    assert office.url.endswith(f"/can-bo/ho-so/{code}/")
    assert status_in_office(desk_screen) == "Mới đăng ký"
    assert "giay-chung-sinh.png" in office.locator("#h-files").locator("..").inner_text()
    assert hashlib.sha256(PNG).hexdigest()[:16] in office.locator("#h-files").locator("..").inner_text()
    act(
        desk_screen,
        "Yêu cầu bổ sung",
        **{
            "Giấy tờ cần bổ sung": "Giấy chứng sinh bản chính\nẢnh căn cước của người đi đăng ký",
            "Lý do": "Ảnh tải lên không đọc được, chị gửi lại giúp.",
        },
    )
    assert status_in_office(desk_screen) == "Yêu cầu bổ sung giấy tờ"
    desk_screen.screenshot("desktop-dossier")
    findings.accessible(desk_screen, "desktop office dossier")

    # 3. Hường sees what is asked of her and sends the paper from her phone.
    phone.go("/ho-so/")
    todo = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile("^Cần bạn xử lý")))
    assert todo.count() == 1, page.locator("main").inner_text()
    card = todo.locator(".card").filter(has_text=code)
    assert card.count() == 1
    assert "Bạn cần gửi bổ sung các giấy tờ được yêu cầu." in card.inner_text()
    phone.screenshot("phone-my-dossiers")
    findings.no_sideways_scroll(phone, "my dossiers")
    findings.accessible(phone, "phone my dossiers")

    with page.expect_navigation():
        card.get_by_role("link", name="Gửi bổ sung").click()
    supplement = page.locator("#bo-sung")
    asked = supplement.locator("li").all_inner_texts()
    assert asked == ["Giấy chứng sinh bản chính", "Ảnh căn cước của người đi đăng ký"]
    assert "Ảnh tải lên không đọc được" in supplement.inner_text()
    phone.screenshot("phone-supplement")
    findings.no_sideways_scroll(phone, "dossier with supplement form")
    findings.accessible(phone, "phone dossier with supplement form")

    supplement.get_by_label("Chụp hoặc chọn giấy tờ bổ sung").set_input_files(
        {"name": "giay-chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    supplement.get_by_label("Lời nhắn cho cán bộ").fill("Em gửi lại bản PDF rõ hơn ạ.")
    with page.expect_navigation():
        supplement.get_by_role("button", name="Gửi bổ sung").click()
    assert page.url.endswith(f"/ho-so/{code}/"), page.locator("main").inner_text()
    assert status_for_citizen(phone) == "Mới đăng ký"
    assert page.locator("#bo-sung").count() == 0
    assert "giay-chung-sinh.pdf" in page.locator("main").inner_text()
    phone.screenshot("phone-supplement-sent")
    findings.no_sideways_scroll(phone, "dossier after supplement")

    # 4. Desk receives and forwards; the specialist submits; the leader approves; the desk hands it over.
    desk_screen.go(f"/can-bo/ho-so/{code}/")
    assert status_in_office(desk_screen) == "Mới đăng ký"
    act(desk_screen, "Tiếp nhận")
    assert status_in_office(desk_screen) == "Được tiếp nhận"
    act(desk_screen, "Chuyển chuyên viên xử lý", **{"Chuyên viên xử lý": "Lê Văn Hùng"})
    assert status_in_office(desk_screen) == "Đang xử lý"

    specialist_screen = officer_at_desk(open_visitor, "chuyenvien")
    specialist_screen.go("/can-bo/?cua-toi=1")
    mine = specialist_screen.page.locator("table.queue tbody tr").filter(has_text=code)
    assert mine.count() == 1, "the forwarded dossier is not under “Giao cho tôi”"
    with specialist_screen.page.expect_navigation():
        mine.get_by_role("link", name=code).click()
    act(specialist_screen, "Trình lãnh đạo duyệt")
    assert "Chờ lãnh đạo duyệt" in specialist_screen.page.locator("#h-state").inner_text()

    leader_screen = officer_at_desk(open_visitor, "lanhdao")
    waiting = leader_screen.page.get_by_role("link", name="Chờ tôi duyệt: 1")
    with leader_screen.page.expect_navigation():
        waiting.click()
    to_approve = leader_screen.page.locator("table.queue tbody tr").filter(has_text=code)
    assert to_approve.count() == 1
    with leader_screen.page.expect_navigation():
        to_approve.get_by_role("link", name=code).click()
    act(leader_screen, "Duyệt")
    assert status_in_office(leader_screen) == "Đã xử lý xong"

    desk_screen.go(f"/can-bo/ho-so/{code}/")
    act(desk_screen, "Trả kết quả", **{"Cách trả kết quả": "tại bộ phận một cửa"})
    assert status_in_office(desk_screen) == "Đã trả kết quả"

    # 5. Hường's dossier says so, and so does the public lookup, without her name or phone.
    phone.go(f"/ho-so/{code}/")
    assert status_for_citizen(phone) == "Đã trả kết quả"
    assert "tại bộ phận một cửa" in page.locator(".facts-list").inner_text()
    phone.screenshot("phone-returned")
    findings.no_sideways_scroll(phone, "dossier returned")

    stranger = open_visitor(PHONE)
    stranger.go("/tra-cuu/")
    stranger.page.get_by_label("Mã hồ sơ").fill(code)
    stranger.page.get_by_label("4 số cuối điện thoại").fill("5678")
    with stranger.page.expect_navigation():
        stranger.page.get_by_role("button", name="Tra cứu").click()
    found = stranger.page.locator("main")
    assert stranger.page.locator(".facts-list .status").inner_text() == "Đã trả kết quả"
    assert code in found.inner_text()
    html = stranger.page.content()
    for private in ("Nguyễn Thị Hường", "Hường", "0912 345", "912345678", "045190012345", "Bảo Ngọc"):
        assert private not in html, f"the public lookup shows “{private}”"
    stranger.screenshot("phone-lookup-result")
    findings.no_sideways_scroll(stranger, "lookup result")
    findings.accessible(stranger, "phone lookup result")

    # 6. Nobody met a broken script along the way.
    findings.no_console_errors(
        citizen=phone, desk=desk_screen, specialist=specialist_screen, leader=leader_screen, stranger=stranger
    )
    findings.assert_none()


# --- drafts ----------------------------------------------------------------------------------------------


def child_step() -> str:
    """The step that asks about the child (Người được khai sinh)."""
    return f"{FILE_PAGE}buoc/{number_of_step('child_name')}/"


def child_name_field(page):
    return page.get_by_label("Họ, chữ đệm, tên", exact=True)


def test_draft_is_saved_with_javascript_off(phone_without_js, portal, citizen):
    page = phone_without_js.page
    sign_in(phone_without_js, "0912 345 678")
    phone_without_js.go(child_step())
    assert page.locator("h1").inner_text() == "Người được khai sinh"
    child_name_field(page).fill(BIRTH_FORM["child_name"])
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục", exact=True).click()
    assert "Cần sửa lại" in page.locator(".error-summary").inner_text()  # the other answers are missing
    assert child_name_field(page).input_value() == BIRTH_FORM["child_name"]

    phone_without_js.go(child_step())
    assert child_name_field(page).input_value() == BIRTH_FORM["child_name"], "the draft was lost"
    phone_without_js.screenshot("phone-nojs-draft")
    assert phone_without_js.errors == []


def test_draft_survives_an_expired_session(phone, portal, citizen):
    page = phone.page
    sign_in(phone, "0912 345 678")
    phone.go(child_step())
    child_name_field(page).fill(BIRTH_FORM["child_name"])
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục", exact=True).click()

    phone.context.clear_cookies()  # the session ended (or the browser was closed)
    phone.go(FILE_PAGE)
    assert "/dang-nhap/" in page.url, "a signed-out visitor must be asked to sign in"
    fill_sign_in(phone, "0912 345 678")
    assert FILE_PAGE in page.url, "after signing in again she must come back to her form"
    phone.go(child_step())
    assert child_name_field(page).input_value() == BIRTH_FORM["child_name"], "the draft was lost"
    assert phone.errors == []
