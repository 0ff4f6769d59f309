"""Working days and the return time promised to a citizen (ngày hẹn trả).

Working days
    Monday to Friday, except the days off of the rule and of the announced days; Saturday and Sunday
    are off unless an announced day makes them working days.

    The rule is the Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), Điều 112 khoản 1 — Tết Dương
    lịch, five Tết days, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh and the day next to it — with the
    compensatory day of Điều 111 khoản 3 when one falls on a weekend, as `holidays.VN` computes them
    (lunar dates included). Two things the package adds are not the rule and are dropped: its own copy
    of announced swaps (those are rows here, with their dispatch) and Ngày Văn hóa Việt Nam (24/11),
    which Nghị quyết 80-NQ/TW (7/1/2026) means to make a paid holiday once Điều 112 is amended; no
    amendment in force was found (see the 2026 rows), so it is a working day until a row says otherwise.

    Announced days are rows of `DayOverride`, each with its legal source: the Tết days and the day next
    to 2/9 that the Prime Minister fixes each year (Điều 112 khoản 3), swaps, extra days off. A row
    wins over the rule. Every day off and swap of 2025 and 2026 ships as a row (migration 0003).

Confirming a year
    `year_calendar(year)` lists the days that differ from a plain week (a weekday off, a weekend day
    worked), from the rule and the rows; a day is confirmed when a row marked `confirmed` decides it.
    An administrator runs `manage.py workdays_next_year` each year, compares it with the Government's
    announcements, corrects the rows in the admin and confirms (`--confirm`, `confirm_year`); from
    1 December the back office tells leaders and administrators while next year is unconfirmed
    (`year_to_confirm`).

Business hours
    07:30-11:30 and 13:30-17:00 at the commune office, always in Asia/Ho_Chi_Minh whatever the active
    time zone, because the calendar and the office are Vietnamese. Functions take aware datetimes
    and return aware datetimes in that zone.

Deadlines, by the catalogue's processing-time kind (the values of `catalog.models.TimeKind`)
    same_day
        Received on a working day before 15:00: due at 17:00 that day. Received at or after 15:00,
        or on a day off: due at 17:00 on the next working day (Luật Hộ tịch 2014, Điều 5 khoản 3).
        `value` is not used.
    working_days
        A dossier received on a day off counts as received on the next working day. Counting starts
        the working day after receipt, and the dossier is due at 17:00 on the `value`-th working day.
    hours
        `value` working hours, counted only inside business hours on working days from the moment of
        receipt (or the next opening, if received outside hours). The deadline is the exact moment
        the hours run out, so 4 hours from 07:30 end at 11:30, not at the afternoon opening.

Pauses
    While a dossier waits for the citizen's papers (a supplement; the waits the law leaves out of the
    processing time are listed with their source in `dossiers.states.CLOCK_STOPS`, and the fee is not
    one) the clock stops: `shift_for_pause` moves the deadline later by the number of working days
    from the pause's day up to, but not including, the resumption's day, keeping the time of day.

Caching
    The rule's days off are computed once per year per process. The override table is read with
    one query and kept until it changes: saving or deleting a `DayOverride` forgets it at once (and
    again at commit), and so does the start of every request and background task, so another
    process's edit is seen from the next request on. Code that writes overrides with `update()` or
    `bulk_create()` inside one unit of work must call `clear_cache()` itself.
"""

import functools
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import DayOverride

__all__ = [
    "BUSINESS_HOURS",
    "LABOUR_CODE",
    "OFFICE_TZ",
    "CalendarDay",
    "add_working_days",
    "clear_cache",
    "confirm_year",
    "describe_due",
    "due_at",
    "is_working_day",
    "next_working_day",
    "rule_days_off",
    "shift_for_pause",
    "weekday_name",
    "working_days_between",
    "year_calendar",
    "year_to_confirm",
]

OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BUSINESS_HOURS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
CLOSING_TIME = time(17, 0)
SAME_DAY_CUTOFF = time(15, 0)

SAME_DAY = "same_day"
WORKING_DAYS = "working_days"
HOURS = "hours"

