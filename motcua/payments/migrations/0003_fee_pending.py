"""A fee asked for and not yet paid is now a flag on the dossier, kept by the lifecycle."""

from django.db import migrations


def mark_pending(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    PaymentRequest = apps.get_model("payments", "PaymentRequest")
    pending = PaymentRequest.objects.filter(state="pending").values("dossier_id")
    Dossier.objects.filter(pk__in=pending).update(fee_pending=True)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_attempt_needs_review"),
        ("dossiers", "0004_event_due_at_fee_pending"),
    ]

    operations = [migrations.RunPython(mark_pending, migrations.RunPython.noop)]
