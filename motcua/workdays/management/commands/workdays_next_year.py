from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.workdays.services import OFFICE_TZ, confirm_year, year_calendar


class Command(BaseCommand):
    help = (
        "List next year's days off and swapped working days (the Labour Code's rule and the announced "
        "rows) for an administrator to check against the Government's announcements; --confirm marks "
        "them confirmed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the year to list (default: next year)")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="confirm the year as listed: a confirmed row for each day of the rule, every row confirmed",
        )

    def handle(self, *args, year=None, confirm=False, **options):
        year = year or timezone.localdate(timezone=OFFICE_TZ).year + 1
        if not 2000 <= year <= 2100:
            raise CommandError(f"Năm {year} không hợp lệ.")
        self._print(year)
        if confirm:
            created, confirmed = confirm_year(year)
            self.stdout.write(
                f"Đã xác nhận lịch năm {year}: thêm {created} ngày theo Bộ luật Lao động, "
                f"đánh dấu {confirmed} ngày đã có là đã xác nhận."
            )
        elif any(not day.confirmed for day in year_calendar(year)):
            self.stdout.write(
                "Đối chiếu với thông báo của Văn phòng Chính phủ, Bộ Nội vụ; sửa trong trang quản trị "
                "(Lịch làm việc), rồi chạy lại với --confirm.",
            )

    def _print(self, year: int) -> None:
        days = year_calendar(year)
        self.stdout.write(f"Lịch làm việc năm {year}: {len(days)} ngày khác tuần thường lệ.")
        for day in days:
            status = "đã xác nhận" if day.confirmed else "CHƯA XÁC NHẬN"
            what = "Làm việc" if day.working else "Nghỉ"
            origin = "" if day.announced else " [theo quy tắc]"
            partner = f" (đổi với {day.partner:%d/%m/%Y})" if day.partner else ""
            self.stdout.write(
                f"{day.date:%d/%m/%Y}  {day.weekday:<9} {what:<9} {day.name}{partner}{origin}\n"
                f"            {day.source} — {status}"
            )
