"""/thong-bao/ for the person signed in, /can-bo/tin-nhan/ for the officers of one agency only."""

import datetime as dt
import re

import pytest

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications import services
from motcua.notifications.models import Message

from .conftest import dossier_in

pytestmark = pytest.mark.django_db
CODE_TEXT = "Mã xác thực Dịch vụ công: 482913."


@pytest.fixture
def told(catalogue, agency, people, monday, django_capture_on_commit_callbacks):
    """The citizen's dossier received, then a supplement requested: two events, four messages."""
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "forward", by=people["desk"])
        perform(
            dossier,
            "request_supplement",
            by=people["specialist"],
            note="Giấy chứng sinh là bản chụp",
            data={"items": ["Giấy chứng sinh bản chính"]},
        )
    return dossier


def _assert_no_inline_style_or_script(html: str) -> None:
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html


def test_my_messages_are_listed_newest_first(client, told, citizen):
    client.force_login(citizen)

    response = client.get("/thong-bao/")

    html = response.content.decode()
    assert response.status_code == 200
    supplement = html.index("cần bổ sung giấy tờ: Giấy chứng sinh bản chính")
    forwarded = html.index("đã được chuyển đến chuyên viên giải quyết")
    assert supplement < forwarded
    assert f'href="/ho-so/{told.code}/"' in html
    assert "Mỗi thay đổi của hồ sơ được báo ở đây và qua: SMS." in html
    _assert_no_inline_style_or_script(html)


def test_someone_else_sees_none_of_my_messages(client, told, other_citizen):
    client.force_login(other_citizen)

    html = client.get("/thong-bao/").content.decode()

    assert told.code not in html
    assert "Chưa có thông báo nào." in html


def test_the_messages_page_asks_to_sign_in(client):
    response = client.get("/thong-bao/")

    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=/thong-bao/")


def test_a_citizen_chooses_where_messages_go(client, citizen, settings):
    settings.NOTIFICATIONS = {"CHANNELS": {"sms": ["console"], "zalo": ["console"], "email": ["email"]}}
    client.force_login(citizen)

    form = client.get("/thong-bao/cach-nhan/").content.decode()
    response = client.post("/thong-bao/cach-nhan/", {"first": "zalo"})

    assert "Zalo của số 0912 345 678 (không gửi được thì nhắn SMS)" in form
    assert '<input type="radio" name="first" value="sms" id="id_first_0" required checked>' in form
    assert response.status_code == 302
    assert services.channels_for(citizen) == ["inapp", "zalo", "sms"]
    _assert_no_inline_style_or_script(form)


def test_an_email_choice_is_offered_only_to_someone_with_an_email(client, citizen):
    client.force_login(citizen)

    response = client.post("/thong-bao/cach-nhan/", {"first": "email"})

    assert response.status_code == 200
    assert services.channels_for(citizen) == ["inapp", "sms"]


def test_the_outbox_lists_the_agencys_messages_with_their_delivery(client, told, desk):
    client.force_login(desk)

    response = client.get("/can-bo/tin-nhan/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<span class="status">Chờ gửi</span>') == 1  # the supplement request's SMS
    assert "Hồ sơ 000.20.44.H54-261123-0001 cần bổ sung: Giấy chứng sinh bản chính." in html
    assert "+84912345678" in html
    assert "SMS tháng 11/2026: đã dùng 2/2000 phần tin." in html
    _assert_no_inline_style_or_script(html)


def test_the_outbox_shows_failed_messages_on_their_own(client, told, desk):
    Message.objects.filter(channel="sms").update(
        status="failed", last_error="eSMS 103: tài khoản không đủ tiền"
    )
    client.force_login(desk)

    failed = client.get("/can-bo/tin-nhan/?loi=1").content.decode()

    assert failed.count('Gửi lại<span class="vh"> — +84912345678</span></button>') == 1
    assert "eSMS 103: tài khoản không đủ tiền" in failed


def test_officers_of_another_agency_see_nothing(client, told, other_desk):
    client.force_login(other_desk)

    html = client.get("/can-bo/tin-nhan/").content.decode()

    assert told.code not in html
    assert "Chưa có tin nhắn nào." in html


def test_another_agencys_message_cannot_be_sent_again(client, told, other_desk):
    message = Message.objects.get(channel="sms")
    Message.objects.filter(pk=message.pk).update(status="failed")
    client.force_login(other_desk)

    response = client.post(f"/can-bo/tin-nhan/{message.pk}/gui-lai/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == "failed"


def test_a_community_team_member_does_not_find_the_outbox_and_its_phone_numbers(client, told, community):
    client.force_login(community)

    response = client.get("/can-bo/tin-nhan/")

    assert response.status_code == 404
    assert "+84912345678" not in response.content.decode()


def test_a_community_team_member_cannot_send_a_message_again(client, told, community):
    message = Message.objects.get(channel="sms")
    Message.objects.filter(pk=message.pk).update(status="failed")
    client.force_login(community)

    response = client.post(f"/can-bo/tin-nhan/{message.pk}/gui-lai/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == "failed"


def test_citizens_do_not_find_the_outbox(client, citizen):
    client.force_login(citizen)

    assert client.get("/can-bo/tin-nhan/").status_code == 404


def test_sign_in_codes_are_readable_on_the_outbox_only_on_a_development_machine(
    client, desk, settings, monday
):
    services.send_sms("0912345678", CODE_TEXT)
    client.force_login(desk)

    settings.DEBUG, settings.DEMO = False, False
    production = client.get("/can-bo/tin-nhan/").content.decode()
    settings.DEMO = True
    development = client.get("/can-bo/tin-nhan/").content.decode()

    assert CODE_TEXT not in production
    assert "482913" not in production
    assert CODE_TEXT in development
    assert "Máy thử nghiệm" in development


def test_the_outbox_reads_a_page_in_a_fixed_number_of_queries(
    client,
    catalogue,
    agency,
    people,
    monday,
    desk,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    for _ in range(5):
        dossier = dossier_in(Status.NEW, people=people, agency=agency)
        with django_capture_on_commit_callbacks(execute=True):
            perform(dossier, "receive", by=people["desk"])
    client.force_login(desk)

    with django_assert_max_num_queries(12):
        response = client.get("/can-bo/tin-nhan/")

    assert response.content.decode().count('<span class="status">') == 5


def test_the_outbox_shows_each_sms_budget_and_warns_when_one_runs_fast(client, agency, desk, monday):
    from motcua.notifications.models import SmsBudget

    month = dt.date(2026, 11, 1)
    SmsBudget.objects.create(agency=agency, month=month, limit=2000, used=300)  # on pace: 23 days of 30
    SmsBudget.objects.create(agency=None, month=month, limit=2000, used=120)
    SmsBudget.objects.create(agency=None, slice="new_numbers", month=month, limit=500, used=480)
    client.force_login(desk)

    html = client.get("/can-bo/tin-nhan/").content.decode()

    assert "SMS tháng 11/2026: đã dùng 300/2000 phần tin." in html
    assert "Mã xác thực (mọi cơ quan): đã dùng 120/2000 phần tin." in html
    assert "trong đó mã gửi số chưa có tài khoản: đã dùng 480/500 phần tin." in html
    assert html.count('role="alert"') == 1
    assert (
        "Hạn mức mã gửi số chưa có tài khoản đang dùng nhanh: đã dùng 96% khi tháng mới qua 75%. "
        "Có thể có người đang xin mã hàng loạt."
    ) in html
