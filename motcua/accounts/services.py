"""Who someone is: sign-in, API tokens, and the name a citizen or officer is shown by."""

import datetime as dt
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.services import roles_of
from motcua.ratelimit import network, reached, retry_after, too_many
from motcua.text import nfc

from . import households
from .bearer import caller_for
from .households import SeveralPeople
from .models import AccountEvent, ApiToken, OneTimeCode, User
from .phones import login_key, national, normalize_phone

__all__ = [
    "AccountExists",
    "CodeNotAccepted",
    "CodeRefused",
    "PhoneFull",
    "SeveralPeople",
    "TooManyAttempts",
    "add_person_at_desk",
    "change_phone",
    "check_code",
    "check_password_allowed",
    "citizen_of",
    "citizens_for_phone",
    "count_failed_password",
    "has_account",
    "is_staff_account",
    "issue_token",
    "national",
    "normalize_phone",
    "person_for",
    "register",
    "roles_for",
    "send_code",
    "set_code_sender",
    "sign_in",
    "sign_in_with_code",
    "sign_out_everywhere",
    "user_for_token",
    "verify_at_desk",
]

TOKEN_LIFETIME = dt.timedelta(days=30)


# --- passwords --------------------------------------------------------------------------------------------

PASSWORD_WINDOW = 900


