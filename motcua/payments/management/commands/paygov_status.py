from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.payments import paygov
from motcua.payments.models import Attempt
from motcua.payments.services import check_paygov


class Command(BaseCommand):
    help = "Ask the national payment platform about unfinished attempts (run from cron every few minutes)."

    def handle(self, *args, **options):
        if not settings.PAYGOV_URL:
            raise CommandError("PAYGOV_URL is not set.")
        for attempt in Attempt.objects.filter(provider="paygov", state=Attempt.State.STARTED):
            try:
                state = check_paygov(attempt)
            except paygov.PaygovError as exc:
                self.stderr.write(f"{attempt.txn_ref}: {exc}")
                continue
            self.stdout.write(f"{attempt.txn_ref}: {state}")
