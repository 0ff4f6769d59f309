"""The announced days of 2025 and 2026 as shipped, with their sources, and the rule underneath them.

New Year 2026 (Công văn 12729/VPCP-KGVX, 25/12/2025): Thursday 1/1 is the holiday, Friday 2/1 is swapped
for Saturday 10/1, so nobody works from 1 to 4 January.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.workdays.models import DayOverride
from motcua.workdays.services import (
    add_working_days,
    clear_cache,
    due_at,
    is_working_day,
    rule_days_off,
    working_days_between,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


# --- New Year 2026 --------------------------------------------------------------------------------------


def test_friday_2_january_2026_is_a_day_off():
    assert is_working_day(date(2026, 1, 2)) is False


def test_saturday_10_january_2026_is_a_working_day():
    assert is_working_day(date(2026, 1, 10)) is True


def test_same_day_received_after_15_00_on_31_december_2025_is_due_monday_5_january_2026():
    # 1/1 holiday, 2/1 swapped off, 3-4/1 weekend: the next working day is Monday 5 January.
    assert due_at(at(2025, 12, 31, 15, 30), kind="same_day", value=0) == at(2026, 1, 5, 17, 0)


def test_three_working_days_from_31_december_2025_end_on_7_january_2026():
    assert due_at(at(2025, 12, 31, 10, 0), kind="working_days", value=3) == at(2026, 1, 7, 17, 0)


def test_the_week_of_10_january_2026_has_six_working_days():
    assert working_days_between(date(2026, 1, 5), date(2026, 1, 12)) == 6


def test_a_dossier_received_on_saturday_10_january_2026_counts_from_that_day():
    assert due_at(at(2026, 1, 10, 9, 0), kind="same_day", value=0) == at(2026, 1, 10, 17, 0)


# --- the rest of 2025 and 2026 --------------------------------------------------------------------------


def test_days_off_of_2025_on_weekdays_are_the_announced_ones():
    days_off = [d for d in _weekdays(2025) if not is_working_day(d)]

    assert days_off == [
        date(2025, 1, 1),
        *(date(2025, 1, d) for d in range(27, 32)),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ]
    assert is_working_day(date(2025, 4, 26)) is True  # Saturday, swapped for 2 May


def test_days_off_of_2026_on_weekdays_are_the_announced_ones():
    days_off = [d for d in _weekdays(2026) if not is_working_day(d)]

    assert days_off == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        *(date(2026, 2, d) for d in range(16, 21)),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
    ]
    assert [d for d in _weekends(2026) if is_working_day(d)] == [date(2026, 1, 10), date(2026, 8, 22)]


def test_24_november_2026_is_a_working_day_while_no_law_makes_it_a_holiday():
    assert is_working_day(date(2026, 11, 24)) is True


def test_every_shipped_row_cites_a_numbered_document_with_its_date_and_issuer():
    rows = DayOverride.objects.all()

    assert rows.count() == 26  # 12 in 2025, 14 in 2026 (two swaps, 24/11 among them)
    for row in rows:
        assert row.source_kind and row.source_number and row.source_date and row.source_issuer, row


def test_the_new_year_2026_swap_cites_dispatch_12729():
    row = DayOverride.objects.get(date=date(2026, 1, 2))

    assert row.kind == DayOverride.Kind.SWAP and row.worked_on == date(2026, 1, 10) and row.confirmed
    assert row.source == "Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ"


def test_the_national_day_2026_swap_cites_the_ministry_of_home_affairs():
    row = DayOverride.objects.get(date=date(2026, 8, 31))

    assert row.worked_on == date(2026, 8, 22)
    assert row.source == "Thông báo số 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"


def test_only_24_november_2026_ships_unconfirmed():
    assert list(DayOverride.objects.filter(confirmed=False).values_list("date", flat=True)) == [
        date(2026, 11, 24)
    ]


# --- the rule underneath --------------------------------------------------------------------------------


def test_without_rows_the_rule_gives_only_the_labour_code_days():
    DayOverride.objects.all().delete()
    clear_cache()

    assert is_working_day(date(2026, 1, 2)) is True  # the swap is announced, not the rule
    assert is_working_day(date(2026, 1, 10)) is False
    assert is_working_day(date(2026, 8, 22)) is False  # the package's own copy of the swap is not used
    assert is_working_day(date(2026, 8, 31)) is True
    assert is_working_day(date(2026, 11, 24)) is True
    assert is_working_day(date(2026, 2, 16)) is False  # Tết stays computed
    assert is_working_day(date(2026, 4, 27)) is False  # Giỗ Tổ on a Sunday: Monday off (Điều 111 k.3)


def test_the_rule_for_2027_has_the_eleven_labour_code_weekdays_and_not_24_november():
    assert list(rule_days_off(2027)) == [
        date(2027, 1, 1),
        date(2027, 2, 4),
        date(2027, 2, 5),
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 10),
        date(2027, 4, 16),
        date(2027, 4, 30),
        date(2027, 5, 3),
        date(2027, 9, 2),
        date(2027, 9, 3),
    ]


def test_the_package_still_names_the_days_the_rule_drops():
    # The rule recognises them by these names; a new version of `holidays` must keep them or the rule
    # must change with it.
    days = holidays.VN(years=2026, language="vi")

    assert days.get(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert days.get(date(2026, 8, 31)).startswith("Ngày nghỉ (thay cho ngày")


# --- a swap row -----------------------------------------------------------------------------------------


def test_a_swap_row_makes_one_day_off_and_one_weekend_day_worked():
    DayOverride.objects.create(
        date=date(2027, 4, 29), kind=DayOverride.Kind.SWAP, worked_on=date(2027, 4, 24), name="Hoán đổi"
    )

    assert is_working_day(date(2027, 4, 29)) is False
    assert is_working_day(date(2027, 4, 24)) is True
    assert add_working_days(date(2027, 4, 28), 1) == date(2027, 5, 4)


def test_a_swap_without_the_day_worked_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        DayOverride.objects.create(date=date(2027, 4, 29), kind=DayOverride.Kind.SWAP, name="Hoán đổi")


def test_a_swap_onto_a_day_another_row_decides_is_refused_in_the_admin_form():
    row = DayOverride(date=date(2027, 1, 8), kind="swap", worked_on=date(2026, 1, 10), name="Hoán đổi")

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert "worked_on" in refused.value.message_dict


def test_a_day_off_with_a_day_worked_is_refused_in_the_admin_form():
    row = DayOverride(date=date(2027, 1, 8), kind="off", worked_on=date(2027, 1, 9), name="Nghỉ")

    with pytest.raises(ValidationError):
        row.full_clean()


def _weekdays(year: int) -> list[date]:
    return [d for d in _days(year) if d.weekday() < 5]


def _weekends(year: int) -> list[date]:
    return [d for d in _days(year) if d.weekday() >= 5]


def _days(year: int) -> list[date]:
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    return [date.fromordinal(n) for n in range(first, last + 1)]