class TooManyAttempts(Exception):
    """Too many passwords tried: HTTP 429, with a Retry-After of `retry_after` seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            _("Bạn đã thử quá nhiều lần. Vui lòng đợi %(minutes)d phút rồi thử lại.")
            % {"minutes": math.ceil(retry_after / 60)}
        )


def _failure_key(ip: str, username: str) -> str:
    return f"{ip}|{login_key(username)}"


def check_password_allowed(*, ip: str, username: str) -> None:
    """Before a password is checked (the sign-in page, the API token, the Django admin; they share these
    counts): raises TooManyAttempts when this address tried too many passwords, or failed too often on
    this account. Failures count per address and account, so that a stranger's wrong guesses slow the
    stranger and never lock the owner out; a right password counts as no failure."""
    key = _failure_key(ip, username)
    limit = settings.PASSWORD_FAILURES_PER_ACCOUNT_AND_ADDRESS
    if reached("password-failed", key, limit=limit, window=PASSWORD_WINDOW):
        raise TooManyAttempts(retry_after("password-failed", key, window=PASSWORD_WINDOW))
    if too_many("password-ip", ip, limit=settings.PASSWORD_TRIES_PER_ADDRESS, window=PASSWORD_WINDOW):
        raise TooManyAttempts(retry_after("password-ip", ip, window=PASSWORD_WINDOW))


def count_failed_password(*, ip: str, username: str) -> None:
    key = _failure_key(ip, username)
    too_many(
        "password-failed",
        key,
        limit=settings.PASSWORD_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        window=PASSWORD_WINDOW,
    )


def sign_in(request, *, username: str, password: str, ip: str) -> User | None:
    """The account these credentials open, or None; raises TooManyAttempts (see `check_password_allowed`),
    and SeveralPeople when people sharing the phone typed have this same password (a right password: no
    failure is counted)."""
    check_password_allowed(ip=ip, username=username)
    user = authenticate(request, username=username.strip(), password=password)
    if user is None:
        count_failed_password(ip=ip, username=username)
    return user


def is_staff_account(user: User) -> bool:
    """Officers and administrators: they sign in with their password, never with an SMS code alone."""
    return households.is_officer(user)


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
    """The active user of an unexpired token, their officer row and roles read with it (one query)."""
    return caller_for(_hash(key))


# --- one-time codes ---------------------------------------------------------------------------------------

CODE_LIFETIME = dt.timedelta(minutes=5)
CODE_TRIES = 5


class CodeRefused(Exception):
    """No code now (too many asked for this phone, from this address or network, or the SMS budget):
    HTTP 429 with a Retry-After of `retry_after` seconds."""

    def __init__(self, message: str = "", *, retry_after: int = 900):
        super().__init__(message)
        self._retry_after = retry_after

    @property
    def retry_after(self) -> int:
        # The code sender raises CodeRefused from the SMS refusal, which knows when an SMS may go again.
        return getattr(self.__cause__, "retry_after", self._retry_after)


def _code_hash(phone: str, purpose: str, code: str) -> str:
    key = f"{settings.SECRET_KEY}:one-time-code".encode()
    return hmac.new(key, f"{phone}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def _minutes(seconds: int) -> int:
    return math.ceil(seconds / 60)


def _count_code_request(e164: str, *, purpose: str, ip: str) -> None:
    """Count one code request against every limit it falls under, or raise CodeRefused."""
    if too_many("code-phone", e164, limit=3, window=900):
        wait = retry_after("code-phone", e164, window=900)
        raise CodeRefused(
            _("Bạn đã xin mã nhiều lần. Vui lòng đợi %(minutes)d phút rồi thử lại.")
            % {"minutes": _minutes(wait)},
            retry_after=wait,
        )
    if ip and too_many("code-ip", ip, limit=10, window=3600):
        wait = retry_after("code-ip", ip, window=3600)
        raise CodeRefused(
            _("Bạn đã xin mã nhiều lần. Vui lòng đợi %(minutes)d phút rồi thử lại.")
            % {"minutes": _minutes(wait)},
            retry_after=wait,
        )
    if purpose == OneTimeCode.Purpose.SIGN_IN:
        return  # never texted to a number with no account
    limits = [("code-all", "", settings.CODE_REQUESTS_PER_HOUR)]
    if net := network(ip):
        limits.insert(0, ("code-network", net, settings.CODE_REQUESTS_PER_NETWORK_PER_HOUR))
    for scope, key, limit in limits:
        if too_many(scope, key, limit=limit, window=3600):
            wait = retry_after(scope, key, window=3600)
            raise CodeRefused(
                _(
                    "Đang có quá nhiều yêu cầu gửi mã. Vui lòng thử lại sau %(minutes)d phút, "
                    "hoặc đến bộ phận một cửa để được hỗ trợ."
                )
                % {"minutes": _minutes(wait)},
                retry_after=wait,
            )


def send_code(phone: str, *, purpose: str, ip: str = "") -> OneTimeCode | None:
    """Text a fresh six-digit code to `phone` (any usual form), when that number may have one. Raises
    ValueError or CodeRefused.

    The caller's answer is the same whether or not the number has an account: every request is counted
    alike, and a number that may not have the code is silently sent nothing — a sign-in code for a number
    with no account (or a locked one), any code for an officer's number (officers sign in with their
    password). Requests that may text a number with no account (registering, claiming a dossier filed
    for you) are limited per network (/24, /64) and for the whole site too, and the SMS they cost comes
    from its own slice of the budget (notifications), so that a script cannot drain what the dossier
    notices need; sign-in codes are not held by those limits, so citizens still sign in meanwhile.
    """
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại chưa đúng. Ví dụ: 0912 345 678."))
    _count_code_request(e164, purpose=purpose, ip=ip)
    people = households.holders(e164)
    if any(is_staff_account(person) for person in people):
        return None
    if purpose == OneTimeCode.Purpose.SIGN_IN and not any(person.is_active for person in people):
        return None
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


def has_account(phone: str) -> bool:
    """Whether a number (any usual form) belongs to an account: the notifications app bills codes to
    numbers with no account to their own slice of the SMS budget."""
    e164 = normalize_phone(phone)
    return e164 is not None and User.objects.filter(phone=e164).exists()


class CodeNotAccepted(Exception):
    """A code that opens nothing: wrong or spent, or the account is an officer's or locked."""


def _wrong_code() -> CodeNotAccepted:
    return CodeNotAccepted(
        _("Mã chưa đúng hoặc đã hết hạn (5 phút). Bạn kiểm tra tin nhắn, hoặc xin mã mới.")
    )


