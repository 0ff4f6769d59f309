from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.payments.jobs import check_open_paygov_attempts


class Command(BaseCommand):
    help = (
        "Ask the national payment platform about unfinished attempts, once. "
        "`manage.py periodic` runs the same job every minute."
    )

    def handle(self, *args, **options):
        if not settings.PAYGOV_URL:
            raise CommandError("PAYGOV_URL is not set.")
        for reference, state in check_open_paygov_attempts():
            (self.stderr if state.startswith("error:") else self.stdout).write(f"{reference}: {state}")
