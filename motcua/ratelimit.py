"""Fixed-window attempt counters in the database, shared by every worker of every node; and who is asking:
the client's address, and the network it belongs to.

Two ways to count:
- `too_many`: one statement per attempt (an UPSERT in its own transaction), exact. For what costs us
  when it overshoots (sign-in codes, SMS, filings) and happens on a POST anyway.
- `too_many_batched`: for the hot public reads (the dossier lookup): attempts are counted in this
  process's memory first and written to the same shared counter in batches, so a read never writes on
  its own. A batch is written when a key's pending attempts reach `batch_for(limit)` (a tenth of the
  limit, at most 100; every attempt when the limit is under 20) or when attempts have waited
  THROTTLE_FLUSH_SECONDS (1 s) — by the next request this process answers, whichever key it is for,
  in one statement for all pending keys. The limit is decided on the shared count this process last
  read (each write returns it) plus its own pending attempts, so it still holds across processes and
  nodes: each process may let through at most one batch beyond what it knew, i.e. with P processes at
  most P x batch_for(limit) attempts over the limit in a window (30 a 10 minutes and 4 processes: at
  most 12 more). The key is the same `client_ip` as for `too_many`, so a forged X-Forwarded-For dodges
  it no more than it dodges the exact counter.
"""

import datetime as dt
import hashlib
import ipaddress
import math
import random
import threading

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


# --- the in-memory first tier -------------------------------------------------------------------------------

MAX_KNOWN = 20_000  # shared counts remembered per process; forgotten all at once beyond (never unsafe)

FLUSH = """
INSERT INTO accounts_throttle (key, window_start, count) VALUES {rows}
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN accounts_throttle.window_start < %s THEN excluded.count
                 ELSE accounts_throttle.count + excluded.count END,
    window_start = CASE WHEN accounts_throttle.window_start < %s THEN excluded.window_start
                        ELSE accounts_throttle.window_start END
RETURNING key, window_start, count
"""


def batch_for(limit: int) -> int:
    """Attempts a process may hold before writing them: a tenth of the limit, 1 (exact) below 20."""
    return max(1, min(100, limit // 10))


class _Tier:
    """This process's pending attempts and the shared counts it last read, by counter name."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: dict[str, int] = {}
        self.windows: dict[str, int] = {}  # each pending name's window (seconds)
        self.known: dict[str, tuple[dt.datetime, int]] = {}  # name -> (window start, shared count)
        self.oldest: dt.datetime | None = None  # when the oldest pending attempt was made

    def forget(self) -> None:
        with self.lock:
            self.pending.clear()
            self.windows.clear()
            self.known.clear()
            self.oldest = None


_tier = _Tier()


def too_many_batched(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key) in this process (see the module's doc); True once more than
    `limit` were made in `window` seconds, as far as the shared count and this process know."""
    name = _name(scope, key)
    now = timezone.now()
    batch = batch_for(limit)
    with _tier.lock:
        pending = _tier.pending.get(name, 0) + 1
        _tier.pending[name] = pending
        _tier.windows[name] = window
        if _tier.oldest is None:
            _tier.oldest = now
        known = _tier.known.get(name)
        shared = known[1] if known and known[0] > now - dt.timedelta(seconds=window) else 0
        due = pending >= batch or (now - _tier.oldest).total_seconds() >= _flush_seconds()
    if due:
        flush(now=now)
        with _tier.lock:
            known = _tier.known.get(name)
            shared = known[1] if known and known[0] > now - dt.timedelta(seconds=window) else 0
            pending = _tier.pending.get(name, 0)
        return shared + pending > limit
    return shared + pending > limit


def _flush_seconds() -> float:
    return settings.THROTTLE_FLUSH_SECONDS


def flush(*, now: dt.datetime | None = None) -> None:
    """Write this process's pending attempts to the shared counters (one statement per window length) and
    remember the shared counts they return."""
    now = now or timezone.now()
    with _tier.lock:
        taken, windows = _tier.pending, _tier.windows
        _tier.pending, _tier.windows, _tier.oldest = {}, {}, None
    if not taken:
        return
    by_window: dict[int, list[str]] = {}
    for name in taken:
        by_window.setdefault(windows[name], []).append(name)
    learned: dict[str, tuple[dt.datetime, int]] = {}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for window, names in sorted(by_window.items()):
                expired = now - dt.timedelta(seconds=window)
                params: list = []
                for name in sorted(names):  # one order for every process: no deadlock between two batches
                    params += [name, now, taken[name]]
                cursor.execute(
                    FLUSH.format(rows=", ".join(["(%s, %s, %s)"] * len(names))), [*params, expired, expired]
                )
                for name, start, count in cursor.fetchall():
                    learned[name] = (_aware(start), count)
            if random.random() < 0.01:  # now and then, forget windows that ended a day ago  # noqa: S311
                cursor.execute(
                    "DELETE FROM accounts_throttle WHERE window_start < %s", [now - dt.timedelta(days=1)]
                )
    except Exception:
        with _tier.lock:  # keep the attempts for the next try
            for name, count in taken.items():
                _tier.pending[name] = _tier.pending.get(name, 0) + count
                _tier.windows.setdefault(name, windows[name])
            _tier.oldest = _tier.oldest or now
        raise
    with _tier.lock:
        if len(_tier.known) + len(learned) > MAX_KNOWN:
            _tier.known.clear()
        _tier.known.update(learned)


def forget() -> None:
    """Drop this process's pending attempts and known counts (tests: their rows are rolled back)."""
    _tier.forget()


def _aware(start) -> dt.datetime:
    if isinstance(start, str):  # SQLite may answer RETURNING with text
        start = dt.datetime.fromisoformat(start)
    if timezone.is_naive(start):  # SQLite stores UTC without its offset
        start = timezone.make_aware(start, dt.UTC)
    return start
