"""Help on request in a real Chromium at 360×740: a citizen asks from a procedure's guide, the community team
member who covers her village picks the request up on his phone, and her phone gets the text — through the
real eSMS adapter, to a stand-in eSMS speaking its HTTP protocol. axe-core finds nothing on these pages."""

import pytest
from django.test import Client

from bench.weight import page_weight
from conftest import OUTPUT, assert_accessible
from motcua.notifications.models import Message
from motcua.notifications.services import deliver_message
from motcua.notifications.tests.fakes import FakeEsms
from motcua.outreach.models import Cover, HelpRequest, HelpState, Village
from testkit.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BIRTH = "1.001193"
BUDGET = 14 * 1024


@pytest.fixture
def esms(settings):
    service = FakeEsms()
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms"], "zalo": [], "email": ["email"]},
        "PROVIDERS": {
            "esms": {
                "BACKEND": "motcua.notifications.providers.EsmsProvider",
                "OPTIONS": {
                    "url": service.url,
                    "api_key": service.api_key,
                    "secret": service.secret,
                    "brandname": "UBND VINHLINH",
                },
            }
        },
    }
    yield service
    service.close()


def fits(visitor) -> bool:
    return visitor.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_citizen_asks_for_help_a_team_member_picks_it_up_and_her_phone_gets_the_text(
    phone, browser, live_server, catalogue, agency, community, esms
):
    village = Village.objects.create(agency=agency, name="Thôn Tân Trại")
    Village.objects.create(agency=agency, name="Thôn Hòa Bình")
    Cover.objects.create(village=village, member=community)

    # The citizen, from the guide of the procedure she needs.
    phone.go(f"/thu-tuc/{BIRTH}/")
    phone.page.locator(".help-link").screenshot(path=str(OUTPUT / "outreach" / "huong-dan-ho-tro-phone.png"))
    phone.page.get_by_role("link", name="Nhờ cán bộ hỗ trợ").click()
    phone.page.wait_for_url(f"**/ho-tro/?thu-tuc={BIRTH}")
    assert "Bạn cần giúp về thủ tục: Đăng ký khai sinh" in phone.page.inner_text("main")
    phone.page.get_by_role("button", name="Gửi yêu cầu hỗ trợ").click()  # empty: plain errors
    assert phone.page.get_by_role("alert").inner_text().startswith("Cần sửa lại")
    assert fits(phone)
    phone.screenshot("outreach/ho-tro-loi-phone")
    assert_accessible(phone, "help form with errors (phone)")

    phone.page.get_by_label("Họ và tên").fill("Lê Thị Bông")
    phone.page.get_by_label("Số điện thoại để cán bộ gọi lại").fill("0912 000 111")
    phone.page.get_by_label("Bạn ở thôn, xóm nào?").select_option(label="Thôn Tân Trại")
    phone.page.get_by_label("Bạn cần giúp thêm điều gì?").fill("Làm giấy khai sinh cho cháu")
    phone.page.get_by_label("Tôi thuộc hộ nghèo / người cao tuổi / người khuyết tật").check()
    phone.screenshot("outreach/ho-tro-phone")
    phone.page.get_by_role("button", name="Gửi yêu cầu hỗ trợ").click()
    phone.page.wait_for_url("**/ho-tro/da-gui/**")
    assert "Cảm ơn bạn, yêu cầu đã được gửi" in phone.page.inner_text("h1")
    assert fits(phone)
    phone.screenshot("outreach/ho-tro-da-gui-phone")
    assert_accessible(phone, "help request sent (phone)")
    assert phone.errors == []
    request = HelpRequest.objects.get()
    assert (request.assigned_to, request.priority) == (community, True)

    # The community team member who covers Thôn Tân Trại, on his own phone.
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    from conftest import Visitor

    member = Visitor(context, live_server.url)
    try:
        sign_in(member, live_server, community)
        member.go("/can-bo/")
        member.page.get_by_role("link", name="Yêu cầu hỗ trợ").click()
        assert "Ưu tiên" in member.page.inner_text("table")
        assert fits(member)
        member.screenshot("outreach/ho-tro-hang-doi-phone")
        assert_accessible(member, "help queue (team member, phone)")
        member.page.get_by_role("link", name="Lê Thị Bông").click()
        member.page.get_by_role("button", name="Nhận hỗ trợ").click()
        assert "Người dân sẽ nhận tin nhắn" in member.page.get_by_role("status").inner_text()
        member.page.get_by_label("Đến nhà").check()
        member.page.get_by_label("Ghi chú việc đã làm").fill("Đến nhà, hướng dẫn nộp trực tuyến")
        member.page.get_by_role("button", name="Ghi lại").click()
        assert fits(member)
        member.screenshot("outreach/ho-tro-yeu-cau-phone")
        assert_accessible(member, "help request (team member, phone)")
        assert member.errors == []
    finally:
        context.close()

    request.refresh_from_db()
    assert request.state == HelpState.PICKED

    # The worker delivers the outbox: the text reaches her phone through eSMS.
    message = Message.objects.get(kind="help")
    assert deliver_message(message_id=message.pk) == "sent"
    [sent] = esms.sent()
    assert sent["Phone"] == "0912000111"
    assert sent["Content"] == (
        "Cán bộ Võ Văn Tâm đã nhận yêu cầu hỗ trợ của bạn và sẽ liên hệ sớm. Cần gấp, gọi 0233 3 000 000."
    )

    client = Client()
    assert page_weight(client, f"/ho-tro/?thu-tuc={BIRTH}")["total"] <= BUDGET
    assert page_weight(client, "/ho-tro/da-gui/?uu-tien=1")["total"] <= BUDGET


def test_the_desk_says_who_covers_which_village(desktop, live_server, agency, desk, community):
    Village.objects.create(agency=agency, name="Thôn Tân Trại")
    Village.objects.create(agency=agency, name="Xóm Bến Hải")
    sign_in(desktop, live_server, desk)

    desktop.go("/can-bo/ho-tro/")
    desktop.page.get_by_role("link", name="Tổ công nghệ số cộng đồng").click()
    assert "Thôn chưa có người phụ trách" in desktop.page.inner_text("main")
    assert_accessible(desktop, "community team page")
    desktop.page.get_by_role("link", name="Võ Văn Tâm").click()
    desktop.page.get_by_label("Thôn Tân Trại").check()
    desktop.page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu các thôn Võ Văn Tâm phụ trách." in desktop.page.inner_text("main")
    desktop.screenshot("outreach/to-cong-nghe-thanh-vien")
    assert_accessible(desktop, "team member page")
    assert list(Cover.objects.values_list("village__name", "member")) == [("Thôn Tân Trại", community.pk)]
    assert desktop.errors == []
