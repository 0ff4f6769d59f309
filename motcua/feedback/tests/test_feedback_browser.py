"""In a real Chromium at 360×740: a complaint goes from the public form to an officer's answer, published
on `/phan-anh/` within its deadline, without the sender's name or phone; a citizen rates a delivered dossier
from their account, and another on the counter tablet the desk opens. Every page is axe-clean, within
14 KB gzip, and works without JavaScript."""

import re

import pytest

from bench.weight import page_weight
from conftest import DESKTOP, PHONE, Visitor, assert_accessible
from motcua.dossiers.models import Event, Status
from motcua.dossiers.tests.factories import dossier_in
from motcua.dossiers.tests.test_journey_browser import sign_in
from motcua.feedback.models import Feedback

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUDGET = 14 * 1024


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def no_sideways_scroll(visitor: Visitor) -> None:
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_complaint_travels_from_the_public_form_to_a_published_answer_within_its_deadline(
    open_visitor, agency, desk, client
):
    # The sender's phone runs no JavaScript: the form works without it. axe-core needs it, so a second
    # phone (JavaScript on) checks the same pages.
    sender = open_visitor(PHONE, java_script_enabled=False)
    checker = open_visitor(PHONE)
    checker.go("/phan-anh/")
    assert_accessible(checker, "phan-anh")
    checker.page.get_by_text("Gửi phản ánh, kiến nghị").click()
    checker.page.get_by_role("button", name="Gửi", exact=True).click()
    assert checker.page.locator(".error-summary").is_visible()
    assert_accessible(checker, "phan-anh-loi")
    no_sideways_scroll(checker)
    checker.screenshot("feedback-form-errors-360")

    sender.go("/phan-anh/")
    page = sender.page
    page.get_by_text("Gửi phản ánh, kiến nghị").click()
    page.get_by_label("Kiến nghị", exact=True).check()
    page.get_by_label("Nội dung", exact=True).fill(
        "Đề nghị xã mở thêm giờ tiếp nhận hồ sơ sáng thứ Bảy cho người đi làm xa."
    )
    page.get_by_label("Họ tên", exact=True).fill("Phạm Văn Tâm")
    page.get_by_role("button", name="Gửi", exact=True).click()
    assert page.locator(".error-summary").is_visible()  # the phone is missing: said, and the rest kept
    assert "Cần ghi số điện thoại" in page.content()
    assert page.get_by_label("Họ tên", exact=True).input_value() == "Phạm Văn Tâm"
    page.get_by_label("Số điện thoại", exact=True).fill("0935 111 222")
    page.get_by_label(re.compile("^Tôi đồng ý công khai")).check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    assert page.get_by_role("heading", name="Đã gửi phản ánh, kiến nghị").is_visible()
    item = Feedback.objects.get()
    assert item.number in page.content()
    no_sideways_scroll(sender)
    sender.screenshot("feedback-sent-360")

    officer = open_visitor(DESKTOP)
    sign_in(officer, "motcua")
    officer.go("/can-bo/phan-anh/")
    assert_accessible(officer, "can-bo-phan-anh")
    officer.page.get_by_role("link", name=item.number).click()
    officer.page.get_by_label("Câu trả lời", exact=True).fill(
        "Từ tháng sau, bộ phận một cửa tiếp nhận hồ sơ sáng thứ Bảy, từ 7 giờ 30 đến 11 giờ 30."
    )
    officer.page.get_by_label(re.compile("^Câu hỏi để công khai")).fill(
        "Đề nghị xã tiếp nhận hồ sơ sáng thứ Bảy."
    )
    officer.page.get_by_label(re.compile("^Công khai câu hỏi")).check()
    assert_accessible(officer, "can-bo-phan-anh-mot")
    officer.page.get_by_role("button", name="Gửi câu trả lời").click()
    assert "Đã trả lời" in officer.page.content()

    item.refresh_from_db()
    assert item.answered_at <= item.due_at and not item.is_late()
    sender.go("/phan-anh/")
    checker.go("/phan-anh/")
    assert_accessible(checker, "phan-anh-cong-khai")
    answers = sender.page.locator("section").filter(
        has=sender.page.get_by_role("heading", name="Câu trả lời đã công khai")
    )
    assert "Đề nghị xã tiếp nhận hồ sơ sáng thứ Bảy." in answers.inner_text()
    assert "sáng thứ Bảy, từ 7 giờ 30 đến 11 giờ 30" in answers.inner_text()
    assert "Phạm Văn Tâm" not in sender.page.content() and "0935" not in sender.page.content()
    no_sideways_scroll(sender)
    sender.screenshot("feedback-published-360")
    assert page_weight(client, "/phan-anh/")["total"] <= BUDGET


def test_a_citizen_rates_from_the_account_and_another_on_the_counter_tablet(
    open_visitor, catalogue, people, agency, citizen, desk, client
):
    mine = dossier_in(Status.RETURNED, people=people, agency=agency)
    at_counter = dossier_in(Status.RETURNED, people=people, agency=agency)

    phone = open_visitor(PHONE)
    sign_in(phone, "0912345678")
    phone.go("/ho-so/")
    assert phone.page.get_by_role("link", name="Mời bạn đánh giá mức độ hài lòng").count() == 2
    phone.page.locator(f"a[href='/ho-so/{mine.code}/#danh-gia']").click()
    phone.page.get_by_role("link", name="Đánh giá", exact=True).click()
    assert_accessible(phone, "danh-gia")
    phone.page.locator("label[for='tc-thai_do-5']").click()
    phone.page.locator("label[for='tc-thoi_gian-4']").click()
    phone.page.get_by_label("Ý kiến thêm").fill("Cán bộ hướng dẫn rất tận tình.")
    no_sideways_scroll(phone)
    phone.screenshot("rating-phone-360")
    phone.page.get_by_role("button", name="5 · Rất hài lòng").click()
    assert "Cảm ơn bạn đã đánh giá" in phone.page.content()
    assert_accessible(phone, "ho-so-da-danh-gia")

    tablet = open_visitor(PHONE)
    sign_in(tablet, "motcua")
    tablet.go(f"/can-bo/ho-so/{at_counter.code}/")
    tablet.screenshot("rating-office-dossier-360")
    tablet.page.locator("a[href='danh-gia/']").click()
    assert "Trần Thị Mai" not in tablet.page.content()
    assert_accessible(tablet, "quay-danh-gia")
    tablet.screenshot("rating-counter-tablet-360")
    tablet.page.get_by_role("button", name="4 · Hài lòng").click()
    assert tablet.page.get_by_role("heading", name="Cảm ơn ông/bà đã đánh giá").is_visible()
    assert_accessible(tablet, "quay-cam-on")

    rated = dict(Event.objects.filter(action="rate").values_list("dossier_id", "data"))
    assert rated == {
        mine.pk: {"score": 5, "criteria": {"thoi_gian": 4, "thai_do": 5}, "comment": True},
        at_counter.pk: {"score": 4, "criteria": {}, "comment": False},
    }
    client.force_login(citizen)
    assert page_weight(client, f"/ho-so/{mine.code}/danh-gia/")["total"] <= BUDGET
