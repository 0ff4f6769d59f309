from django.core.management.base import BaseCommand

from motcua.notifications.services import sweep


class Command(BaseCommand):
    help = (
        "Enqueue again outbox messages whose task was lost or whose worker died mid-send, once. "
        "`manage.py periodic` runs the same sweep every minute."
    )

    def handle(self, *args, **options):
        count = sweep()
        if options["verbosity"] > 1 or (count and options["verbosity"]):
            self.stdout.write(f"sweep_outbox: {count} message(s) enqueued again")
