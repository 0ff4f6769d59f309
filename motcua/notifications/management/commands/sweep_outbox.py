import time

from django.core.management.base import BaseCommand

from motcua.notifications.services import sweep


class Command(BaseCommand):
    help = "Enqueue again outbox messages whose task was lost or whose worker died mid-send."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Keep running, sweeping every N seconds (0: once and exit)."
        )

    def handle(self, *args, every: int = 0, **options):
        while True:
            count = sweep()
            if options["verbosity"] > 1 or (count and options["verbosity"]):
                self.stdout.write(f"sweep_outbox: {count} message(s) enqueued again")
            if not every:
                return
            time.sleep(every)
