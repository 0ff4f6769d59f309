"""The bulletin in a real Chromium: a citizen listens on a cheap phone (the player reads the MP3's length),
an officer edits the text and watches the sound being made, plans an airing and prints posters. axe-core
finds nothing on any of these pages."""

import pytest

from conftest import assert_accessible
from motcua.catalog.services import get_procedure
from motcua.outreach import bulletins
from testkit.browser import sign_in

from .test_audio import work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BIRTH = "1.001193"


def test_a_citizen_listens_to_the_bulletin_on_a_phone(
    phone, phone_without_js, catalogue, agency, media, voice
):
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    bulletins.request_render(bulletin, bulletins.script_of(bulletin, get_procedure(BIRTH)))
    assert work() == ["done"]

    assert phone.go(f"/thu-tuc/{BIRTH}/loa/").status == 200
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    seconds = phone.page.evaluate(
        """() => new Promise((done, failed) => {
            const player = document.querySelector("audio");
            player.addEventListener("loadedmetadata", () => done(player.duration));
            player.addEventListener("error", () => failed(String(player.error && player.error.code)));
            player.load();
        })"""
    )
    assert 60 <= seconds <= 90
    phone.screenshot("outreach/loa-phone")
    assert_accessible(phone, "bulletin page (phone)")
    assert phone.errors == []

    assert phone_without_js.go(f"/thu-tuc/{BIRTH}/loa/").status == 200
    assert phone_without_js.page.get_by_text("Kính thưa bà con.").count() == 1


def test_an_officer_edits_the_bulletin_and_watches_its_sound_being_made(
    desktop, live_server, catalogue, agency, desk, media, voice
):
    sign_in(desktop, live_server, desk)
    desktop.go("/can-bo/")
    desktop.page.get_by_role("link", name="Bản tin loa").click()
    desktop.page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    assert_accessible(desktop, "bulletin edit page")
    work()  # the sound of the generated text, asked for when the page opened

    box = desktop.page.get_by_role("textbox", name="Lời bản tin")
    box.fill(
        "UBND xã Vĩnh Linh thông báo: đăng ký khai sinh trong 60 ngày thì miễn lệ phí. Gọi 0233 3 000 000."
    )
    desktop.page.get_by_role("button", name="Lưu lời bản tin").click()
    assert "Số, tiền, ngày tháng và chữ viết tắt đã được viết lại thành chữ." in desktop.page.content()
    assert box.input_value().startswith(
        "Ủy ban nhân dân xã Vĩnh Linh thông báo: đăng ký khai sinh trong sáu mươi"
    )
    status = desktop.page.locator("[data-loa-status]")
    assert status.inner_text() == "Đang chờ máy tạo âm thanh"

    assert work() == ["done"]  # the worker; the page asks every two seconds and reloads when it is ready
    desktop.page.locator("audio").wait_for(timeout=15000)
    assert "Giọng đọc tự động" in desktop.page.locator("#h-sound + audio + p").inner_text()
    desktop.screenshot("outreach/loa-officer")
    assert desktop.errors == []


def test_an_officer_plans_an_airing_and_prints_the_posters(
    phone, desktop, live_server, catalogue, agency, community
):
    sign_in(phone, live_server, community)
    phone.go("/can-bo/lich-phat-loa/")
    phone.page.get_by_label("Tên thôn, xóm").fill("Thôn Tân Trại")
    phone.page.get_by_role("button", name="Thêm thôn").click()
    phone.page.get_by_label("Bản tin").select_option(label="Đăng ký khai sinh")
    phone.page.get_by_label("Ngày phát").fill("2030-01-07")
    phone.page.get_by_label("Giờ phát").fill("06:30")
    phone.page.get_by_label("Thôn Tân Trại").check()
    phone.page.get_by_role("button", name="Thêm vào lịch").click()
    assert "Đã thêm lượt phát vào lịch." in phone.page.content()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("outreach/lich-phat-phone")
    assert_accessible(phone, "broadcast schedule (phone)")

    sign_in(desktop, live_server, community)
    desktop.go("/can-bo/ap-phich/")
    desktop.screenshot("outreach/ap-phich-officer")
    assert_accessible(desktop, "poster set page")
    with desktop.page.expect_response(lambda r: "/can-bo/ap-phich/in.pdf" in r.url) as answer:
        desktop.page.get_by_label("Đăng ký khai sinh", exact=True).check()
        desktop.page.get_by_role("button", name="In các thủ tục đã chọn").click()
    response = answer.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # Chromium shows the PDF in its viewer; the same address, fetched with the officer's session, is the file.
    assert desktop.context.request.get(response.url).body().startswith(b"%PDF")
