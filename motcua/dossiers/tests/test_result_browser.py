"""The result, in a real Chromium (issue 11, wall 10): before, status 9 was missing from "Cần bạn xử lý" and
the "bản điện tử" the guide promises for online filing was never given.

The leader approves Hường's online birth registration attaching the signed extract; on her 360×740 phone
she finds it under "Cần bạn xử lý", downloads it, and the dossier says "Đã trả kết quả" (trực tuyến) with
the paper still at the counter. Another citizen and another commune's officer get the page a missing
dossier gets. A result given on paper only shows where and when to collect it. Every page is axe-clean.
"""

import re

import pytest

from conftest import DESKTOP, PHONE, Visitor, assert_accessible
from motcua.dossiers import services
from motcua.dossiers.models import Status

from .factories import dossier_in, filed_at_counter
from .test_journey_browser import fill_sign_in, sign_in, status_for_citizen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
UNKNOWN_CODE = "000.20.44.H54-991231-9999"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def todo_card(page, code: str):
    todo = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile("^Cần bạn xử lý")))
    return todo.locator(".card").filter(has_text=code)


def no_sideways_scroll(visitor: Visitor) -> None:
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_online_result_is_attached_at_approval_and_downloaded_on_the_phone(
    phone, open_visitor, catalogue, agency, people, other_citizen, other_desk
):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    code = dossier.code

    # 1. The leader approves, attaching the signed extract.
    leader = open_visitor(DESKTOP)
    sign_in(leader, "lanhdao")
    leader.go(f"/can-bo/ho-so/{code}/")
    approve = leader.page.locator("details.action").filter(
        has=leader.page.locator("summary", has_text="Duyệt")
    )
    approve.locator("summary").click()
    approve.get_by_label("Tệp kết quả", exact=False).set_input_files(
        {"name": "trich-luc-khai-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert_accessible(leader, "office dossier, approve with a result file")
    with leader.page.expect_navigation():
        approve.get_by_role("button", name="Duyệt", exact=True).click()
    assert "Đã thực hiện: Duyệt." in leader.page.locator(".flash").all_inner_texts()
    assert "trich-luc-khai-sinh.pdf" in leader.page.locator("#h-results").locator("..").inner_text()
    leader.screenshot("desktop-result-attached")

    # 2. Hường finds it under "Cần bạn xử lý" on her phone.
    page = phone.page
    phone.go("/dang-nhap/")
    fill_sign_in(phone, "0912 345 678")
    phone.go("/ho-so/")
    card = todo_card(page, code)
    assert card.count() == 1, page.locator("main").inner_text()
    assert "Kết quả điện tử đã sẵn sàng: bạn tải về ngay." in card.inner_text()
    assert "Bản giấy vẫn được giữ tại bộ phận một cửa." in card.inner_text()
    link = card.get_by_role("link", name="Tải kết quả: trich-luc-khai-sinh.pdf")
    phone.screenshot("phone-result-to-download")
    no_sideways_scroll(phone)
    assert_accessible(phone, "phone my dossiers, a result to download")

    # 3. She downloads it: the file is hers, and the dossier is delivered online.
    with page.expect_download() as downloaded:
        link.click()
    with open(downloaded.value.path(), "rb") as f:
        assert f.read() == PDF
    assert downloaded.value.suggested_filename == "trich-luc-khai-sinh.pdf"
    phone.go(f"/ho-so/{code}/")
    assert status_for_citizen(phone) == "Đã trả kết quả"
    main = page.locator("main").inner_text()
    assert "trực tuyến" in main and "Bản giấy vẫn được giữ tại bộ phận một cửa nếu bạn cần." in main
    assert page.get_by_role("link", name="Tải kết quả: trich-luc-khai-sinh.pdf").count() == 1
    phone.screenshot("phone-result-delivered-online")
    no_sideways_scroll(phone)
    assert_accessible(phone, "phone dossier delivered online")
    phone.go("/ho-so/")
    assert todo_card(page, code).count() == 0

    # 4. Another citizen, another commune's officer: the page a missing dossier gets.
    result = services.dossier_for(people["citizen"], code).result_files.get()
    for username, device in [("0987 654 321", PHONE), ("motcua.cuatung", DESKTOP)]:
        stranger = open_visitor(device)
        sign_in(stranger, username)
        theirs = stranger.go(f"/ho-so/{code}/ket-qua/{result.pk}/")
        shown = stranger.page.locator("main").inner_text()
        missing = stranger.go(f"/ho-so/{UNKNOWN_CODE}/ket-qua/{result.pk}/")
        assert theirs.status == missing.status == 404
        assert shown == stranger.page.locator("main").inner_text()
        assert_accessible(stranger, f"{username}: 404")


def test_a_paper_result_shows_where_and_when_under_needs_your_action(phone, catalogue, agency, people):
    agency.result_place = "Trung tâm Phục vụ hành chính công xã Vĩnh Linh"
    agency.opening_hours = "7h30-11h30, 13h30-17h, T2-T6"
    agency.save()
    dossier = filed_at_counter("2.000884", desk=people["desk"], agency=agency)  # Chứng thực chữ ký
    for action, who, data in [
        ("confirm_payment", "desk", {"receipt_number": "BL-0001"}),
        ("forward", "desk", {}),
        ("submit_for_approval", "specialist", {}),
        ("approve", "leader", {}),
    ]:
        dossier = services.perform(dossier, action, by=people[who], data=data)

    page = phone.page
    phone.go("/dang-nhap/")
    fill_sign_in(phone, "0912 345 678")
    phone.go("/ho-so/")

    card = todo_card(page, dossier.code)
    assert card.count() == 1, page.locator("main").inner_text()
    text = card.inner_text()
    for words in [
        "Đã có kết quả. Mời bạn đến nhận.",
        "Nơi nhận kết quả",
        "Trung tâm Phục vụ hành chính công xã Vĩnh Linh",
        "Giờ làm việc",
        "7h30-11h30, 13h30-17h, T2-T6",
        "Hẹn trả kết quả",
        "Nhớ mang theo giấy tờ tùy thân",
    ]:
        assert words in text, (words, text)
    assert card.get_by_role("link", name=re.compile("^Tải kết quả")).count() == 0
    phone.screenshot("phone-result-to-collect")
    no_sideways_scroll(phone)
    assert_accessible(phone, "phone my dossiers, a result to collect")

    phone.go(dossier.get_absolute_url())
    assert "Nơi nhận kết quả" in page.locator("#nhan-ket-qua").inner_text()
    assert_accessible(phone, "phone dossier, a result to collect")
