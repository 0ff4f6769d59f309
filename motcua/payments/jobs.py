"""The payments app's periodic job, registered in apps.py and run by `manage.py periodic`."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from . import paygov
from .models import Attempt
from .services import check_paygov

log = logging.getLogger(__name__)
PAYGOV_STATUS_EVERY = 60  # seconds; an attempt expires 15 minutes after it starts
# Abandoned attempts stay unfinished: without a limit, every minute would ask about all of them, forever.
PAYGOV_ASK_FOR = dt.timedelta(days=1)


def check_open_paygov_attempts() -> list[tuple[str, str]]:
    """Ask the national payment platform about every unfinished attempt of the last day, recording what
    it confirms.

    Returns (reference, state or the platform's error) per attempt; an error on one attempt does not stop
    the others. Nothing to do while PAYGOV_URL is not set.
    """
    if not settings.PAYGOV_URL:
        return []
    checked = []
    since = timezone.now() - PAYGOV_ASK_FOR
    unfinished = Attempt.objects.filter(provider="paygov", state=Attempt.State.STARTED, created_at__gte=since)
    for attempt in unfinished:
        try:
            checked.append((attempt.txn_ref, check_paygov(attempt)))
        except paygov.PaygovError as exc:
            log.warning("paygov status of %s: %s", attempt.txn_ref, exc)
            checked.append((attempt.txn_ref, f"error: {exc}"))
    return checked
