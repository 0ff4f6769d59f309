import django.db.models.deletion
from django.db import migrations, models


def agency_of_the_officer(apps, schema_editor):
    """Past entries: the agency of the officer who made them, so that earlier desk verifications count."""
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    Officer = apps.get_model("agencies", "Officer")
    agencies = dict(Officer.objects.values_list("user_id", "agency_id"))
    for event in AccountEvent.objects.filter(agency__isnull=True, by__isnull=False).only("pk", "by_id"):
        if event.by_id in agencies:
            AccountEvent.objects.filter(pk=event.pk).update(agency_id=agencies[event.by_id])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_codes_and_audit"),
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountevent",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
            ),
        ),
        migrations.RunPython(agency_of_the_officer, migrations.RunPython.noop),
    ]
