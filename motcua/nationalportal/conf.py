"""The app's settings, read from `settings.NATIONAL_PORTAL` with defaults that make `make run` work.

`SYNC_URL` empty means the portal is not configured: records are kept, marked "chưa cấu hình", and sent
once it is set (the sweep picks them up).
"""

from django.conf import settings

DEFAULTS = {
    "SYNC_URL": "",
    "AUTH_URL": "",
    "USERNAME": "",
    "PASSWORD": "",
    "DSTCODE": "",
    "UNIT_CODE": "",
    "HTTP_TIMEOUT": 10,  # seconds for each request (sign-in, sync, progress)
    # Exponential back-off: the n-th failure waits FIRST_RETRY * 2**(n-1) seconds, never more than
    # MAX_RETRY; after MAX_ATTEMPTS tries the record is marked failed for an officer to send again.
    "FIRST_RETRY": 60,
    "MAX_RETRY": 3600,
    "MAX_ATTEMPTS": 8,
    # A worker that claimed a record this long ago and never finished is presumed dead.
    "STALE_AFTER": 600,
}


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "NATIONAL_PORTAL", {})}[name]


def configured() -> bool:
    return bool(get("SYNC_URL"))
