"""The one-stop forms of Thông tư 03/2025/TT-VPCP apply from 15/9/2025, not from 1/7/2025; every version
names the annex that issues it.

0002 switched on 1/7/2025, the day Nghị định 118/2025/NĐ-CP (09/6/2025) replaced Nghị định 61/2018/NĐ-CP.
But Nghị định 118 prints no slip forms itself: it leaves them to the Government Office, and Thông tư
03/2025/TT-VPCP, dated 15/9/2025, is the circular that "hướng dẫn ... các biểu mẫu trong giải quyết thủ
tục hành chính ... quy định tại điểm b, c và h khoản 1 Điều 35 Nghị định số 118/2025/NĐ-CP" (its Điều 1,
https://hethongphapluat.com/thong-tu-03-2025-tt-vpcp-huong-dan-nghi-dinh-118-2025-nd-cp-thuc-hien-thu-tuc-
hanh-chinh-theo-co-che-mot-cua-mot-cua-lien-thong-tai-bo-phan-mot-cua-va-cong-dich-vu-cong-quoc-gia-do-van-
phong-chinh-phu-ban-hanh.html). Its forms are Mẫu số 01–07 of Phụ lục I and apply from 15/9/2025, the day it
was issued (https://thuviennhadat.vn/phap-luat/tai-file-word-bieu-mau-thong-tu-03-2025-tt-vpcp-ve-giai-quyet-
thu-tuc-hanh-chinh-tai-bo-phan-mot-cua-708489.html: "Tại Phụ lục I ban hành kèm theo Thông tư 03/2025/TT-VPCP,
Văn phòng Chính phủ đã quy định biểu mẫu về giải quyết thủ tục hành chính từ ngày 15/9/2025"). A slip dated
1/7–14/9/2025 therefore cites a circular that did not exist yet; until 14/9/2025 the desks kept the forms of
Thông tư 01/2018/TT-VPCP (23/11/2018), numbered 01–06, which has no stop notice.

The table below is every slip-form version after this migration: Mẫu số, title, the annex that issues it,
the day it takes effect and the first day it no longer applies. The circular's number and date stay in
`legal_basis` as 0002 wrote them. Thông tư 01/2018 attaches its forms to the circular itself ("Mẫu số 0x
ban hành kèm theo Thông tư số 01/2018/TT-VPCP", as production slips print it), so it names no annex.
"""

import datetime as dt

from django.db import migrations, models

FROM_2018 = dt.date(2018, 11, 23)  # Thông tư 01/2018/TT-VPCP, as 0002 seeded it
WAS = dt.date(2025, 7, 1)  # the switch 0002 used
SWITCH = dt.date(2025, 9, 15)  # Thông tư 03/2025/TT-VPCP takes effect (dated the same day)

# (kind, Mẫu số, title, article, valid_from, valid_to)
VERSIONS = [
    ("tiep-nhan", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "", FROM_2018, SWITCH),
    ("bo-sung", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "", FROM_2018, SWITCH),
    ("tu-choi", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "", FROM_2018, SWITCH),
    ("xin-loi", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "", FROM_2018, SWITCH),
    ("kiem-soat", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "", FROM_2018, SWITCH),
    ("so-theo-doi", "06", "Sổ theo dõi hồ sơ", "", FROM_2018, SWITCH),
    ("tiep-nhan", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Phụ lục I", SWITCH, None),
    ("bo-sung", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Phụ lục I", SWITCH, None),
    ("tu-choi", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Phụ lục I", SWITCH, None),
    ("xin-loi", "04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", "Phụ lục I", SWITCH, None),
    ("dung-xu-ly", "05", "Thông báo dừng giải quyết hồ sơ", "Phụ lục I", SWITCH, None),
    ("kiem-soat", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "Phụ lục I", SWITCH, None),
    ("so-theo-doi", "07", "Sổ theo dõi hồ sơ", "Phụ lục I", SWITCH, None),
]


def switch(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, number, title, article, valid_from, valid_to in VERSIONS:
        was = WAS if valid_from == SWITCH else valid_from
        DocumentTemplate.objects.filter(kind=kind, valid_from=was, number=number).update(
            title=title, article=article, valid_from=valid_from, valid_to=valid_to
        )


def unswitch(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, number, _title, _article, valid_from, valid_to in VERSIONS:
        DocumentTemplate.objects.filter(kind=kind, valid_from=valid_from, number=number).update(
            valid_from=WAS if valid_from == SWITCH else valid_from,
            valid_to=WAS if valid_to == SWITCH else valid_to,
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_fee_receipt")]

    operations = [
        migrations.AddField(
            model_name="documenttemplate",
            name="article",
            field=models.CharField(blank=True, max_length=100, verbose_name="điều, phụ lục ban hành mẫu"),
        ),
        migrations.RunPython(switch, unswitch),
    ]


seed = switch  # what the root conftest runs again after a test flushes the tables
