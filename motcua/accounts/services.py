"""Who someone is: sign-in, API tokens, and the name a citizen or officer is shown by."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.utils import timezone

from motcua.agencies.services import roles_of

from .models import ApiToken, User
from .phones import national, normalize_phone

__all__ = ["issue_token", "national", "normalize_phone", "roles_for", "sign_in", "user_for_token"]

TOKEN_LIFETIME = dt.timedelta(days=30)


def sign_in(request, *, username: str, password: str) -> User | None:
    return authenticate(request, username=username.strip(), password=password)


def roles_for(user: User) -> list[str]:
    """'citizen' for everyone who is not an officer; an officer's roles otherwise."""
    roles = sorted(roles_of(user))
    return roles or ["citizen"]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User) -> str:
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), expires_at=timezone.now() + TOKEN_LIFETIME)
    return key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    return token.user if token else None
