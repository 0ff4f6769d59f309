"""Who someone is: sign-in, API tokens, and the name a citizen or officer is shown by."""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.services import roles_of
from motcua.ratelimit import too_many
from motcua.text import nfc

from .models import AccountEvent, ApiToken, OneTimeCode, User
from .phones import national, normalize_phone

__all__ = [
    "CodeRefused",
    "check_code",
    "change_phone",
    "issue_token",
    "national",
    "normalize_phone",
    "register",
    "roles_for",
    "send_code",
    "set_code_sender",
    "sign_in",
    "sign_out_everywhere",
    "user_for_token",
    "verify_at_desk",
]

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


# --- one-time codes ---------------------------------------------------------------------------------------

CODE_LIFETIME = dt.timedelta(minutes=5)
CODE_TRIES = 5


class CodeRefused(Exception):
    """No code now (too many asked for this phone or from this address, or the SMS budget): HTTP 429."""


def _code_hash(phone: str, purpose: str, code: str) -> str:
    key = f"{settings.SECRET_KEY}:one-time-code".encode()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(phone: str, *, purpose: str, ip: str = "") -> OneTimeCode:
    """Text a fresh six-digit code to `phone` (any usual form). Raises ValueError or CodeRefused."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại chưa đúng. Ví dụ: 0912 345 678."))
    if too_many("code-phone", e164, limit=3, window=900) or (
        ip and too_many("code-ip", ip, limit=10, window=3600)
    ):
        raise CodeRefused(_("Bạn đã xin mã nhiều lần. Vui lòng đợi 15 phút rồi thử lại."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        OneTimeCode.objects.filter(phone=e164, purpose=purpose, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        record = OneTimeCode.objects.create(
            phone=e164,
            purpose=purpose,
            code_hash=_code_hash(e164, purpose, code),
            expires_at=timezone.now() + CODE_LIFETIME,
        )
        text = _("Mã xác thực dịch vụ công: %(code)s. Có hiệu lực 5 phút. Không đưa mã cho ai.")
        _text_code(e164, text % {"code": code})
    return record


_code_senders: list[Callable[[str, str], None]] = []


def set_code_sender(send: Callable[[str, str], None]) -> None:
    """How sign-in codes leave the machine: `send(phone, text)` raises CodeRefused when it cannot. The
    notifications app sets it from its `AppConfig.ready` (accounts sits below it and cannot import it)."""
    _code_senders[:] = [send]


def _text_code(phone: str, text: str) -> None:
    if not _code_senders:
        raise ImproperlyConfigured("No code sender: is motcua.notifications in INSTALLED_APPS?")
    _code_senders[0](phone, text)


def check_code(phone: str, *, purpose: str, code: str) -> bool:
    """True once for the right, unexpired code; after five wrong tries the code is spent."""
    e164 = normalize_phone(phone)
    if e164 is None:
        return False
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=e164, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if record is None:
            return False
        if hmac.compare_digest(record.code_hash, _code_hash(e164, purpose, "".join(code.split()))):
            record.used_at = timezone.now()
            record.save(update_fields=["used_at"])
            return True
        record.attempts += 1
        if record.attempts >= CODE_TRIES:
            record.used_at = timezone.now()
        record.save(update_fields=["attempts", "used_at"])
        return False


@transaction.atomic
def register(*, phone: str, full_name: str, password: str = "") -> User:
    """A citizen's account after their phone proved itself with a code (identity level: phone)."""
    e164 = normalize_phone(phone)
    user = User.objects.filter(phone=e164).first() or User.objects.filter(username=e164).first()
    if user is None:
        user = User(username=e164, phone=e164)
    user.full_name = user.full_name or nfc(full_name.strip())
    user.identity_level = max(user.identity_level, User.IdentityLevel.PHONE)
    if password:
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()  # signs in with a code until they choose a password
    user.save()
    return user


def sign_out_everywhere(user: User) -> None:
    """For a shared phone: every session and every API token of this person stops working."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    ApiToken.objects.filter(user=user).delete()


# --- at the desk ------------------------------------------------------------------------------------------


@transaction.atomic
def verify_at_desk(user: User, *, by: User, id_number: str, note: str = "") -> User:
    """An officer checked the chip ID card in person: the account is active and desk-verified."""
    user.id_number = id_number
    user.is_active = True
    user.identity_level = max(user.identity_level, User.IdentityLevel.DESK)
    user.save(update_fields=["id_number", "is_active", "identity_level"])
    AccountEvent.objects.create(
        user=user, by=by, action="verified_at_desk", note=note, data={"id_number_last4": id_number[-4:]}
    )
    return user


@transaction.atomic
def change_phone(user: User, *, by: User, new_phone: str, note: str = "") -> User:
    """A lost phone or a new number, after the officer checked the person's card."""
    e164 = normalize_phone(new_phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại mới chưa đúng."))
    if User.objects.filter(phone=e164).exclude(pk=user.pk).exists():
        raise ValueError(_("Số điện thoại này đã thuộc một tài khoản khác."))
    old = user.phone
    user.phone = e164
    if user.username == old:
        user.username = e164
    user.session_epoch += 1  # whoever holds the old phone is signed out
    user.save(update_fields=["phone", "username", "session_epoch"])
    ApiToken.objects.filter(user=user).delete()
    AccountEvent.objects.create(
        user=user, by=by, action="phone_changed", note=note, data={"old": old, "new": e164}
    )
    return user
