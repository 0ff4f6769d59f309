"""The desk at reception, on a 360×740 phone, in a real Chromium: it corrects a declaration typed without
diacritics, and it attaches the papers a citizen brought, photographed or scanned, to a counter dossier.
Each page is checked with axe-core and must not scroll sideways."""

import pytest

from conftest import Visitor, assert_accessible
from motcua.dossiers.models import Attachment, Dossier

from .factories import TYPED_FORM, file_birth, filed_at_counter
from .test_journey_browser import PDF, PNG, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def fits_the_phone(visitor: Visitor) -> None:
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_desk_corrects_nguyen_van_an_on_a_phone(phone, catalogue, content, agency, people):
    dossier = file_birth(people["citizen"], agency, form=TYPED_FORM)
    sign_in(phone, "motcua")
    page = phone.page
    phone.go(f"/can-bo/ho-so/{dossier.code}/")
    form = page.locator("#h-form").locator("..")
    assert form.locator(".tag-late").all_inner_texts() == ["Chưa có dấu", "Chưa có dấu"]

    with page.expect_navigation():
        form.get_by_role("link", name="Sửa tờ khai").click()
    assert page.locator("h1").inner_text() == "Sửa tờ khai"
    assert (
        page.locator("p.warn[role=note]").inner_text()
        == "2 ô chưa có dấu tiếng Việt, được đánh dấu bên dưới."
    )
    fits_the_phone(phone)
    assert_accessible(phone, "correct the declaration")
    phone.screenshot("desk-correct-declaration")
    requester = page.get_by_role("group", name="Người yêu cầu", exact=True)
    name = requester.get_by_label("Họ, chữ đệm, tên người yêu cầu", exact=True)
    assert name.get_attribute("aria-describedby") == "id_requester_name_flag"
    name.fill("Nguyễn Văn An")
    requester.get_by_label("Nơi cư trú", exact=True).fill("Thôn 3, xã Vĩnh Linh")
    page.get_by_label("Lý do sửa (công dân đọc được)").fill("Đối chiếu căn cước công dân")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tờ khai đã sửa").click()

    assert page.url.endswith(f"/can-bo/ho-so/{dossier.code}/")
    assert "Đã sửa tờ khai." in page.locator(".flash").inner_text()
    timeline = page.locator("#h-time").locator("..").inner_text()
    assert "Sửa tờ khai" in timeline
    assert "“nguyen van an” thành “Nguyễn Văn An”" in timeline
    assert "“thon 3, xa vinh linh” thành “Thôn 3, xã Vĩnh Linh”" in timeline
    assert page.locator("#h-form").locator("..").locator(".tag-late").count() == 0
    fits_the_phone(phone)
    assert_accessible(phone, "the dossier after the correction")
    assert Dossier.objects.get(pk=dossier.pk).form_data["requester_name"] == "Nguyễn Văn An"
    assert phone.errors == []


def test_the_desk_attaches_photos_and_a_scan_without_javascript(
    phone_without_js, phone, catalogue, content, agency, people
):
    dossier = filed_at_counter("1.004873", desk=people["desk"], agency=agency)
    visitor = phone_without_js
    sign_in(visitor, "motcua")
    page = visitor.page
    visitor.go(f"/can-bo/ho-so/{dossier.code}/")
    papers = page.locator("#h-files").locator("..")
    assert "Chưa có tệp nào." in papers.inner_text()

    papers.get_by_label("Thành phần hồ sơ").select_option(label="Giấy tờ tùy thân")
    papers.get_by_label("Bản quét PDF hoặc ảnh chụp giấy tờ", exact=False).set_input_files(
        [
            {"name": "can-cuoc-mat-truoc.png", "mimeType": "image/png", "buffer": PNG},
            {"name": "can-cuoc.pdf", "mimeType": "application/pdf", "buffer": PDF},
        ]
    )
    with page.expect_navigation():
        papers.get_by_role("button", name="Đính kèm").click()

    assert "Đã đính kèm 2 tệp vào hồ sơ." in page.locator(".flash").inner_text()
    captions = page.locator("#h-files").locator("..").locator("figcaption").all_inner_texts()
    assert [c.splitlines()[0] for c in captions] == [
        f"Giấy tờ tùy thân: can-cuoc-mat-truoc.png · {len(PNG)}\xa0byte",
        f"Giấy tờ tùy thân: can-cuoc.pdf · {len(PDF)}\xa0byte",
    ]
    assert all("Cán bộ đính kèm: Trần Thị Mai" in c for c in captions)
    visitor.screenshot("desk-counter-scans")


def test_a_file_that_is_no_scan_is_refused_in_plain_words(phone, catalogue, content, agency, people):
    dossier = filed_at_counter("1.004873", desk=people["desk"], agency=agency)
    sign_in(phone, "motcua")
    page = phone.page
    phone.go(f"/can-bo/ho-so/{dossier.code}/")
    fits_the_phone(phone)
    assert_accessible(phone, "a counter dossier with its upload")

    papers = page.locator("#h-files").locator("..")
    papers.get_by_label("Bản quét PDF hoặc ảnh chụp giấy tờ", exact=False).set_input_files(
        [{"name": "don.docx", "mimeType": "image/jpeg", "buffer": b"PK\x03\x04 not a photo"}]
    )
    with page.expect_navigation():
        papers.get_by_role("button", name="Đính kèm").click()

    refused = page.locator("#h-files").locator("..").locator(".error-summary").inner_text()
    assert "Tệp “don.docx” không phải ảnh (JPG, PNG, WEBP) hoặc PDF. Bạn chọn tệp khác." in refused
    assert not Attachment.objects.filter(dossier=dossier).exists()
    fits_the_phone(phone)
    assert_accessible(phone, "the counter dossier with a refused file")
    phone.screenshot("desk-counter-scan-refused")
    assert [e for e in phone.errors if "422" not in e] == []  # the refusal itself is answered 422