_ONE_DAY = timedelta(days=1)
# The longest real break (Tết) is about ten days; a year without a working day means a broken override
# table, and failing loudly beats looping until the year 9999.
_MAX_DAYS_OFF_IN_A_ROW = 366

_WEEKDAY_NAMES = (
    _("thứ Hai"),
    _("thứ Ba"),
    _("thứ Tư"),
    _("thứ Năm"),
    _("thứ Sáu"),
    _("thứ Bảy"),
    _("Chủ nhật"),
)


# The Labour Code 2019 as a legal source, for the rule's days.
LABOUR_CODE = {
    "source_kind": "Bộ luật Lao động",
    "source_number": "45/2019/QH14",
    "source_date": date(2019, 11, 20),
    "source_issuer": "Quốc hội",
    "source_url": "https://vbpl.vn/TW/Pages/vbpq-van-ban-goc.aspx?ItemID=139264",
}
_OBSERVED = "(nghỉ bù)"  # the package's mark of a compensatory day (Điều 111 khoản 3)
# What `holidays.VN` (0.109) adds that is not the Labour Code's rule, by the Vietnamese names it gives.
_NOT_THE_RULE = (
    "Ngày nghỉ (thay cho ngày",  # its copy of an announced swap: swaps are rows, with their dispatch
    "Ngày Văn hóa Việt Nam",  # 24/11: a Politburo policy, not yet in Điều 112 (module docstring)
)
# Điều 112 khoản 1, by the package's Vietnamese name of the day.
_ARTICLES = (
    ("Tết Dương lịch", "điểm a"),
    ("Tết", "điểm b và khoản 3"),
    ("Ngày Chiến thắng", "điểm c"),
    ("Ngày Quốc tế Lao động", "điểm d"),
    ("Quốc khánh", "điểm đ và khoản 3"),
    ("Giỗ Tổ Hùng Vương", "điểm e"),
)


@functools.lru_cache(maxsize=64)
def _rule_holidays(year: int) -> Mapping[date, str]:
    """{day: name} of the weekdays of `year` the Labour Code makes days off (module docstring)."""
    # The neighbouring years are built too so that a holiday observed across New Year is not lost.
    calendar = holidays.VN(years=range(year - 1, year + 2), language="vi")
    found = {}
    for day in sorted(calendar):
        if day.year != year or day.weekday() >= 5:
            continue
        names = [n for n in calendar.get_list(day) if not any(mark in n for mark in _NOT_THE_RULE)]
        if names:
            found[day] = "; ".join(names)
    return MappingProxyType(found)


def rule_days_off(year: int) -> Mapping[date, str]:
    """The weekdays of `year` that the Labour Code alone makes days off, with their names."""
    return _rule_holidays(year)


def _article(name: str) -> str:
    point = next((point for key, point in _ARTICLES if key in name), "")
    article = f"Điều 112 khoản 1 {point}".strip()
    return f"{article}; Điều 111 khoản 3" if _OBSERVED in name else article


class _OverrideCache:
    """The override table as {date: kind}, read once and kept until `clear()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self._rows: Mapping[date, str] | None = None

    def get(self) -> Mapping[date, str]:
        rows = self._rows
        if rows is not None:
            return rows
        with self._lock:
            generation = self._generation
        rows = MappingProxyType(_decided_days(DayOverride.objects.values_list("date", "kind", "worked_on")))
        with self._lock:
            # A clear() that ran while we were reading means these rows may already be stale; use them
            # for this call only.
            if generation == self._generation:
                self._rows = rows
        return rows

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._rows = None


_overrides = _OverrideCache()


def _decided_days(rows) -> dict[date, str]:
    """{day: off or workday} from (date, kind, worked_on) rows; a row about one day beats a swap's side."""
    decided: dict[date, str] = {}
    for day, kind, worked_on in sorted(rows, key=lambda row: row[1] != DayOverride.Kind.SWAP):
        if kind == DayOverride.Kind.SWAP:
            decided[day] = DayOverride.Kind.OFF
            if worked_on is not None:
                decided[worked_on] = DayOverride.Kind.WORKDAY
        else:
            decided[day] = kind
    return decided


