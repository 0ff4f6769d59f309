"""Confirming next year's calendar: the yearly command, and the back office's December reminder."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from bench.weight import page_weight
from conftest import assert_accessible
from motcua.workdays.models import DayOverride
from motcua.workdays.services import confirm_year, is_working_day, year_calendar, year_to_confirm

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_OF_DECEMBER = datetime(2026, 12, 1, 8, 0, tzinfo=VN)
LAST_OF_NOVEMBER = datetime(2026, 11, 30, 16, 0, tzinfo=VN)
NOTICE = "Lịch làm việc năm 2027 chưa được xác nhận."


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays_next_year", *args, stdout=out)
    return out.getvalue()


# --- year_calendar, confirm_year, year_to_confirm -------------------------------------------------------


def test_2027_lists_the_eleven_days_of_the_rule_all_unconfirmed():
    days = year_calendar(2027)

    assert [d.date for d in days][:3] == [date(2027, 1, 1), date(2027, 2, 4), date(2027, 2, 5)]
    assert len(days) == 11
    assert not any(d.confirmed or d.announced or d.working for d in days)
    assert days[0].source == (
        "Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019 của Quốc hội, Điều 112 khoản 1 điểm a"
    )


def test_2026_lists_the_swapped_saturdays_as_working_days():
    working = [(d.date, d.partner) for d in year_calendar(2026) if d.working]

    assert working == [
        (date(2026, 1, 10), date(2026, 1, 2)),
        (date(2026, 8, 22), date(2026, 8, 31)),
        (date(2026, 11, 24), None),
    ]


def test_confirming_2027_writes_a_confirmed_row_for_each_day_of_the_rule():
    assert confirm_year(2027) == (11, 0)

    row = DayOverride.objects.get(date=date(2027, 5, 3))
    assert row.kind == DayOverride.Kind.OFF and row.confirmed
    assert row.source_article == "Điều 112 khoản 1 điểm d; Điều 111 khoản 3"
    assert row.name == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert row.name_en == "International Labor Day (observed)"
    assert all(d.confirmed for d in year_calendar(2027))


def test_confirming_marks_an_announced_row_confirmed_and_keeps_it():
    DayOverride.objects.create(
        date=date(2027, 2, 3), kind="off", name="Nghỉ thêm trước Tết", source_number="1/VPCP-KGVX"
    )

    assert confirm_year(2027) == (11, 1)
    assert DayOverride.objects.get(date=date(2027, 2, 3)).source_number == "1/VPCP-KGVX"


def test_next_year_awaits_confirming_from_1_december():
    assert year_to_confirm(date(2026, 12, 1)) == 2027
    assert year_to_confirm(date(2026, 12, 31)) == 2027


def test_nothing_awaits_confirming_before_december():
    assert year_to_confirm(date(2026, 11, 30)) is None


def test_nothing_awaits_confirming_once_next_year_is_confirmed():
    confirm_year(2027)

    assert year_to_confirm(date(2026, 12, 1)) is None


def test_one_unconfirmed_row_leaves_the_year_awaiting():
    confirm_year(2027)
    DayOverride.objects.create(date=date(2027, 2, 3), kind="off", name="Nghỉ thêm trước Tết")

    assert year_to_confirm(date(2026, 12, 1)) == 2027


# --- the command ----------------------------------------------------------------------------------------


def test_the_command_lists_next_year_by_default():
    with time_machine.travel(FIRST_OF_DECEMBER, tick=False):
        output = run()

    lines = output.splitlines()
    assert lines[0] == "Lịch làm việc năm 2027: 11 ngày khác tuần thường lệ."
    assert lines[1] == "01/01/2027  thứ Sáu   Nghỉ      Tết Dương lịch [theo quy tắc]"
    assert lines[2] == (
        "            Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019 của Quốc hội, Điều 112 khoản 1 điểm a"
        " — CHƯA XÁC NHẬN"
    )
    assert "03/05/2027  thứ Hai   Nghỉ      Ngày Quốc tế Lao động (nghỉ bù) [theo quy tắc]" in lines
    assert lines[-1].endswith("rồi chạy lại với --confirm.")
    assert not DayOverride.objects.filter(date__year=2027).exists()


def test_the_command_shows_a_swap_with_its_dispatch():
    output = run("--year", "2026")

    assert (
        "02/01/2026  thứ Sáu   Nghỉ      Hoán đổi dịp Tết Dương lịch: nghỉ thứ Sáu 02/01, làm bù thứ Bảy "
        "10/01/2026 (đổi với 10/01/2026)\n"
        "            Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ — đã xác nhận"
    ) in output
    assert "10/01/2026  thứ Bảy   Làm việc  Hoán đổi dịp Tết Dương lịch" in output
    assert "24/11/2026  thứ Ba    Làm việc  Ngày Văn hóa Việt Nam" in output


def test_the_command_confirms_the_year():
    output = run("--year", "2027", "--confirm")

    assert output.splitlines()[-1] == (
        "Đã xác nhận lịch năm 2027: thêm 11 ngày theo Bộ luật Lao động, đánh dấu 0 ngày đã có là đã xác nhận."
    )
    assert DayOverride.objects.filter(date__year=2027, confirmed=True).count() == 11
    assert "CHƯA XÁC NHẬN" not in run("--year", "2027")


# --- the December reminder in the back office -----------------------------------------------------------


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_the_administrator_is_reminded_in_december_with_a_way_to_the_calendar(client, administrator):
    client.force_login(administrator)

    page = client.get("/can-bo/").content.decode()

    assert NOTICE in page
    assert 'href="/quan-tri/workdays/dayoverride/?date__year=2027"' in page


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_the_leader_is_reminded_without_the_admin_link(client, leader):
    client.force_login(leader)

    page = client.get("/can-bo/").content.decode()

    assert NOTICE in page
    assert "/quan-tri/" not in page


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_the_reminder_in_english(client, leader, settings):
    client.force_login(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get("/can-bo/").content.decode()

    assert "The working calendar of 2027 is not confirmed yet." in page and NOTICE not in page


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_the_desk_officer_is_not_reminded(client, desk):
    client.force_login(desk)

    assert NOTICE not in client.get("/can-bo/").content.decode()


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_a_citizen_never_sees_the_reminder(client, citizen, agency):
    client.force_login(citizen)

    assert client.get("/can-bo/").status_code == 404
    for url in ("/", "/ho-so/"):
        assert NOTICE not in client.get(url).content.decode()


@time_machine.travel(LAST_OF_NOVEMBER, tick=False)
def test_nobody_is_reminded_before_december(client, administrator):
    client.force_login(administrator)

    assert "chưa được xác nhận" not in client.get("/can-bo/").content.decode()


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_nobody_is_reminded_once_next_year_is_confirmed(client, administrator):
    confirm_year(2027)
    client.force_login(administrator)

    assert NOTICE not in client.get("/can-bo/").content.decode()


@time_machine.travel(FIRST_OF_DECEMBER, tick=False)
def test_the_queue_with_the_reminder_fits_the_page_budget(client, administrator):
    client.force_login(administrator)

    weight = page_weight(client, "/can-bo/")

    assert NOTICE in client.get("/can-bo/").content.decode()
    assert weight["total"] <= 14 * 1024, weight


@pytest.mark.browser
def test_the_reminder_reads_well_and_is_accessible_at_a_desktop(desktop, administrator):
    with time_machine.travel(FIRST_OF_DECEMBER, tick=True):
        desktop.go("/dang-nhap/")
        page = desktop.page
        page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill("quantri")
        page.get_by_label("Mật khẩu").fill("demo-2026")
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        desktop.go("/can-bo/")

        assert page.get_by_text(NOTICE).is_visible()
        desktop.screenshot("calendar-reminder-desktop")
        assert_accessible(desktop, "the queue with the calendar reminder")
        assert desktop.errors == []


# --- the admin ------------------------------------------------------------------------------------------


def test_the_admin_lists_a_year_with_weekdays_and_sources(client, administrator):
    client.force_login(administrator)

    page = client.get("/quan-tri/workdays/dayoverride/", {"date__year": 2026}).content.decode()

    assert "Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ" in page
    assert "thứ Sáu" in page


def test_the_admin_confirms_the_rows_chosen(client, administrator):
    client.force_login(administrator)
    row = DayOverride.objects.get(date=date(2026, 11, 24))

    response = client.post(
        "/quan-tri/workdays/dayoverride/",
        {"action": "mark_confirmed", "_selected_action": [row.pk]},
        follow=True,
    )

    assert "Đã xác nhận 1 ngày." in response.content.decode()
    row.refresh_from_db()
    assert row.confirmed


def test_the_admin_adds_a_swap_and_it_counts_at_once(client, administrator):
    client.force_login(administrator)

    response = client.post(
        "/quan-tri/workdays/dayoverride/add/",
        {
            "date": "29/04/2027",
            "kind": "swap",
            "worked_on": "2027-04-24",  # as the date picker writes it
            "name": "Hoán đổi dịp 30/4 – 1/5",
            "source_kind": "Công văn",
            "source_number": "1234/VPCP-KGVX",
            "source_date": "01/12/2026",
            "source_issuer": "Văn phòng Chính phủ",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert DayOverride.objects.get(date=date(2027, 4, 29)).source_date == date(2026, 12, 1)  # day first
    assert is_working_day(date(2027, 4, 24)) and not is_working_day(date(2027, 4, 29))
