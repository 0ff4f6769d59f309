"""Fixed-window attempt counters in the database: one statement per attempt, shared by every worker."""

import datetime as dt
import hashlib
import random

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

UPSERT = """
INSERT INTO accounts_throttle (key, window_start, count) VALUES (%s, %s, 1)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN accounts_throttle.window_start < %s THEN 1 ELSE accounts_throttle.count + 1 END,
    window_start = CASE WHEN accounts_throttle.window_start < %s THEN %s ELSE accounts_throttle.window_start END
RETURNING count
"""


def client_ip(request) -> str:
    # Behind the load balancer (HTTPS=1) the first X-Forwarded-For hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def too_many(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); True once more than `limit` were made in `window` seconds.

    The key is hashed: it may be anything a person typed (spaces, diacritics, a very long string).
    """
    name = f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"
    now = timezone.now()
    expired = now - dt.timedelta(seconds=window)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT, [name, now, expired, expired, now])
        count = cursor.fetchone()[0]
        if random.random() < 0.001:  # now and then, forget windows that ended a day ago  # noqa: S311
            cursor.execute(
                "DELETE FROM accounts_throttle WHERE window_start < %s", [now - dt.timedelta(days=1)]
            )
    return count > limit
