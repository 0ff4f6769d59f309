"""The e-receipt for fees and charges from 1/6/2025: Nghị định 123/2020/NĐ-CP as amended by Nghị định
70/2025/NĐ-CP (20/3/2025, in force 1/6/2025), with Thông tư 32/2025/TT-BTC (31/5/2025, in force 1/6/2025),
which replaces Thông tư 78/2021/TT-BTC. The 2022 version ends the day before (valid_to is the first day a
version no longer applies). Still no numbered form every agency must print: `number` is the row's short
name ("BL"); the receipt's own symbols come from the issuer (payments/receipts.py).
"""

import datetime as dt

from django.db import migrations

KIND = "bien-lai"
BEFORE = dt.date(2022, 7, 1)
FROM = dt.date(2025, 6, 1)
BASIS = (
    "Nghị định 123/2020/NĐ-CP (Điều 30, Điều 32), được sửa đổi, bổ sung bởi Nghị định 70/2025/NĐ-CP, "
    "và Thông tư 32/2025/TT-BTC"
)


def seed(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(kind=KIND, valid_from=BEFORE).update(valid_to=FROM)
    DocumentTemplate.objects.update_or_create(
        kind=KIND,
        valid_from=FROM,
        defaults={
            "number": "BL",
            "title": "Biên lai thu phí, lệ phí",
            "symbol": "",
            "legal_basis": BASIS,
            "valid_to": None,
        },
    )


def unseed(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(kind=KIND, valid_from=FROM).delete()
    DocumentTemplate.objects.filter(kind=KIND, valid_from=BEFORE).update(valid_to=None)


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_forms_from_15_9_2025_lawdates")]

    operations = [migrations.RunPython(seed, unseed)]
