"""Every day off and swap of 2025 and 2026, each with the document that fixes it.

The rule (`services`) computes the same Labour Code days; these rows add what only an announcement
says (the swaps) and the source of each day. The dispatches themselves were not found online; each was
checked against the press reports quoting it (vietnamnet.vn for 12729, vietbao.vn and kienthuc.net.vn for
9441 and the Government Office's letter before it, baodanang.vn and vtv9.vtv.vn for 8726 and 6150,
en.baochinhphu.vn for Giỗ Tổ and 30/4 2025, vneconomy.vn and dantri.com.vn for 24/11):

- 8726/VPCP-KGVX, 26/11/2024 (the Prime Minister's decision on the 2025 holidays), carried out by
  Thông báo 6150/TB-BLĐTBXH (2024): Tết 27–31/01/2025; 30/4–1/5 with Friday 02/5 swapped for Saturday
  26/4; Quốc khánh 01–02/9/2025.
- 9441/TB-BNV, 16/10/2025 (Ministry of Home Affairs, after the Government Office conveyed the Prime
  Minister's agreement): Tết Bính Ngọ 16–20/02/2026; Quốc khánh 01–02/9/2026 with Monday 31/8 swapped
  for Saturday 22/8.
- 12729/VPCP-KGVX, 25/12/2025 (Deputy Prime Minister Phạm Thị Thanh Trà): Friday 02/01/2026 off, swapped
  for Saturday 10/01/2026.
- Bộ luật Lao động 2019, Điều 112 khoản 1 (and Điều 111 khoản 3 for a holiday on a Sunday): 1/1, Giỗ Tổ
  Hùng Vương, 30/4, 1/5.
- 24/11/2026, Ngày Văn hóa Việt Nam: Nghị quyết 80-NQ/TW (7/1/2026) means it to become a paid holiday and
  Nghị quyết 30/NQ-CP (02/2026) orders Điều 112 amended; no amendment in force was found, so the day is
  shipped as a working day, unconfirmed.

Rows already on these dates (typed by an officer before this migration) are replaced: these carry a source.
"""

import datetime as dt

from django.db import migrations
from django.db.models import Q

LAW = {
    "source_kind": "Bộ luật Lao động",
    "source_number": "45/2019/QH14",
    "source_date": dt.date(2019, 11, 20),
    "source_issuer": "Quốc hội",
    "source_url": "https://vbpl.vn/TW/Pages/vbpq-van-ban-goc.aspx?ItemID=139264",
    "confirmed": True,
}
PM_2025 = {
    "source_kind": "Công văn",
    "source_number": "8726/VPCP-KGVX",
    "source_date": dt.date(2024, 11, 26),
    "source_issuer": "Văn phòng Chính phủ",
    "confirmed": True,
    "note": (
        "Truyền đạt ý kiến của Thủ tướng Chính phủ; thực hiện theo Thông báo 6150/TB-BLĐTBXH năm 2024 "
        "của Bộ Lao động – Thương binh và Xã hội."
    ),
}
MOHA_2026 = {
    "source_kind": "Thông báo",
    "source_number": "9441/TB-BNV",
    "source_date": dt.date(2025, 10, 16),
    "source_issuer": "Bộ Nội vụ",
    "confirmed": True,
    "note": "Thực hiện ý kiến của Thủ tướng Chính phủ do Văn phòng Chính phủ truyền đạt (tháng 10/2025).",
}
NEW_YEAR_2026 = {
    "source_kind": "Công văn",
    "source_number": "12729/VPCP-KGVX",
    "source_date": dt.date(2025, 12, 25),
    "source_issuer": "Văn phòng Chính phủ",
    "confirmed": True,
    "note": (
        "Truyền đạt ý kiến của Phó Thủ tướng Phạm Thị Thanh Trà: công chức, viên chức nghỉ 4 ngày liên tục "
        "từ thứ Năm 01/01/2026 đến hết Chủ nhật 04/01/2026."
    ),
}
TET, TET_EN = "Điều 112 khoản 1 điểm b và khoản 3", "Lunar New Year (Tết)"
NATIONAL_DAY = "Điều 112 khoản 1 điểm đ và khoản 3"


def off(day, name, name_en, article, source):
    return {"date": day, "kind": "off", "name": name, "name_en": name_en, "source_article": article, **source}


def swap(day, worked_on, name, name_en, article, source):
    return {**off(day, name, name_en, article, source), "kind": "swap", "worked_on": worked_on}


