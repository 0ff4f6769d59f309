"""The one-stop forms of Thông tư 01/2018/TT-VPCP (to 30/6/2025) and Thông tư 03/2025/TT-VPCP (from 1/7/2025).

Thông tư 01/2018 had no stop notice, so a dossier stopped before 1/7/2025 has none. `valid_to` is the
first day a version no longer applies, as for procedures.
"""

import datetime as dt

from django.db import migrations

TT_2018 = "Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ"
TT_2025 = "Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ"
FROM_2018, CHANGE = dt.date(2018, 11, 23), dt.date(2025, 7, 1)

# (kind, number, title, symbol, legal basis, valid from, valid to)
TEMPLATES = [
    ("tiep-nhan", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "TNHS", TT_2018, FROM_2018, CHANGE),
    ("bo-sung", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "HDHS", TT_2018, FROM_2018, CHANGE),
    ("tu-choi", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "TCHS", TT_2018, FROM_2018, CHANGE),
    ("xin-loi", "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", "XL", TT_2018, FROM_2018, CHANGE),
    ("kiem-soat", "05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "KSHS", TT_2018, FROM_2018, CHANGE),
    ("so-theo-doi", "06", "Sổ theo dõi hồ sơ", "", TT_2018, FROM_2018, CHANGE),
    ("tiep-nhan", "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "TNHS", TT_2025, CHANGE, None),
    ("bo-sung", "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "HDHS", TT_2025, CHANGE, None),
    ("tu-choi", "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "TCHS", TT_2025, CHANGE, None),
    (
        "xin-loi",
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "XL",
        TT_2025,
        CHANGE,
        None,
    ),
    ("dung-xu-ly", "05", "Thông báo dừng giải quyết hồ sơ", "TB", TT_2025, CHANGE, None),
    ("kiem-soat", "06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", "KSHS", TT_2025, CHANGE, None),
    ("so-theo-doi", "07", "Sổ theo dõi hồ sơ", "", TT_2025, CHANGE, None),
]


def seed(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, number, title, symbol, basis, valid_from, valid_to in TEMPLATES:
        DocumentTemplate.objects.update_or_create(
            kind=kind,
            valid_from=valid_from,
            defaults={
                "number": number,
                "title": title,
                "symbol": symbol,
                "legal_basis": basis,
                "valid_to": valid_to,
            },
        )


def unseed(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, _number, _title, _symbol, _basis, valid_from, _valid_to in TEMPLATES:
        DocumentTemplate.objects.filter(kind=kind, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
