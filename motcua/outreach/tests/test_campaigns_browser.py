"""Campaigns in a real Chromium: an officer creates one at a desktop, sees its kit, its report and what its
message would cost; a citizen stops the news from the link in a text on a cheap phone, with and without
JavaScript. axe-core finds nothing on either page."""

import pytest

from conftest import assert_accessible
from motcua.notifications import services as notifications
from motcua.outreach import campaigns
from motcua.outreach.links import Tag
from motcua.outreach.models import Campaign
from motcua.outreach.uptake import Step, add
from testkit.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BIRTH = "1.001193"


def test_an_officer_creates_a_campaign_and_reads_what_it_brought(
    desktop, live_server, catalogue, agency, desk, citizen
):
    notifications.set_news(citizen, news=True)
    sign_in(desktop, live_server, desk)
    desktop.go("/can-bo/")
    desktop.page.get_by_role("link", name="Chiến dịch truyền thông").click()
    assert_accessible(desktop, "campaign list")
    desktop.page.get_by_role("link", name="Tạo chiến dịch").click()
    desktop.page.get_by_label("Tên chiến dịch").fill("Tháng khai sinh trực tuyến")
    desktop.page.get_by_label("Mã chiến dịch").fill("thang-khai-sinh")
    desktop.page.get_by_label("Từ ngày").fill("2026-12-01")
    desktop.page.get_by_label("Đến hết ngày").fill("2026-12-31")
    desktop.page.get_by_label("Đăng ký khai sinh", exact=True).check()
    desktop.page.get_by_label("Tin nhắn gửi người đăng ký nhận tin").fill(
        "UBND xa Vinh Linh: dang ky khai sinh truc tuyen, mien le phi."
    )
    assert_accessible(desktop, "campaign form")
    desktop.page.get_by_role("button", name="Lưu").click()
    desktop.page.get_by_role("heading", name="Tháng khai sinh trực tuyến").wait_for()
    campaign = Campaign.objects.get()
    add(Tag(campaign.slug, "loa"), Step.VISIT, day=campaign.starts_on, n=12)
    add(Tag(campaign.slug, "loa"), Step.FILED, day=campaign.starts_on, n=3)
    desktop.page.reload()
    assert desktop.page.get_by_role("heading", name="Tháng khai sinh trực tuyến").count() == 1
    loudspeaker = desktop.page.get_by_role("row", name="Loa truyền thanh")
    assert loudspeaker.get_by_role("cell").all_inner_texts() == [
        "0", "12", "0", "0", "0", "0", "0", "0", "0", "0", "3", "0"
    ]  # fmt: skip
    assert desktop.page.get_by_text("Sẽ gửi cho 1 người đã đăng ký nhận tin").count() == 1
    desktop.screenshot("outreach/campaign-desktop")
    assert_accessible(desktop, "campaign page")
    assert desktop.errors == []


def test_a_citizen_stops_the_news_from_the_link_on_a_phone(
    phone, phone_without_js, live_server, catalogue, agency, citizen
):
    notifications.set_news(citizen, news=True)
    path = f"/tu-choi-tin/{campaigns.opt_out_token(citizen.pk)}/"
    assert phone_without_js.go(path).status == 200
    assert phone.go(path).status == 200
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "opt-out page (phone)")
    phone.screenshot("outreach/opt-out-phone")
    assert notifications.wants_news(citizen)
    phone.page.get_by_role("button", name="Không nhận tin nữa").click()
    assert phone.page.get_by_role("status").inner_text().startswith("Đã xong.")
    assert_accessible(phone, "opt-out done (phone)")
    assert not notifications.wants_news(citizen)
    assert phone.errors == []
