"""Each announced day carries its legal source and whether it was checked; a swap is one row."""

from django.db import migrations, models
from django.db.models import F, Q


def keep_legal_basis(apps, schema_editor):
    # The old free-text "căn cứ pháp lý" becomes the note; nothing an officer typed is lost.
    DayOverride = apps.get_model("workdays", "DayOverride")
    for row in DayOverride.objects.exclude(legal_basis=""):
        row.note = row.legal_basis
        row.save(update_fields=["note"])


def restore_legal_basis(apps, schema_editor):
    DayOverride = apps.get_model("workdays", "DayOverride")
    for row in DayOverride.objects.exclude(note=""):
        row.legal_basis = row.note[:200]
        row.save(update_fields=["legal_basis"])


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="dayoverride", old_name="reason", new_name="name"),
        migrations.AlterField(
            model_name="dayoverride",
            name="name",
            field=models.CharField(
                help_text="Ví dụ: Tết Dương lịch, hoặc Hoán đổi dịp Quốc khánh", max_length=200, verbose_name="tên"
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="tên tiếng Anh"),
        ),
        migrations.AlterField(
            model_name="dayoverride",
            name="date",
            field=models.DateField(
                help_text="Với hoán đổi: ngày làm việc được chuyển thành ngày nghỉ.", unique=True, verbose_name="ngày"
            ),
        ),
        migrations.AlterField(
            model_name="dayoverride",
            name="kind",
            field=models.CharField(
                choices=[("off", "Ngày nghỉ"), ("workday", "Ngày làm việc"), ("swap", "Hoán đổi ngày làm việc")],
                max_length=10,
                verbose_name="loại",
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="worked_on",
            field=models.DateField(
                blank=True,
                help_text="Chỉ với hoán đổi: ngày nghỉ hằng tuần (thường là thứ Bảy) phải đi làm thay.",
                null=True,
                unique=True,
                verbose_name="ngày làm bù",
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_kind",
            field=models.CharField(
                blank=True,
                help_text="Ví dụ: Công văn, Thông báo, Bộ luật Lao động",
                max_length=100,
                verbose_name="loại văn bản",
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_number",
            field=models.CharField(
                blank=True, help_text="Ví dụ: 12729/VPCP-KGVX", max_length=100, verbose_name="số hiệu văn bản"
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_date",
            field=models.DateField(blank=True, null=True, verbose_name="ngày ban hành"),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_issuer",
            field=models.CharField(
                blank=True, help_text="Ví dụ: Văn phòng Chính phủ", max_length=200, verbose_name="cơ quan ban hành"
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_article",
            field=models.CharField(
                blank=True, help_text="Ví dụ: Điều 112 khoản 1 điểm a", max_length=200, verbose_name="điều, khoản"
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="source_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="đường dẫn văn bản"),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="confirmed",
            field=models.BooleanField(
                default=False,
                help_text="Đã đối chiếu với văn bản chính thức. Ngày chưa xác nhận vẫn được dùng để tính hạn.",
                verbose_name="đã xác nhận",
            ),
        ),
        migrations.AddField(
            model_name="dayoverride",
            name="note",
            field=models.TextField(blank=True, verbose_name="ghi chú"),
        ),
        migrations.RunPython(keep_legal_basis, restore_legal_basis),
        migrations.RemoveField(model_name="dayoverride", name="legal_basis"),
        migrations.AddConstraint(
            model_name="dayoverride",
            constraint=models.CheckConstraint(
                condition=Q(("kind", "swap"), ("worked_on__isnull", False))
                | (~Q(("kind", "swap")) & Q(("worked_on__isnull", True))),
                name="workdays_swap_has_worked_on",
            ),
        ),
        migrations.AddConstraint(
            model_name="dayoverride",
            constraint=models.CheckConstraint(
                condition=~Q(worked_on=F("date")), name="workdays_swap_two_different_days"
            ),
        ),
    ]