def citizens_for_phone(phone: str) -> list[User]:
    """The accounts a proven phone (its code was right) may open: the active citizens who share it,
    oldest first. Raises CodeNotAccepted for an officer's number (a code alone never opens it) or when
    every account on it is locked."""
    people = households.holders(normalize_phone(phone))
    if not people:
        raise _wrong_code()
    if any(is_staff_account(person) for person in people):
        raise CodeNotAccepted(
            _("Tài khoản cán bộ đăng nhập bằng mật khẩu. Bạn dùng trang đăng nhập bằng mật khẩu.")
        )
    active = [person for person in people if person.is_active]
    if not active:
        raise CodeNotAccepted(_("Tài khoản này đang bị khóa. Bạn vui lòng liên hệ bộ phận một cửa."))
    return active


def sign_in_with_code(phone: str, *, code: str) -> list[User]:
    """The citizens sharing the phone that received this sign-in code (one, or the household the page
    then asks "Bạn là ai?"); raises CodeNotAccepted."""
    if not check_code(phone, purpose=OneTimeCode.Purpose.SIGN_IN, code=code):
        raise _wrong_code()
    return citizens_for_phone(phone)


class AccountExists(Exception):
    """This person already has an account on the number (or the number is an officer's): registration
    never touches it. `person` is the citizen's own account, when it is one."""

    def __init__(self, person: User | None = None):
        super().__init__(
            _(
                "Số điện thoại này đã có tài khoản. Bạn đăng nhập bằng mật khẩu, "
                "hoặc bằng mã gửi qua tin nhắn."
            )
        )
        self.person = person


class PhoneFull(ValueError):
    """As many people as may share one number already do."""

    def __init__(self):
        super().__init__(
            _(
                "Số điện thoại này đã có %(count)d người dùng chung, không thêm được nữa. Bạn dùng một số "
                "khác, hoặc mang căn cước đến bộ phận một cửa để được giúp."
            )
            % {"count": households.people_per_phone()}
        )


def _room_on(e164: str, *, person: User | None = None) -> list[User]:
    """The people on a number that one more person may join; raises AccountExists (an officer's number)
    or PhoneFull."""
    people = households.holders(e164)
    if any(is_staff_account(holder) for holder in people):
        raise AccountExists
    if len([holder for holder in people if holder != person]) >= households.people_per_phone():
        raise PhoneFull
    return people


