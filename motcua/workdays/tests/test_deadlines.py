"""The working-day calendar and the return times promised to citizens.

Reference week used below: Monday 2026-03-09 ... Sunday 2026-03-15, no holidays.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.utils import timezone

from motcua.workdays.models import DayOverride
from motcua.workdays.services import (
    add_working_days,
    clear_cache,
    describe_due,
    due_at,
    is_working_day,
    next_working_day,
    shift_for_pause,
    working_days_between,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def fresh_calendar():
    # The override cache outlives a test's rolled-back transaction, so each test starts and ends clean.
    clear_cache()
    yield
    clear_cache()


def override(day: date, kind: str) -> DayOverride:
    return DayOverride.objects.create(date=day, kind=kind, name="Theo Thông báo của Văn phòng Chính phủ")


# --- The package's calendar ---------------------------------------------------------------------------


def test_package_gives_tet_2027_off_from_4_to_10_february():
    days_off = {day for day in holidays.VN(years=2027) if day.month == 2}

    assert days_off == {date(2027, 2, d) for d in range(4, 11)}
    assert holidays.VN(years=2027).get(date(2027, 2, 6)) == "Tết Nguyên Đán"


def test_tet_2027_days_are_not_working_days():
    assert [is_working_day(date(2027, 2, d)) for d in range(3, 13)] == [
        True,  # Wed 3
        False,  # Thu 4, 29 Tết
        False,  # Fri 5, Giao thừa
        False,  # Sat 6, Tết
        False,  # Sun 7
        False,  # Mon 8
        False,  # Tue 9
        False,  # Wed 10
        True,  # Thu 11
        True,  # Fri 12
    ]


def test_weekends_are_days_off():
    assert is_working_day(date(2026, 3, 13)) is True
    assert is_working_day(date(2026, 3, 14)) is False
    assert is_working_day(date(2026, 3, 15)) is False


def test_saturday_of_an_announced_swap_is_a_working_day():
    # Sat 2026-08-22 was worked in exchange for Mon 2026-08-31 off (Thông báo 9441/TB-BNV).
    assert is_working_day(date(2026, 8, 22)) is True
    assert is_working_day(date(2026, 8, 31)) is False


def test_is_working_day_rejects_a_datetime():
    with pytest.raises(TypeError):
        is_working_day(at(2026, 3, 9))


# --- next_working_day, add_working_days ----------------------------------------------------------------


def test_next_working_day_after_friday_is_monday():
    assert next_working_day(date(2026, 3, 13)) == date(2026, 3, 16)


def test_next_working_day_after_the_eve_of_tet_2027_break_is_11_february():
    assert next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)


def test_add_working_days_skips_the_weekend():
    assert add_working_days(date(2026, 3, 12), 2) == date(2026, 3, 16)


def test_add_zero_working_days_keeps_a_working_day():
    assert add_working_days(date(2026, 3, 11), 0) == date(2026, 3, 11)


def test_add_zero_working_days_moves_a_day_off_to_the_next_working_day():
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 16)


def test_add_negative_working_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 11), -1)


# --- working_days_between ------------------------------------------------------------------------------


def test_working_days_between_counts_start_but_not_end():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 16)) == 5


def test_working_days_between_across_tet_2026_counts_only_the_friday_before():
    # Tết 2026 is Tue 17 February; the package gives Mon 16 ... Fri 20 off.
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_working_days_in_february_2026_are_15():
    assert working_days_between(date(2026, 2, 1), date(2026, 3, 1)) == 15


def test_working_days_between_is_zero_when_end_is_not_after_start():
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 9)) == 0


# --- due_at: same_day (Luật Hộ tịch Điều 5 khoản 3) ----------------------------------------------------


def test_same_day_received_at_14_59_is_due_at_17_00_that_day():
    assert due_at(at(2026, 3, 10, 14, 59), kind="same_day", value=0) == at(2026, 3, 10, 17, 0)


def test_same_day_received_at_15_00_is_due_the_next_working_day():
    assert due_at(at(2026, 3, 10, 15, 0), kind="same_day", value=0) == at(2026, 3, 11, 17, 0)


def test_same_day_received_friday_15_30_is_due_monday():
    assert due_at(at(2026, 3, 13, 15, 30), kind="same_day", value=0) == at(2026, 3, 16, 17, 0)


def test_same_day_received_on_sunday_is_due_monday():
    assert due_at(at(2026, 3, 15, 9, 0), kind="same_day", value=0) == at(2026, 3, 16, 17, 0)


def test_same_day_received_now_on_the_eve_of_tet_2027_after_15_00_is_due_after_the_break():
    with time_machine.travel(at(2027, 2, 3, 16, 0), tick=False):
        due = due_at(timezone.now(), kind="same_day", value=0)

    assert due == at(2027, 2, 11, 17, 0)


def test_same_day_uses_vietnamese_local_time_whatever_the_input_zone():
    # 08:00 UTC is 15:00 in Hà Nội, so the 15:00 rule applies.
    due = due_at(datetime(2026, 3, 10, 8, 0, tzinfo=UTC), kind="same_day", value=0)

    assert due == at(2026, 3, 11, 17, 0)
    assert due.tzinfo is VN


# --- due_at: working_days ------------------------------------------------------------------------------


def test_working_days_count_from_the_day_after_receipt():
    assert due_at(at(2026, 3, 9, 10, 0), kind="working_days", value=3) == at(2026, 3, 12, 17, 0)


def test_three_working_days_received_before_tet_2027_skip_the_whole_break():
    # Thu 4 - Wed 10 February off, so the three days are Thu 11, Fri 12 and Mon 15.
    assert due_at(at(2027, 2, 3, 10, 0), kind="working_days", value=3) == at(2027, 2, 15, 17, 0)


def test_working_days_received_on_saturday_count_as_received_monday():
    assert due_at(at(2026, 3, 14, 9, 0), kind="working_days", value=3) == at(2026, 3, 19, 17, 0)


def test_negative_processing_time_is_refused():
    with pytest.raises(ValueError):
        due_at(at(2026, 3, 9, 10, 0), kind="working_days", value=-1)


def test_unknown_processing_time_kind_is_refused():
    with pytest.raises(ValueError):
        due_at(at(2026, 3, 9, 10, 0), kind="weeks", value=1)


def test_naive_receipt_time_is_refused():
    with pytest.raises(ValueError):
        due_at(datetime(2026, 3, 9, 10, 0), kind="working_days", value=1)


# --- due_at: hours -------------------------------------------------------------------------------------


def test_hours_skip_the_lunch_break():
    # 10:30-11:30 is one hour; the second starts at 13:30.
    assert due_at(at(2026, 3, 9, 10, 30), kind="hours", value=2) == at(2026, 3, 9, 14, 30)


def test_hours_continue_overnight_at_the_next_morning_opening():
    # Monday gives 1 h + 3.5 h; the remaining 3.5 h run from Tuesday 07:30.
    assert due_at(at(2026, 3, 9, 10, 30), kind="hours", value=8) == at(2026, 3, 10, 11, 0)


def test_hours_running_out_at_noon_closing_end_at_11_30():
    assert due_at(at(2026, 3, 9, 7, 30), kind="hours", value=4) == at(2026, 3, 9, 11, 30)


def test_hours_received_during_lunch_start_at_13_30():
    assert due_at(at(2026, 3, 9, 12, 0), kind="hours", value=1) == at(2026, 3, 9, 14, 30)


def test_hours_received_in_the_evening_start_at_the_next_opening():
    assert due_at(at(2026, 3, 9, 18, 0), kind="hours", value=1) == at(2026, 3, 10, 8, 30)


def test_hours_received_friday_afternoon_continue_on_monday():
    assert due_at(at(2026, 3, 13, 16, 0), kind="hours", value=3) == at(2026, 3, 16, 9, 30)


def test_hours_received_on_the_eve_of_tet_2027_continue_after_the_break():
    assert due_at(at(2027, 2, 3, 16, 0), kind="hours", value=2) == at(2027, 2, 11, 8, 30)


# --- DayOverride ---------------------------------------------------------------------------------------


def test_off_override_on_a_tuesday_pushes_the_deadline():
    override(date(2026, 3, 10), DayOverride.Kind.OFF)

    assert is_working_day(date(2026, 3, 10)) is False
    assert due_at(at(2026, 3, 9, 10, 0), kind="working_days", value=2) == at(2026, 3, 12, 17, 0)


def test_workday_override_on_a_saturday_counts_it_as_a_working_day():
    override(date(2026, 3, 14), DayOverride.Kind.WORKDAY)

    assert is_working_day(date(2026, 3, 14)) is True
    assert due_at(at(2026, 3, 13, 10, 0), kind="working_days", value=1) == at(2026, 3, 14, 17, 0)


def test_off_override_of_one_day_wins_over_the_saturday_of_a_swap():
    override(date(2026, 8, 22), DayOverride.Kind.OFF)

    assert is_working_day(date(2026, 8, 22)) is False


def test_override_added_between_calls_is_seen_at_once():
    assert due_at(at(2026, 3, 9, 10, 0), kind="working_days", value=2) == at(2026, 3, 11, 17, 0)

    override(date(2026, 3, 10), DayOverride.Kind.OFF)

    assert due_at(at(2026, 3, 9, 10, 0), kind="working_days", value=2) == at(2026, 3, 12, 17, 0)


def test_override_deleted_between_calls_is_forgotten_at_once():
    row = override(date(2026, 3, 10), DayOverride.Kind.OFF)
    assert is_working_day(date(2026, 3, 10)) is False

    row.delete()

    assert is_working_day(date(2026, 3, 10)) is True


def test_override_written_without_signals_is_seen_from_the_next_request(client):
    assert is_working_day(date(2026, 3, 10)) is True
    # bulk_create sends no post_save, like a row written by another server process.
    DayOverride.objects.bulk_create([DayOverride(date=date(2026, 3, 10), kind="off", name="Nghỉ")])
    assert is_working_day(date(2026, 3, 10)) is True

    client.get("/healthz")

    assert is_working_day(date(2026, 3, 10)) is False


def test_due_dates_for_200_receipts_take_at_most_2_queries(django_assert_max_num_queries):
    override(date(2026, 3, 10), DayOverride.Kind.OFF)
    start = at(2026, 1, 5, 8, 0)
    kinds = ["same_day", "working_days", "hours"]

    with django_assert_max_num_queries(2):
        for i in range(200):
            due_at(start + timedelta(hours=3 * i + 1), kind=kinds[i % 3], value=5)


# --- shift_for_pause -----------------------------------------------------------------------------------


def test_pause_over_a_weekend_moves_the_deadline_one_working_day():
    # Friday is the only working day in [Fri, Mon).
    due = shift_for_pause(at(2026, 3, 18), paused_at=at(2026, 3, 13, 9, 0), resumed_at=at(2026, 3, 16, 10, 0))

    assert due == at(2026, 3, 19, 17, 0)


def test_pause_keeps_the_time_of_day_and_lands_on_a_working_day():
    due = shift_for_pause(
        at(2026, 3, 12, 14, 30), paused_at=at(2026, 3, 10, 9, 0), resumed_at=at(2026, 3, 12, 8, 0)
    )

    assert due == at(2026, 3, 16, 14, 30)


def test_pause_across_tet_2027_counts_only_working_days():
    # Working days in [3 Feb, 12 Feb) are Wed 3 and Thu 11; two days after Thu 11 is Mon 15.
    due = shift_for_pause(at(2027, 2, 11), paused_at=at(2027, 2, 3, 16, 30), resumed_at=at(2027, 2, 12, 9, 0))

    assert due == at(2027, 2, 15, 17, 0)


def test_pause_within_one_day_moves_nothing():
    due = shift_for_pause(at(2026, 3, 12), paused_at=at(2026, 3, 10, 8, 0), resumed_at=at(2026, 3, 10, 16, 0))

    assert due == at(2026, 3, 12, 17, 0)


def test_pause_that_resumes_before_it_started_is_refused():
    with pytest.raises(ValueError):
        shift_for_pause(at(2026, 3, 12), paused_at=at(2026, 3, 11, 8, 0), resumed_at=at(2026, 3, 10, 8, 0))


# --- describe_due --------------------------------------------------------------------------------------


def test_describe_due_in_vietnamese_local_time():
    assert describe_due(datetime(2027, 2, 8, 10, 0, tzinfo=UTC)) == "17 giờ 00, thứ Hai, ngày 08/02/2027"


def test_describe_due_names_sunday_chu_nhat_and_pads_minutes():
    assert describe_due(at(2027, 2, 7, 7, 5)) == "7 giờ 05, Chủ nhật, ngày 07/02/2027"


def test_the_scheduler_sees_a_day_off_decided_in_another_process(monkeypatch):
    """`manage.py periodic` serves no request and runs no task: before each job it forgets the calendar,
    so a day off an officer added on another app node counts in its next job."""
    from motcua.periodic import services as periodic
    from motcua.periodic.services import Job, run

    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)  # the test's transaction stays

    monday = date(2026, 3, 9)
    seen = []
    job = Job("check", lambda: seen.append(is_working_day(monday)), every=60)
    assert is_working_day(monday)  # this process now keeps the calendar without the day off
    # Another node's change: a row written without this process's save() signals.
    DayOverride.objects.bulk_create([DayOverride(date=monday, kind=DayOverride.Kind.OFF, name="Nghỉ bù")])

    run([job], ticks=1, sleep=lambda s: None, leader=lambda: True)

    assert seen == [False]
