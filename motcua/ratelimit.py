"""A fixed-window counter in the shared cache: enough to stop a script, cheap for a person."""

import hashlib

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind the load balancer the first X-Forwarded-For hop is the client; HTTPS=1 means we trust it.
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def too_many(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for (scope, key); True once more than `limit` were made in `window` seconds."""
    # Hashed: the key may be anything a person typed (spaces, diacritics), which a cache key cannot hold.
    name = f"rl:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if cache.add(name, 1, timeout=window):
        return False
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window)
        return False
    return count > limit