def clear_cache() -> None:
    """Forget the cached override table; the next calculation reads it again."""
    _overrides.clear()


@dataclass(frozen=True, slots=True)
class _Calendar:
    """One snapshot of the overrides, so a calculation sees one consistent calendar."""

    overrides: Mapping[date, str]

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == DayOverride.Kind.WORKDAY
        return day.weekday() < 5 and day not in _rule_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        for _step in range(_MAX_DAYS_OFF_IN_A_ROW):
            day += _ONE_DAY
            if self.is_working_day(day):
                return day
        raise RuntimeError(f"No working day within {_MAX_DAYS_OFF_IN_A_ROW} days after {day}.")

    def add_working_days(self, day: date, n: int) -> date:
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}.")
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        for _step in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        return sum(self.is_working_day(start + timedelta(days=i)) for i in range((end - start).days))

    def add_working_hours(self, start: datetime, hours: int) -> datetime:
        remaining = timedelta(hours=hours)
        day = start.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for opens, closes in BUSINESS_HOURS:
                period_start = max(_at(day, opens), start)
                period_end = _at(day, closes)
                if period_end < period_start:
                    continue
                # `<=` so that hours running out exactly at closing time end then, not at the next opening.
                if remaining <= period_end - period_start:
                    return period_start + remaining
                remaining -= period_end - period_start
            day = self.next_working_day(day)


def _calendar() -> _Calendar:
    return _Calendar(_overrides.get())


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=OFFICE_TZ)


def _local(moment: datetime) -> datetime:
    # localtime() rejects naive datetimes with a ValueError, which is what we want: a deadline computed
    # from an ambiguous moment would be silently wrong.
    return timezone.localtime(moment, OFFICE_TZ)


def _check_date(day: date) -> date:
    # datetime is a subclass of date but never equal to one, so it would miss every holiday silently.
    if isinstance(day, datetime):
        raise TypeError(f"Expected a date, got the datetime {day!r}; convert it to a local date first.")
    return day


def is_working_day(day: date) -> bool:
    """Whether the commune office works on `day`."""
    return _calendar().is_working_day(_check_date(day))


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    return _calendar().next_working_day(_check_date(day))


def add_working_days(day: date, n: int) -> date:
    """The `n`-th working day after `day`; for n = 0, `day` itself if it is a working day, else the next."""
    return _calendar().add_working_days(_check_date(day), n)


def working_days_between(start: date, end: date) -> int:
    """How many working days d satisfy start <= d < end (0 when end <= start)."""
    return _calendar().working_days_between(_check_date(start), _check_date(end))


def due_at(received_at: datetime, *, kind: str, value: int) -> datetime:
    """The promised return time of a dossier received at `received_at` (see the module docstring)."""
    calendar = _calendar()
    received = _local(received_at)
    day = received.date()
    if kind == SAME_DAY:
        if not (calendar.is_working_day(day) and received.time() < SAME_DAY_CUTOFF):
            day = calendar.next_working_day(day)
        return _at(day, CLOSING_TIME)
    if value < 0:
        raise ValueError(f"A processing time cannot be negative, got {value}.")
    if kind == WORKING_DAYS:
        # add_working_days(…, 0) moves a day off to the next working day: that is the receipt day.
        receipt_day = calendar.add_working_days(day, 0)
        return _at(calendar.add_working_days(receipt_day, value), CLOSING_TIME)
    if kind == HOURS:
        return calendar.add_working_hours(received, value)
    raise ValueError(f"Unknown processing-time kind {kind!r}.")


def shift_for_pause(due: datetime, *, paused_at: datetime, resumed_at: datetime) -> datetime:
    """`due` moved later by the working days the dossier spent waiting for the citizen's papers.

    Every working day from the day of the pause up to, but not including, the day of resumption
    counts; the time of day is kept. A pause that ends on the day it started moves nothing.
    """
    paused, resumed, local_due = _local(paused_at), _local(resumed_at), _local(due)
    if resumed < paused:
        raise ValueError(f"The dossier resumed ({resumed}) before it was paused ({paused}).")
    calendar = _calendar()
    days = calendar.working_days_between(paused.date(), resumed.date())
    if days == 0:
        return local_due
    return datetime.combine(
        calendar.add_working_days(local_due.date(), days), local_due.time(), tzinfo=OFFICE_TZ
    )