@transaction.atomic
def register(*, phone: str, full_name: str, password: str = "") -> User:
    """A new citizen's account after their phone proved itself with a code (identity level: phone).

    A number may already be shared by a household: the new person gets an account of their own on it.
    An existing account is never touched — not its password, not its name: the same person registering
    again (same name) raises AccountExists naming their account; an officer's number raises AccountExists
    too; a number already shared by PEOPLE_PER_PHONE people raises PhoneFull."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại chưa đúng. Ví dụ: 0912 345 678."))
    full_name = nfc(full_name.strip())
    people = _room_on(e164)
    if same := households.find(people, full_name=full_name):
        raise AccountExists(same)
    user = User(
        phone=e164,
        full_name=full_name,
        identity_level=User.IdentityLevel.PHONE,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # signs in with a code until they choose a password
    for _attempt in range(3):
        user.username = households.username_for(e164)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # a twin request took this username a moment ago: the next one
            user.pk = None
            continue
        return user
    raise AccountExists


def person_for(phone: str, *, full_name: str = "", id_number: str = "") -> User | None:
    """The citizen's account a dossier filed for them belongs in: on the dossier's phone, the one with
    the same ID number, else the same name; None when nobody on the number is this person (a household's
    other members never receive each other's dossiers)."""
    e164 = normalize_phone(phone) if phone else None
    people = [person for person in households.holders(e164) if not is_staff_account(person)]
    return households.find(people, full_name=full_name, id_number=id_number.strip())


def sign_out_everywhere(user: User) -> None:
    """For a shared phone: every session and every API token of this person stops working."""
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    ApiToken.objects.filter(user=user).delete()


# --- at the desk ------------------------------------------------------------------------------------------

VERIFIED_AT_DESK = "verified_at_desk"


ADDED_AT_DESK = "added_to_shared_phone"
AT_THE_DESK = (VERIFIED_AT_DESK, ADDED_AT_DESK)


def citizen_of(user: User, agency) -> bool:
    """Whether a citizen is one of the agency's: they filed a dossier there (as its applicant), or its desk
    verified their ID card. Only that agency's desk may verify them again or move them to a new number.

    The dossier half reads the applicant relation that the dossiers app declares on the user model
    (`dossiers__agency`): a query, not an import — accounts sits below dossiers."""
    return (
        User.objects.filter(pk=user.pk, dossiers__agency=agency).exists()
        or AccountEvent.objects.filter(user=user, action__in=AT_THE_DESK, agency=agency).exists()
    )


def _of_any_agency(user: User) -> bool:
    return (
        User.objects.filter(pk=user.pk, dossiers__isnull=False).exists()
        or AccountEvent.objects.filter(user=user, action__in=AT_THE_DESK, agency__isnull=False).exists()
    )


def _not_ours() -> ValueError:
    return ValueError(
        _(
            "Người này không phải công dân của cơ quan bạn (chưa nộp hồ sơ, chưa được xác thực tại đây): "
            "chỉ bộ phận một cửa nơi người dân nộp hồ sơ mới thay đổi được tài khoản của họ."
        )
    )


def _card_mismatch() -> ValueError:
    return ValueError(_("Số định danh không khớp với tài khoản. Bạn đối chiếu lại căn cước của người dân."))


@transaction.atomic
def verify_at_desk(user: User, *, by: User, id_number: str, note: str = "") -> User:
    """An officer checked the chip ID card in person: the account is active and desk-verified, and a
    citizen of the officer's agency.

    Raises ValueError for a citizen of another agency only (one with no agency becomes ours), and for a
    card whose number is not the one already on the account (it is never overwritten)."""
    agency = by.officer.agency
    if not citizen_of(user, agency) and _of_any_agency(user):
        raise _not_ours()
    if user.id_number and user.id_number != id_number:
        raise _card_mismatch()
    user.id_number = id_number
    user.is_active = True
    user.identity_level = max(user.identity_level, User.IdentityLevel.DESK)
    user.save(update_fields=["id_number", "is_active", "identity_level"])
    AccountEvent.objects.create(
        user=user,
        by=by,
        agency=agency,
        action=VERIFIED_AT_DESK,
        note=note,
        data={"id_number_last4": id_number[-4:]},
    )
    return user


@transaction.atomic
def change_phone(user: User, *, by: User, new_phone: str, id_number: str, note: str = "") -> User:
    """A lost phone or a new number, for a citizen of the officer's agency whose card the officer checked:
    `id_number` is read off the card and must be the one on the account. The old number is texted (whoever
    holds it learns the account moved, and where) and signed out; the audit log keeps who, where, both
    numbers and whether the text went. Raises ValueError with the reason."""
    agency = by.officer.agency
    if not citizen_of(user, agency):
        raise _not_ours()
    if not user.id_number:
        raise ValueError(
            _(
                "Tài khoản chưa có số định danh để đối chiếu. Bạn xác thực tài khoản bằng căn cước "
                "trước (mục trên), rồi đổi số."
            )
        )
    if not hmac.compare_digest(user.id_number, id_number):
        raise _card_mismatch()
    e164 = normalize_phone(new_phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại mới chưa đúng."))
    try:
        _room_on(e164, person=user)  # the new number may be a household's: one more person on it
    except AccountExists:
        raise ValueError(_("Số điện thoại này là của cán bộ, không dùng chung được.")) from None
    old = user.phone
    texted = bool(old) and _tell_old_number(old, new=e164, agency=agency)
    user.phone = e164
    if old and user.username in (old, *(f"{old}.{n}" for n in range(2, 100))):
        user.username = households.username_for(e164, exclude=user.pk)
    user.session_epoch += 1  # whoever holds the old phone is signed out
    user.save(update_fields=["phone", "username", "session_epoch"])
    ApiToken.objects.filter(user=user).delete()
    AccountEvent.objects.create(
        user=user,
        by=by,
        agency=agency,
        action="phone_changed",
        note=note,
        data={"old": old, "new": e164, "old_texted": texted},
    )
    return user


def _tell_old_number(old: str, *, new: str, agency) -> bool:
    """Text the old number that its account moved; False when the SMS could not go (the move goes on: the
    person stands at the desk, and the old phone may well be lost)."""
    text = _(
        "Tài khoản dịch vụ công của số này đã chuyển sang số mới (đuôi %(last4)s) tại bộ phận một cửa "
        "%(agency)s. Không phải bạn yêu cầu? Báo ngay cho bộ phận một cửa."
    ) % {"last4": new[-4:], "agency": agency.name}
    try:
        _text_code(old, text)
    except CodeRefused:
        return False
    return True


@transaction.atomic
def add_person_at_desk(*, phone: str, by: User, full_name: str, id_number: str, note: str = "") -> User:
    """One more person on a household's phone, whose chip ID card an officer checked in person: their own
    account (desk-verified, a citizen of the officer's agency), the number shared with the others. The
    number is texted (whoever holds it learns someone was added, and where); the audit log keeps who,
    where, the card's last four digits and whether the text went. Raises ValueError with the reason."""
    agency = by.officer.agency
    e164 = normalize_phone(phone)
    if e164 is None:
        raise ValueError(_("Số điện thoại chưa đúng."))
    full_name = nfc(full_name.strip())
    if not full_name:
        raise ValueError(_("Cần ghi họ và tên."))
    try:
        people = _room_on(e164)
    except AccountExists:
        raise ValueError(_("Số điện thoại này là của cán bộ, không dùng chung được.")) from None
    if User.objects.filter(id_number=id_number).exists():
        raise ValueError(
            _(
                "Số định danh này đã có tài khoản. Bạn tìm tài khoản đó theo số điện thoại của nó, hoặc "
                "đổi số cho tài khoản đó."
            )
        )
    if households.find(people, full_name=full_name):
        raise ValueError(
            _("Người này đã có tài khoản trên số điện thoại này: bạn chọn tên họ ở trên để xác thực.")
        )
    user = User(
        username=households.username_for(e164),
        phone=e164,
        full_name=full_name,
        id_number=id_number,
        identity_level=User.IdentityLevel.DESK,
    )
    user.set_unusable_password()  # signs in with a code sent to the shared phone, then says who they are
    user.save()
    texted = bool(people) and _tell_the_household(e164, person=user, agency=agency)
    AccountEvent.objects.create(
        user=user,
        by=by,
        agency=agency,
        action=ADDED_AT_DESK,
        note=note,
        data={"phone": e164, "id_number_last4": id_number[-4:], "sharing": len(people), "texted": texted},
    )
    return user


def tell_the_household_text(*, person: User, agency) -> str:
    """Two SMS parts at most with the longest agency name and masked name (notifications tests it)."""
    return _("%(agency)s đã thêm %(name)s dùng chung số này. Nếu sai, báo ngay bộ phận một cửa.") % {
        "agency": agency.name,
        "name": households.masked_name(person, year=False),
    }


def _tell_the_household(e164: str, *, person: User, agency) -> bool:
    """Text the shared number that one more person uses it; False when the SMS could not go."""
    try:
        _text_code(e164, tell_the_household_text(person=person, agency=agency))
    except CodeRefused:
        return False
    return True
