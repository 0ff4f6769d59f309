"""Fixed-window attempt counters in the database: one statement per attempt, shared by every worker; and
who is asking: the client's address, and the network it belongs to."""

import datetime as dt
import hashlib
import ipaddress
import math
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
    """The address of whoever sent the request.

    With `TRUSTED_PROXIES = 0` (no proxy) it is the connection's own address. Behind n proxies it is the
    n-th X-Forwarded-For entry from the right: each proxy appends the address it received the request
    from, so that entry was written by the outermost of our proxies; whatever the client itself wrote
    stands to its left and is ignored. A chain shorter than n (a request that did not come through every
    proxy), or an entry that is not an address, counts as the connection's address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "TRUSTED_PROXIES", 0)
    if hops <= 0:
        return remote
    chain = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [entry for entry in chain if entry]
    if len(chain) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-hops]))
    except ValueError:
        return remote


def network(ip: str) -> str:
    """The network an address belongs to for limits: its /24 (IPv4) or /64 (IPv6); '' for no address.

    One household, one office, one mobile subscriber holds a whole /64 of IPv6 addresses, and a script
    easily rotates through a /24."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _name(scope: str, key: str) -> str:
    # The key is hashed: it may be anything a person typed (spaces, diacritics, a very long string).
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def too_many(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); True once more than `limit` were made in `window` seconds."""
    now = timezone.now()
    expired = now - dt.timedelta(seconds=window)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT, [_name(scope, key), now, expired, expired, now])
        count = cursor.fetchone()[0]
        if random.random() < 0.001:  # now and then, forget windows that ended a day ago  # noqa: S311
            cursor.execute(
                "DELETE FROM accounts_throttle WHERE window_start < %s", [now - dt.timedelta(days=1)]
            )
    return count > limit


def _window(scope: str, key: str) -> tuple[dt.datetime, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT window_start, count FROM accounts_throttle WHERE key = %s", [_name(scope, key)]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    start = row[0]
    if timezone.is_naive(start):  # SQLite stores UTC without its offset
        start = timezone.make_aware(start, dt.UTC)
    return start, row[1]


def reached(scope: str, key: str, *, limit: int, window: int) -> bool:
    """True when (scope, key) already holds `limit` attempts in its current window; counts nothing.

    For limits on failures: check before the attempt, count (`too_many`) only when it failed."""
    found = _window(scope, key)
    return (
        found is not None and found[0] > timezone.now() - dt.timedelta(seconds=window) and found[1] >= limit
    )


def retry_after(scope: str, key: str, *, window: int) -> int:
    """Seconds until the current window of (scope, key) ends: what a 429's Retry-After says."""
    found = _window(scope, key)
    if found is None:
        return window
    left = (found[0] + dt.timedelta(seconds=window) - timezone.now()).total_seconds()
    return max(1, math.ceil(left))
