"""Help on request: the public form (its errors, its limits), the queue (priority first, lateness after one
working day), picking up (the person is texted), recording, closing, and who sees which request."""

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from bench.weight import page_weight
from conftest import _person
from motcua.agencies.services import set_officer
from motcua.dossiers.tests.factories import BIRTH
from motcua.notifications.models import Message, SmsBudget
from motcua.notifications.texts import SMS_MAX_PARTS, sms_parts
from motcua.outreach import help as helping
from motcua.outreach import team
from motcua.outreach.models import Cover, Entry, HelpRequest, HelpState, Outcome, Step, Uptake, Village

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BUDGET = 14 * 1024


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HANOI)


@pytest.fixture
def village(agency):
    return Village.objects.create(agency=agency, name="Thôn Tân Trại")


@pytest.fixture
def other_member(agency):
    return _person("congdong2", "Hồ Thị Thu", agency=agency, roles=["community"])


def form(**changes) -> dict:
    data = {
        "ho_ten": "Lê Thị Bông",
        "dien_thoai": "0912 000 111",
        "so_cua": "cua-toi",
        "chu_so": "",
        "thon": "khac",
        "noi_dung": "Làm giấy khai sinh cho cháu",
        "thu_tuc": "",
    }
    return {**data, **changes}


def without_tokens(response) -> str:
    """The page without its CSRF token (a new mask on every answer)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def ask(agency, name="Lê Thị Bông", phone="+84912000111", **kwargs) -> HelpRequest:
    return helping.ask(agency, name=name, phone=phone, **kwargs)


# --- the public form ----------------------------------------------------------------------------------------


def test_the_form_lists_the_communes_villages_and_the_procedure_asked_about(
    client, catalogue, agency, village
):
    page = client.get(f"/ho-tro/?thu-tuc={BIRTH}").content.decode()

    assert "<h1>Nhờ cán bộ hỗ trợ</h1>" in page
    assert f'<option value="{village.pk}">Thôn Tân Trại</option>' in page
    assert '<option value="khac">Thôn khác, hoặc không rõ</option>' in page
    assert "Bạn cần giúp về thủ tục: <strong>Đăng ký khai sinh</strong>" in page
    assert f'value="{BIRTH}"' in page


def test_a_request_is_stored_nfc_and_goes_to_the_member_who_covers_the_village(
    client, catalogue, agency, village, community
):
    Cover.objects.create(village=village, member=community)
    decomposed = unicodedata.normalize("NFD", "Lê  Thị Bông")

    response = client.post(
        f"/ho-tro/?thu-tuc={BIRTH}",
        form(ho_ten=decomposed, thon=str(village.pk), thu_tuc=BIRTH, noi_dung="", uu_tien="on"),
    )

    assert response.status_code == 302 and response["Location"] == "/ho-tro/da-gui/?uu-tien=1"
    request = HelpRequest.objects.get()
    assert (request.name, request.phone, request.village, request.procedure_code, request.priority) == (
        "Lê Thị Bông",
        "+84912000111",
        village,
        BIRTH,
        True,
    )
    assert request.assigned_to == community and request.state == HelpState.NEW
    assert list(request.entries.values_list("kind", flat=True)) == ["sent", "assigned"]
    page = client.get(response["Location"]).content.decode()
    assert "Yêu cầu của bạn được xếp lên đầu danh sách" in page and "0233 3 000 000" in page


def test_a_request_from_a_village_nobody_covers_waits_for_the_desk(client, agency, village):
    client.post("/ho-tro/", form(thon=str(village.pk)))

    assert HelpRequest.objects.get().assigned_to is None


def test_a_neighbours_number_says_whose_it_is(client, agency):
    page = client.post("/ho-tro/", form(so_cua="nguoi-khac")).content.decode()
    assert "Cho biết số này của ai, để cán bộ gọi đúng người." in page
    assert not HelpRequest.objects.exists()

    client.post("/ho-tro/", form(so_cua="nguoi-khac", chu_so="bà Lan, hàng xóm"))
    assert HelpRequest.objects.get().phone_owner == "bà Lan, hàng xóm"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"ho_ten": "   "}, "Bạn nhập họ và tên."),
        ({"ho_ten": "A" * 101}, "Họ và tên dài quá 100 chữ."),
        ({"dien_thoai": ""}, "Bạn nhập số điện thoại."),
        ({"dien_thoai": "12345"}, "Số điện thoại không đúng. Ví dụ: 0905 123 456."),
        ({"thon": ""}, "Bạn chọn thôn, xóm (hoặc “Thôn khác”)."),
        ({"thon": "999999"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"noi_dung": ""}, "Cho biết bạn cần giúp việc gì."),
        ({"noi_dung": "x" * 1001}, "Bạn viết ngắn lại, tối đa 1000 chữ."),
    ],
)
def test_bad_input_is_refused_in_plain_vietnamese(client, agency, changes, error):
    response = client.post("/ho-tro/", form(**changes))

    assert response.status_code == 200
    page = response.content.decode()
    assert error.split(".")[0] in page, page[page.find("error-summary") :][:600]
    assert "Cần sửa lại" in page and not HelpRequest.objects.exists()


def test_an_unknown_procedure_code_is_ignored(client, catalogue, agency):
    client.post("/ho-tro/?thu-tuc=9.999999", form(thu_tuc="9.999999"))

    assert HelpRequest.objects.get().procedure_code == ""


def test_the_form_needs_the_csrf_token(agency):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/ho-tro/", form())

    assert response.status_code == 403 and not HelpRequest.objects.exists()


def test_more_than_three_requests_for_one_phone_in_an_hour_get_429(client, agency):
    for n in range(helping.PER_PHONE):
        assert client.post("/ho-tro/", form(ho_ten=f"Người {n}")).status_code == 302

    response = client.post("/ho-tro/", form())

    assert response.status_code == 429 and int(response["Retry-After"]) > 3000
    assert "Bạn đã gửi nhiều yêu cầu trong một giờ." in response.content.decode()
    assert HelpRequest.objects.count() == helping.PER_PHONE


def test_an_hour_later_the_phone_may_ask_again(client, agency):
    with time_machine.travel(at(2026, 12, 7, 9), tick=False) as traveller:
        for _ in range(helping.PER_PHONE + 1):
            client.post("/ho-tro/", form())
        traveller.shift(dt.timedelta(minutes=61))
        assert client.post("/ho-tro/", form()).status_code == 302


def test_a_script_changing_phones_is_stopped_by_its_address_a_forged_forwarded_for_does_not_help(
    client, agency, settings
):
    settings.TRUSTED_PROXIES = 1  # one proxy in front: it appends the real address last
    answers = []
    for n in range(helping.PER_ADDRESS + 1):
        answers.append(
            client.post(
                "/ho-tro/",
                form(dien_thoai=f"0912 000 {200 + n}"),
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
            ).status_code
        )

    assert answers == [302] * helping.PER_ADDRESS + [429]


def test_a_tagged_request_is_counted_for_its_campaign(client, agency):
    from motcua.outreach.models import Campaign

    today = timezone.localdate()
    Campaign.objects.create(
        agency=agency, name="Tháng khai sinh", slug="thang-khai-sinh", starts_on=today, ends_on=today
    )
    client.post("/ho-tro/?cd=thang-khai-sinh&kenh=loa", form())

    assert list(Uptake.objects.values_list("campaign", "channel", "step", "count")) == [
        ("thang-khai-sinh", "loa", Step.HELP, 1)
    ]


def test_the_citizen_pages_fit_the_budget_in_both_languages(client, catalogue, agency, village, settings):
    assert page_weight(client, f"/ho-tro/?thu-tuc={BIRTH}")["total"] <= BUDGET
    assert page_weight(client, "/ho-tro/da-gui/")["total"] <= BUDGET
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_weight(client, f"/ho-tro/?thu-tuc={BIRTH}")["total"] <= BUDGET
    page = client.get("/ho-tro/").content.decode()
    assert "<h1>Ask an officer for help</h1>" in page and "I belong to a poor household" in page


# --- the queue ----------------------------------------------------------------------------------------------


def test_priority_requests_come_first_then_the_oldest(agency, desk):
    with time_machine.travel(at(2026, 12, 7, 8), tick=False) as traveller:
        first = ask(agency, name="Một")
        traveller.shift(dt.timedelta(minutes=10))
        second = ask(agency, name="Hai")
        traveller.shift(dt.timedelta(minutes=10))
        old_priority = ask(agency, name="Ba", priority=True)
        traveller.shift(dt.timedelta(minutes=10))
        new_priority = ask(agency, name="Bốn", priority=True)

        assert list(helping.queue(desk)) == [old_priority, new_priority, first, second]


@pytest.mark.parametrize(
    ("sent", "still_on_time", "late"),
    [
        # Monday morning: picked up by Tuesday 17:00.
        (at(2026, 12, 7, 9), at(2026, 12, 8, 17, 0), at(2026, 12, 8, 17, 1)),
        # Friday: the weekend is not a working day, so by Monday 17:00.
        (at(2026, 12, 11, 16), at(2026, 12, 14, 17, 0), at(2026, 12, 14, 17, 1)),
        # Saturday counts as sent on Monday: by Tuesday 17:00.
        (at(2026, 12, 12, 10), at(2026, 12, 15, 17, 0), at(2026, 12, 15, 17, 1)),
    ],
)
def test_a_request_not_picked_up_within_one_working_day_is_late(agency, desk, sent, still_on_time, late):
    with time_machine.travel(sent, tick=False):
        request = ask(agency)
    with time_machine.travel(still_on_time, tick=False):
        assert not helping.is_late(request)
        assert [r.late for r in helping.queue(desk)] == [False]
        assert list(helping.queue(desk, late_only=True)) == []
    with time_machine.travel(late, tick=False):
        assert helping.is_late(request)
        assert [r.late for r in helping.queue(desk)] == [True]
        assert list(helping.queue(desk, late_only=True)) == [request]


def test_a_holiday_is_not_a_working_day_for_the_deadline(agency):
    # Thursday 31/12/2026, then New Year's Day off: due on Monday 4/1/2027 at 17:00.
    assert helping.pick_up_deadline(at(2026, 12, 31, 10)) == at(2027, 1, 4, 17)


def test_a_picked_up_request_is_never_late(agency, desk):
    with time_machine.travel(at(2026, 12, 7, 9), tick=False):
        request = ask(agency)
    with time_machine.travel(at(2026, 12, 10, 9), tick=False):
        assert helping.is_late(request)
        request, _problem = helping.pick_up(request, by=desk)
        assert not helping.is_late(request) and [r.late for r in helping.queue(desk)] == [False]


def test_the_queue_page_shows_late_and_priority(client, agency, desk):
    with time_machine.travel(at(2026, 12, 7, 9), tick=False):
        ask(agency, name="Trần Văn Lâu")
        ask(agency, name="Phan Thị Gấp", priority=True)
    with time_machine.travel(at(2026, 12, 9, 9), tick=False):
        client.force_login(desk)
        page = client.get("/can-bo/ho-tro/").content.decode()
    assert page.index("Phan Thị Gấp") < page.index("Trần Văn Lâu")
    assert page.count('class="tag-late"') == 2 and "Ưu tiên" in page


# --- picking up, recording, closing -------------------------------------------------------------------------


def test_picking_up_texts_the_person_within_two_parts(
    client, agency, desk, django_capture_on_commit_callbacks
):
    request = ask(agency)
    client.force_login(desk)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/can-bo/ho-tro/{request.pk}/nhan/")

    assert response.status_code == 302
    message = Message.objects.get(kind=helping.SMS_KIND)
    assert message.address == "+84912000111" and message.agency == agency
    assert message.text == (
        "Cán bộ Trần Thị Mai đã nhận yêu cầu hỗ trợ của bạn và sẽ liên hệ sớm. Cần gấp, gọi 0233 3 000 000."
    )
    request.refresh_from_db()
    assert (request.state, request.assigned_to) == (HelpState.PICKED, desk)
    assert client.post(f"/can-bo/ho-tro/{request.pk}/nhan/").status_code == 302  # twice: refused, no text
    assert Message.objects.filter(kind=helping.SMS_KIND).count() == 1


# The longest an agency's phone (30) and an officer's name (150) may be.
LONGEST_PHONE = "0233 3 000 000, 0233 3 000 001"
LONGEST_NAME = ("Nguyễn Thị Phương Hoàng Thanh Hường " * 5)[:150]


@pytest.mark.parametrize("phone", [LONGEST_PHONE, ""])
def test_the_pick_up_text_fits_two_parts_with_the_longest_name(phone):
    from motcua.accounts.models import User
    from motcua.agencies.models import Agency

    assert Agency._meta.get_field("phone").max_length == len(LONGEST_PHONE)
    assert User._meta.get_field("full_name").max_length == len(LONGEST_NAME)

    text = helping.pickup_text(LONGEST_NAME, phone)

    assert sms_parts(text) <= SMS_MAX_PARTS and len(text) <= 134
    assert text.startswith("Cán bộ Nguyễn Thị Phương") and "…" in text
    assert "đã nhận yêu cầu hỗ trợ của bạn" in text and phone in text


def test_an_exhausted_budget_still_picks_up_and_says_so(agency, desk):
    request = ask(agency)
    month = dt.date.today().replace(day=1)
    SmsBudget.objects.create(agency=agency, month=month, slice=SmsBudget.Slice.WHOLE, limit=1, used=1)

    request, problem = helping.pick_up(request, by=desk)

    assert request.state == HelpState.PICKED and "hạn mức tin nhắn" in problem
    assert not Message.objects.filter(kind=helping.SMS_KIND).exists()
    assert request.entries.filter(kind=Entry.Kind.NOTE, note__startswith="Chưa nhắn tin được").exists()


def test_a_filing_on_behalf_records_a_dossier_the_officer_sees(agency, desk, citizen, filed):
    dossier = filed(citizen, agency)
    request = ask(agency)
    with pytest.raises(helping.HelpRefused, match="Nhận yêu cầu trước"):
        helping.record(request, by=desk, kind=Entry.Kind.CALL)
    helping.pick_up(request, by=desk)

    with pytest.raises(helping.HelpRefused, match="Không tìm thấy hồ sơ"):
        helping.record(request, by=desk, kind=Entry.Kind.FILED, dossier_code="000.20.44.H54-000000-9999")
    with pytest.raises(helping.HelpRefused, match="Ghi mã hồ sơ đã nộp giúp trước"):
        helping.close(request, by=desk, outcome=Outcome.FILED)
    helping.record(request, by=desk, kind=Entry.Kind.FILED, dossier_code=dossier.code.lower())
    request = helping.close(request, by=desk, outcome=Outcome.FILED, note="Đã nộp tại quầy")

    assert (request.state, request.outcome) == (HelpState.CLOSED, Outcome.FILED)
    assert list(request.entries.values_list("kind", "dossier_code")) == [
        ("sent", ""),
        ("picked", ""),
        ("filed", dossier.code),
        ("closed", ""),
    ]


def test_the_desk_assigns_a_request_to_a_member_only(client, agency, desk, community, specialist):
    request = ask(agency)
    client.force_login(desk)

    refused = client.post(f"/can-bo/ho-tro/{request.pk}/giao/", {"thanh_vien": specialist.pk})
    assert refused.status_code == 422
    assert client.post(f"/can-bo/ho-tro/{request.pk}/giao/", {"thanh_vien": community.pk}).status_code == 302
    request.refresh_from_db()
    assert request.assigned_to == community


def test_a_member_may_not_assign(client, agency, community):
    request = ask(agency)
    client.force_login(community)

    assert client.post(f"/can-bo/ho-tro/{request.pk}/giao/", {"thanh_vien": community.pk}).status_code == 404


# --- who sees what ------------------------------------------------------------------------------------------


def test_a_member_cannot_open_another_members_request_the_same_answer_as_none(
    client, agency, community, other_member
):
    theirs = ask(agency)
    helping.assign(theirs, member=other_member, by=None)
    mine = ask(agency, name="Của tôi")
    helping.assign(mine, member=community, by=None)
    client.force_login(community)

    assert client.get(f"/can-bo/ho-tro/{mine.pk}/").status_code == 200
    other = client.get(f"/can-bo/ho-tro/{theirs.pk}/")
    missing = client.get("/can-bo/ho-tro/999999/")
    assert other.status_code == missing.status_code == 404
    # The same page, but for the address it was asked at (the language switcher comes back to it).
    assert without_tokens(other).replace(f"/{theirs.pk}/", "/999999/") == without_tokens(missing)
    for step in ("nhan", "ghi", "dong"):
        assert client.post(f"/can-bo/ho-tro/{theirs.pk}/{step}/", {"viec": "call"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == HelpState.NEW
    assert [r.pk for r in helping.queue(community)] == [mine.pk]


def test_a_member_sees_only_their_own_page(client, agency, community, other_member, desk):
    client.force_login(community)
    assert client.get(f"/can-bo/to-cong-nghe/{community.pk}/").status_code == 200
    assert client.get(f"/can-bo/to-cong-nghe/{other_member.pk}/").status_code == 404
    page = client.get("/can-bo/to-cong-nghe/").content.decode()
    assert "Võ Văn Tâm" in page and "Hồ Thị Thu" not in page

    client.force_login(desk)
    page = client.get("/can-bo/to-cong-nghe/").content.decode()
    assert "Võ Văn Tâm" in page and "Hồ Thị Thu" in page


def test_another_communes_desk_sees_none_of_ours(client, agency, other_desk):
    request = ask(agency)
    client.force_login(other_desk)

    assert client.get(f"/can-bo/ho-tro/{request.pk}/").status_code == 404
    assert "Lê Thị Bông" not in client.get("/can-bo/ho-tro/").content.decode()


def test_the_desk_says_which_villages_a_member_covers(client, agency, desk, community, other_member, village):
    second = Village.objects.create(agency=agency, name="Thôn Hòa Bình")
    Cover.objects.create(village=second, member=other_member)
    client.force_login(desk)

    response = client.post(f"/can-bo/to-cong-nghe/{community.pk}/thon/", {"thon": [village.pk, second.pk]})

    assert response.status_code == 302
    assert set(team.covered_villages(community)) == {village, second}
    assert list(team.covered_villages(other_member)) == []


def test_a_member_may_not_change_villages(client, agency, community, village):
    client.force_login(community)

    assert (
        client.post(f"/can-bo/to-cong-nghe/{community.pk}/thon/", {"thon": [village.pk]}).status_code == 404
    )
    assert not Cover.objects.exists()


def test_a_member_who_left_the_team_no_longer_receives_requests(agency, community, village):
    Cover.objects.create(village=village, member=community)
    set_officer(community, agency=agency, roles=["onestop"])

    assert ask(agency, village=village).assigned_to is None


def test_the_members_page_shows_their_visits_and_filings(client, agency, community, other_member, catalogue):
    from motcua.catalog.services import get_procedure
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.tests.factories import BIRTH_FORM

    request = ask(agency)
    helping.assign(request, member=community, by=None)
    helping.pick_up(request, by=community)
    helping.record(request, by=community, kind=Entry.Kind.VISIT, note="Đến nhà lúc 9 giờ")
    dossier = dossiers.file_on_behalf(
        procedure=get_procedure(BIRTH),
        agency=agency,
        by=community,
        applicant_name="Lê Thị Bông",
        applicant_phone="0912000111",
        form=BIRTH_FORM,
        consent=True,
    )
    helping.record(request, by=community, kind=Entry.Kind.FILED, dossier_code=dossier.code)
    client.force_login(community)

    page = client.get(f"/can-bo/to-cong-nghe/{community.pk}/").content.decode()

    assert "Lê Thị Bông" in page and "Đến nhà lúc 9 giờ" in page and dossier.code in page
    # Another member's own page shows none of it.
    client.force_login(other_member)
    assert client.get(f"/can-bo/to-cong-nghe/{other_member.pk}/").content.decode().count(dossier.code) == 0


# --- the way to ask, from every failure page and every guide -----------------------------------------


HELP_LINK = '<a href="/ho-tro/">Nhờ cán bộ hỗ trợ</a>'


def test_every_guide_offers_help_with_its_procedure(client, catalogue, agency):
    page = client.get(f"/thu-tuc/{BIRTH}/").content.decode()

    assert f'<a href="/ho-tro/?thu-tuc={BIRTH}">Nhờ cán bộ hỗ trợ</a>' in page
    assert page_weight(client, f"/thu-tuc/{BIRTH}/")["total"] <= BUDGET


def test_the_not_found_page_offers_help(client, agency):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404 and HELP_LINK in response.content.decode()


def test_the_server_error_page_offers_help():
    from django.template.loader import render_to_string

    assert HELP_LINK in render_to_string("500.html")


def test_an_expired_form_offers_help(agency):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode() and HELP_LINK in response.content.decode()


def test_a_refused_sign_in_offers_help(client, citizen):
    for _ in range(11):
        response = client.post("/dang-nhap/", {"username": "0912345678", "password": "sai-mat-khau"})

    assert response.status_code == 429 and HELP_LINK in response.content.decode()


def test_a_failed_payment_return_offers_help(client, agency):
    response = client.get("/thanh-toan/ket-qua/")

    assert response.status_code == 400 and HELP_LINK in response.content.decode()


def test_a_refused_lookup_offers_help(client, catalogue, agency):
    page = client.get("/tra-cuu/?ma=000.20.44.H54-261201-0001&so=1234").content.decode()

    assert "Không tìm thấy hồ sơ" in page and HELP_LINK in page
