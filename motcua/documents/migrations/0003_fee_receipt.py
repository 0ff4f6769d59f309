"""The e-receipt for fees and charges (biên lai thu phí, lệ phí), from 1/7/2022.

Electronic receipts are governed by Nghị định 123/2020/NĐ-CP (invoices and vouchers, Điều 32 on the
content of a receipt) and Thông tư 78/2021/TT-BTC, mandatory from 1/7/2022. Neither issues a numbered
form that every agency must print, so `number` is only the row's short name ("BL"); the receipt prints
its legal basis, not "Mẫu số".
"""

import datetime as dt

from django.db import migrations, models

BASIS = "Nghị định 123/2020/NĐ-CP (hóa đơn, chứng từ) và Thông tư 78/2021/TT-BTC"
FROM = dt.date(2022, 7, 1)
TEMPLATES = [("bien-lai", "BL", "Biên lai thu phí, lệ phí", "", BASIS, FROM, None)]


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
    dependencies = [("documents", "0002_seed_templates")]

    operations = [
        migrations.AlterField(
            model_name="documenttemplate",
            name="kind",
            field=models.CharField(
                choices=[
                    ("to-khai", "Tờ khai"),
                    ("tiep-nhan", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
                    ("bo-sung", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
                    ("tu-choi", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
                    ("xin-loi", "Văn bản xin lỗi, hẹn lại ngày trả kết quả"),
                    ("dung-xu-ly", "Thông báo dừng giải quyết hồ sơ"),
                    ("kiem-soat", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
                    ("so-theo-doi", "Sổ theo dõi hồ sơ"),
                    ("bien-lai", "Biên lai thu phí, lệ phí"),
                ],
                max_length=20,
                verbose_name="loại văn bản",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