def weekday_name(day: date) -> str:
    """The day of the week in words: "thứ Hai" ... "Chủ nhật"."""
    return str(_WEEKDAY_NAMES[day.weekday()])


def describe_due(due: datetime) -> str:
    """The deadline in words for citizens, e.g. "17 giờ 00, thứ Hai, ngày 08/02/2027"."""
    local_due = _local(due)
    return gettext("%(hour)d giờ %(minute)02d, %(weekday)s, ngày %(date)s") % {
        "hour": local_due.hour,
        "minute": local_due.minute,
        "weekday": _WEEKDAY_NAMES[local_due.weekday()],
        "date": f"{local_due:%d/%m/%Y}",
    }


# --- the year's calendar, for an administrator to confirm -------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """A day of the year that differs from a plain week: a weekday off, or a weekend day worked."""

    date: date
    working: bool
    name: str
    source: str
    confirmed: bool
    announced: bool  # a row decides it; otherwise the rule alone
    partner: date | None = None  # the other day of a swap

    @property
    def weekday(self) -> str:
        return weekday_name(self.date)


def _rule_source(name: str) -> str:
    return DayOverride(source_article=_article(name), **LABOUR_CODE).source


def _rows_of(year: int):
    return DayOverride.objects.filter(Q(date__year=year) | Q(worked_on__year=year)).order_by("date")


def year_calendar(year: int) -> list[CalendarDay]:
    """Every day of `year` that is not as in a plain week, from the rule and the rows, by date."""
    days: dict[date, CalendarDay] = {
        day: CalendarDay(day, False, name, _rule_source(name), confirmed=False, announced=False)
        for day, name in _rule_holidays(year).items()
    }
    decided = {}
    for row in sorted(_rows_of(year), key=lambda row: row.kind != DayOverride.Kind.SWAP):
        for day, kind in row.days().items():
            partner = (row.worked_on if day == row.date else row.date) if row.kind == row.Kind.SWAP else None
            decided[day] = CalendarDay(
                day,
                kind == DayOverride.Kind.WORKDAY,
                row.display_name,
                row.source,
                confirmed=row.confirmed,
                announced=True,
                partner=partner,
            )
    days.update((day, entry) for day, entry in decided.items() if day.year == year)
    # A row may only restate a plain day (a Saturday "off"); that changes nothing and is not listed.
    return [
        entry
        for day, entry in sorted(days.items())
        if entry.working != (day.weekday() < 5) or entry.announced
    ]


def confirm_year(year: int) -> tuple[int, int]:
    """Confirm `year` as listed: a confirmed row for each day the rule alone gives, every row confirmed.

    Returns (rows created, rows marked confirmed).
    """
    english = holidays.VN(years=range(year - 1, year + 2), language="en_US")
    with transaction.atomic():
        created = 0
        for entry in year_calendar(year):
            if entry.announced:
                continue
            DayOverride.objects.create(
                date=entry.date,
                kind=DayOverride.Kind.OFF,
                name=entry.name,
                name_en="; ".join(english.get_list(entry.date)),
                source_article=_article(entry.name),
                confirmed=True,
                note="Ngày nghỉ theo Bộ luật Lao động, xác nhận bằng lệnh workdays_next_year.",
                **LABOUR_CODE,
            )
            created += 1
        # update() sends no signal, and needs none: the cached calendar holds kinds, not confirmation.
        confirmed = _rows_of(year).filter(confirmed=False).update(confirmed=True)
    return created, confirmed


def year_to_confirm(today: date | None = None) -> int | None:
    """Next year, from 1 December while any of its days is unconfirmed; otherwise None."""
    today = today or timezone.localdate(timezone=OFFICE_TZ)
    if today.month != 12:
        return None
    year = today.year + 1
    return year if any(not entry.confirmed for entry in year_calendar(year)) else None
