from django.db import migrations, models


class Migration(migrations.Migration):
    """One phone, several people: a household may share a number, each person with their own account
    (see docs/architecture.md, "Households"). The number stays indexed: sign-in and the desk look it up."""

    dependencies = [
        ("accounts", "0006_account_event_agency"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=models.CharField(
                blank=True, db_index=True, max_length=20, null=True, verbose_name="số điện thoại"
            ),
        ),
    ]