D = dt.date
ROWS = [
    # 2025
    off(D(2025, 1, 1), "Tết Dương lịch", "New Year's Day", "Điều 112 khoản 1 điểm a", LAW),
    *(off(D(2025, 1, d), "Tết Nguyên đán Ất Tỵ", TET_EN, TET, PM_2025) for d in range(27, 32)),
    off(D(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "Hung Kings' Commemoration Day", "Điều 112 khoản 1 điểm e", LAW),
    off(D(2025, 4, 30), "Ngày Chiến thắng (30/4)", "Reunification Day", "Điều 112 khoản 1 điểm c", LAW),
    off(D(2025, 5, 1), "Ngày Quốc tế Lao động (1/5)", "International Labour Day", "Điều 112 khoản 1 điểm d", LAW),
    swap(
        D(2025, 5, 2),
        D(2025, 4, 26),
        "Hoán đổi dịp 30/4 – 1/5: nghỉ thứ Sáu 02/5, làm bù thứ Bảy 26/4/2025",
        "Swap for 30 April – 1 May: Friday 2 May off, Saturday 26 April worked",
        "",
        PM_2025,
    ),
    *(off(D(2025, 9, d), "Quốc khánh", "National Day", NATIONAL_DAY, PM_2025) for d in (1, 2)),
    # 2026
    off(D(2026, 1, 1), "Tết Dương lịch", "New Year's Day", "Điều 112 khoản 1 điểm a", LAW),
    swap(
        D(2026, 1, 2),
        D(2026, 1, 10),
        "Hoán đổi dịp Tết Dương lịch: nghỉ thứ Sáu 02/01, làm bù thứ Bảy 10/01/2026",
        "Swap for New Year: Friday 2 January off, Saturday 10 January worked",
        "",
        NEW_YEAR_2026,
    ),
    *(off(D(2026, 2, d), "Tết Nguyên đán Bính Ngọ", TET_EN, TET, MOHA_2026) for d in range(16, 21)),
    off(
        D(2026, 4, 27),
        "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch là Chủ nhật 26/4/2026)",
        "Hung Kings' Commemoration Day (observed; 26 April is a Sunday)",
        "Điều 112 khoản 1 điểm e; Điều 111 khoản 3",
        LAW,
    ),
    off(D(2026, 4, 30), "Ngày Chiến thắng (30/4)", "Reunification Day", "Điều 112 khoản 1 điểm c", LAW),
    off(D(2026, 5, 1), "Ngày Quốc tế Lao động (1/5)", "International Labour Day", "Điều 112 khoản 1 điểm d", LAW),
    swap(
        D(2026, 8, 31),
        D(2026, 8, 22),
        "Hoán đổi dịp Quốc khánh: nghỉ thứ Hai 31/8, làm bù thứ Bảy 22/8/2026",
        "Swap for National Day: Monday 31 August off, Saturday 22 August worked",
        "",
        MOHA_2026,
    ),
    *(off(D(2026, 9, d), "Quốc khánh", "National Day", NATIONAL_DAY, MOHA_2026) for d in (1, 2)),
    {
        "date": D(2026, 11, 24),
        "kind": "workday",
        "name": "Ngày Văn hóa Việt Nam: làm việc bình thường (chưa có luật cho nghỉ)",
        "name_en": "Vietnam Culture Day: an ordinary working day (no law yet makes it a holiday)",
        "source_kind": "Nghị quyết",
        "source_number": "80-NQ/TW",
        "source_date": D(2026, 1, 7),
        "source_issuer": "Bộ Chính trị",
        "source_article": "",
        "confirmed": False,
        "note": (
            "Nghị quyết 80-NQ/TW chọn 24/11 là Ngày Văn hóa Việt Nam, chủ trương là ngày nghỉ hưởng nguyên "
            "lương; Nghị quyết 30/NQ-CP (02/2026) giao sửa khoản 1 Điều 112 Bộ luật Lao động. Chưa tìm thấy "
            "luật sửa đổi có hiệu lực nên văn phòng làm việc. Nếu có văn bản cho nghỉ, đổi loại thành Ngày nghỉ "
            "và ghi số văn bản."
        ),
    },
]


def seed(apps, schema_editor):
    DayOverride = apps.get_model("workdays", "DayOverride")
    for row in ROWS:
        days = [row["date"]] + ([row["worked_on"]] if row.get("worked_on") else [])
        DayOverride.objects.filter(Q(date__in=days) | Q(worked_on__in=days)).delete()
        DayOverride.objects.create(**row)


def unseed(apps, schema_editor):
    DayOverride = apps.get_model("workdays", "DayOverride")
    DayOverride.objects.filter(date__in=[row["date"] for row in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0002_legal_source"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
