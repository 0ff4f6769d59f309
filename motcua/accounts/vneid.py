"""Sign in with VNeID: the OpenID Connect authorization code flow, with PKCE (S256) and a nonce, via authlib.

Settings (all empty by default, which shows a page offering the other ways in):
- VNEID_ISSUER: the provider's issuer URL; its discovery document,
  `VNEID_ISSUER/.well-known/openid-configuration`, must name exactly this issuer;
- VNEID_CLIENT_ID, VNEID_CLIENT_SECRET: motcua's registration with the provider;
- VNEID_SCOPES: space-separated, default "openid profile phone" ("openid" is always added).

The callback URL to register with the provider is SITE_URL (or this request's host) + /dang-nhap/vneid/ve/.

`start` keeps the state, nonce and PKCE verifier in the session (authlib's Django client) and sends the
browser to the provider; `callback` checks the state, exchanges the code, checks the ID token (RS256
signature against the provider's JWKS, issuer, audience, expiry, nonce), then finds or creates the citizen's
account, raises it to the VNeID identity level and signs it in. Every failure lands on a page that says
what happened in plain words and offers the other ways in: nobody is left at a dead end.
"""

import dataclasses
import datetime as dt
import hashlib
import logging
import time
import unicodedata
from collections.abc import Mapping

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.oidc.core import CodeIDToken, UserInfo
from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from motcua.agencies.services import agency_for, roles_of

from . import households
from .cccd import validate_cccd
from .models import User
from .phones import normalize_phone
from .signin import next_url, safe_next
from .vneid_models import VneidIdentity

__all__ = [
    "VneidConfig",
    "VneidError",
    "VneidPerson",
    "callback",
    "person_from_claims",
    "start",
    "user_for_person",
    "vneid_config",
]

log = logging.getLogger(__name__)

DEFAULT_SCOPES = "openid profile phone"
ID_TOKEN_ALGORITHMS = ["RS256"]
HTTP_TIMEOUT = 10  # seconds for each call to the provider: a citizen is waiting
LEEWAY = 60  # seconds of clock difference allowed on exp/iat
METADATA_MAX_AGE = 3600  # the discovery document and JWKS are fetched again after an hour
NEXT_KEY = "vneid_next"
# The personal ID number is not a standard OIDC claim: the names VNeID may use, first found wins.
ID_NUMBER_CLAIMS = ("identity_number", "cccd")
GENDERS = {"male": "nam", "female": "nu", "nam": "nam", "nu": "nu", "nữ": "nu"}
# Errors the provider sends back instead of a code when the citizen did not (or could not) agree.
DENIED_ERRORS = {"access_denied", "consent_required", "login_required", "interaction_required"}


# --- configuration and the authlib client ----------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class VneidConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def vneid_config() -> VneidConfig | None:
    """The provider from settings, or None while VNeID sign-in is not set up here."""
    issuer = getattr(settings, "VNEID_ISSUER", "") or ""
    client_id = getattr(settings, "VNEID_CLIENT_ID", "") or ""
    client_secret = getattr(settings, "VNEID_CLIENT_SECRET", "") or ""
    if not (issuer and client_id and client_secret):
        return None
    scopes = (getattr(settings, "VNEID_SCOPES", "") or DEFAULT_SCOPES).split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return VneidConfig(issuer, client_id, client_secret, " ".join(scopes))


class VneidError(Exception):
    """Sign-in cannot go on; `reason` picks what the citizen is told (see REASONS)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class VneidClient(DjangoOAuth2App):
    """authlib's Django client, made strict: the discovery document must name the configured issuer, and
    the ID token must be RS256-signed by a key of the provider's JWKS and name our issuer and audience."""

    def __init__(self, config: VneidConfig):
        super().__init__(
            DjangoIntegration("vneid"),
            "vneid",
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=config.discovery_url,
            client_kwargs={
                "scope": config.scopes,
                "code_challenge_method": "S256",
                "default_timeout": HTTP_TIMEOUT,
            },
        )
        self.issuer = config.issuer

    def load_server_metadata(self):
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != self.issuer:
            raise VneidError("unavailable", f"discovery names issuer {metadata.get('issuer')!r}")
        return metadata

    def parse_id_token(self, token, nonce, claims_options=None, claims_cls=None, leeway=LEEWAY):
        if not nonce:
            raise VneidError("token", "no nonce was sent")
        registry = JWSRegistry(algorithms=ID_TOKEN_ALGORITHMS, strict_check_header=False)
        try:
            decoded = jwt.decode(
                token["id_token"], KeySet.import_key_set(self.fetch_jwk_set()), registry=registry
            )
        except InvalidKeyIdError:  # the provider may have rotated its keys since we fetched them
            keys = KeySet.import_key_set(self.fetch_jwk_set(force=True))
            decoded = jwt.decode(token["id_token"], keys, registry=registry)
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "value": self.issuer},
                "aud": {"essential": True, "value": self.client_id},
                "sub": {"essential": True},
            },
            {"nonce": nonce, "client_id": self.client_id, "access_token": token.get("access_token")},
        )
        claims.validate(leeway=leeway)
        return UserInfo(claims)


_clients: dict[VneidConfig, VneidClient] = {}


def _client(config: VneidConfig) -> VneidClient:
    """One client per configuration and process; its discovery document and JWKS are kept for an hour."""
    client = _clients.get(config)
    loaded_at = client.server_metadata.get("_loaded_at") if client else None
    if client is None or (loaded_at and time.time() - loaded_at > METADATA_MAX_AGE):
        client = _clients[config] = VneidClient(config)
    return client


# --- what VNeID tells us about the citizen ---------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class VneidPerson:
    subject: str
    full_name: str = ""
    phone: str | None = None  # E.164, only when VNeID vouches for it
    id_number: str | None = None  # the personal ID number, only when it passed validate_cccd
    birth_date: dt.date | None = None
    sex: str | None = None  # "nam" / "nu"


def _text(value) -> str:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""


def _birth_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:  # "0000-05-17" or "1990": OIDC allows a partial birthdate
        return None


def person_from_claims(claims: Mapping) -> VneidPerson:
    """The verified claims (`sub`, `name`, `phone_number`, `birthdate`, `gender`, the ID number)."""
    subject = _text(claims.get("sub"))
    if not subject:
        raise VneidError("token", "no subject")
    phone = None
    if claims.get("phone_number_verified") is not False:
        phone = normalize_phone(_text(claims.get("phone_number")))
        if phone is None and claims.get("phone_number"):
            log.warning("VNeID sent a phone number that is not a Vietnamese number; it is not used")
    birth_date = _birth_date(claims.get("birthdate"))
    sex = GENDERS.get(_text(claims.get("gender")).lower())
    id_number = None
    raw = next((claims[name] for name in ID_NUMBER_CLAIMS if claims.get(name)), None)
    if raw is not None:
        try:
            id_number = validate_cccd(str(raw), birth_date=birth_date, sex=sex)
        except ValidationError as error:
            log.warning(
                "VNeID sent a personal ID number that fails validation (%s); it is not used", error.messages
            )
    return VneidPerson(
        subject=subject,
        full_name=_text(claims.get("name"))[:150],
        phone=phone,
        id_number=id_number,
        birth_date=birth_date,
        sex=sex,
    )


# --- the account -----------------------------------------------------------------------------------------
def _is_officer(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or roles_of(user) or agency_for(user))


def _new_username(person: VneidPerson, phone: str | None) -> str:
    if phone and households.username_for(phone) == phone:
        return phone  # citizens' usernames are their phone numbers (the first person on one)
    return "vneid-" + hashlib.sha256(person.subject.encode()).hexdigest()[:24]


def _on_the_phone(person: VneidPerson) -> User | None:
    """The account on VNeID's phone that is this person (same ID number, else same name), or None: a
    household shares the number, and VNeID's person may be another member, who gets an account of their
    own on it (up to PEOPLE_PER_PHONE people; past that, one without the phone). An officer's number:
    VneidError("conflict")."""
    people = households.holders(person.phone)
    if any(_is_officer(holder) for holder in people):
        raise VneidError("conflict", "the phone's account is an officer's")
    return households.find(people, full_name=person.full_name, id_number=person.id_number or "")


def _link(person: VneidPerson) -> User:
    identity = VneidIdentity.objects.select_related("user").filter(subject=person.subject).first()
    if identity is not None:
        user = identity.user
        if not user.is_active:
            raise VneidError("inactive")
        if person.phone and person.phone != user.phone and _room_for_one_more(person.phone):
            user.phone = person.phone  # the citizen changed their number in VNeID
    else:
        user = _on_the_phone(person) if person.phone else None
        if user is not None:
            if not user.is_active:
                raise VneidError("inactive")
            if VneidIdentity.objects.filter(user=user).exists():
                raise VneidError("conflict", "the phone's account is linked to another subject")
            if user.identity_level < User.IdentityLevel.PHONE and user.has_usable_password():
                # Whoever set this password never proved the phone was theirs; VNeID says it is this one's.
                user.set_unusable_password()
        else:
            phone = person.phone if person.phone and _room_for_one_more(person.phone) else None
            user = User(username=_new_username(person, phone), phone=phone)
            user.set_unusable_password()
            user.save()
        VneidIdentity.objects.create(user=user, subject=person.subject)
    if person.full_name:
        user.full_name = person.full_name
    user.identity_level = User.IdentityLevel.VNEID
    user.save()
    return user


def _room_for_one_more(phone: str) -> bool:
    people = households.holders(phone)
    return len(people) < households.people_per_phone() and not any(_is_officer(p) for p in people)


def user_for_person(person: VneidPerson) -> User:
    """The account of this VNeID subject; else this person's account on the same phone (a household may
    share it: same ID number, else same name), now linked; else a new one. Either way it ends at the
    VNeID identity level."""
    try:
        with transaction.atomic():
            return _link(person)
    except IntegrityError:  # two sign-ins of one new person at once: the second try finds the first's rows
        log.info("VNeID sign-in raced another for the same person; trying again")
    with transaction.atomic():
        return _link(person)


# --- talking to the provider -----------------------------------------------------------------------------
def _redirect_uri(request) -> str:
    path = reverse("accounts:vneid_callback")
    site = getattr(settings, "SITE_URL", "")
    return site + path if site else request.build_absolute_uri(path)


def _claims(request, config: VneidConfig) -> dict:
    """The verified claims of the citizen coming back from the provider; raises VneidError."""
    error = request.GET.get("error")
    client = _client(config)
    if error:
        client.framework.clear_state_data(request.session, request.GET.get("state"))
        raise VneidError("denied" if error in DENIED_ERRORS else "unavailable", f"provider said {error}")
    try:
        token = client.authorize_access_token(request, leeway=LEEWAY)
        if "userinfo" not in token:
            raise VneidError("token", "the token response has no ID token")
        claims = dict(token["userinfo"])
        if not (claims.get("name") and claims.get("phone_number")):
            claims = _with_userinfo(client, token, claims)
    except MismatchingStateError as exc:
        raise VneidError("state", "unknown or used state") from exc
    except OAuthError as exc:  # the token endpoint answered with an OAuth error
        raise VneidError("state" if exc.error == "invalid_grant" else "unavailable", str(exc)) from exc
    except JoseError as exc:
        raise VneidError("token", f"{type(exc).__name__}: {exc}") from exc
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise VneidError("unavailable", f"{type(exc).__name__}: {exc}") from exc
    return claims


def _with_userinfo(client: VneidClient, token: dict, claims: dict) -> dict:
    """The ID token's claims completed from the userinfo endpoint, which many providers put them in."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return claims
    userinfo = client.userinfo(token=token)
    if userinfo.get("sub") != claims["sub"]:  # OIDC Core §5.3.2: must be the ID token's subject
        raise VneidError("token", "userinfo is about another subject")
    return {**userinfo, **claims}


# --- views -----------------------------------------------------------------------------------------------
REASONS = {
    "not_configured": (
        200,
        _("Chưa đăng nhập được bằng VNeID tại đây"),
        _(
            "Trang dịch vụ công này chưa được kết nối với VNeID. Bạn vẫn vào được bằng một trong các cách "
            "dưới đây."
        ),
    ),
    "denied": (
        200,
        _("Bạn chưa đồng ý chia sẻ thông tin từ VNeID"),
        _(
            "VNeID cho biết bạn đã hủy hoặc chưa đồng ý cho trang này dùng thông tin định danh của bạn, nên "
            "chưa đăng nhập được. Nếu bạn bấm nhầm, hãy thử lại và chọn Đồng ý."
        ),
    ),
    "state": (
        400,
        _("Phiên đăng nhập bằng VNeID đã hết hạn"),
        _(
            "Lượt đăng nhập này đã quá lâu, đã được dùng rồi, hoặc được mở ở một trình duyệt khác. Bạn hãy "
            "bắt đầu lại từ đầu."
        ),
    ),
    "token": (
        502,
        _("Không kiểm tra được thông tin VNeID gửi về"),
        _(
            "Thông tin định danh gửi về không qua được bước kiểm tra an toàn, nên chúng tôi chưa cho đăng "
            "nhập để bảo vệ tài khoản của bạn. Bạn hãy thử lại sau ít phút."
        ),
    ),
    "unavailable": (
        503,
        _("VNeID đang không trả lời"),
        _(
            "Hệ thống VNeID đang bận hoặc tạm ngừng, nên chưa đăng nhập được. Lỗi không phải do bạn. Bạn hãy "
            "thử lại sau ít phút, hoặc vào bằng cách khác dưới đây."
        ),
    ),
    "conflict": (
        409,
        _("Số điện thoại này đã gắn với một tài khoản khác"),
        _(
            "Số điện thoại trong VNeID của bạn đang thuộc một tài khoản đã liên kết với người khác hoặc của "
            "cán bộ, nên không tự liên kết được. Cán bộ một cửa sẽ kiểm tra căn cước và giúp bạn ngay."
        ),
    ),
    "inactive": (
        403,
        _("Tài khoản này đang bị khóa"),
        _(
            "Tài khoản gắn với VNeID của bạn đang bị khóa. Bạn vui lòng liên hệ bộ phận một cửa để được mở "
            "lại."
        ),
    ),
}
RETRY = {"denied", "state", "token", "unavailable"}


def _failure(request, reason: str, error: Exception | None = None):
    if error is not None:
        log.warning("VNeID sign-in failed: %s", error)
    status, title, explanation = REASONS[reason]
    context = {
        "reason": reason,
        "title": title,
        "explanation": explanation,
        "retry": reason in RETRY,
        "next": safe_next(request, request.session.get(NEXT_KEY, "")),
    }
    return render(request, "accounts/vneid_error.html", context, status=status)


@require_GET
def start(request):
    """/dang-nhap/vneid/: off to VNeID, with state, nonce and PKCE kept in the session."""
    config = vneid_config()
    if config is None:
        return _failure(request, "not_configured")
    request.session[NEXT_KEY] = request.GET.get("next", "")  # checked when the citizen comes back
    try:
        return _client(config).authorize_redirect(request, _redirect_uri(request))
    except VneidError as error:
        return _failure(request, error.reason, error)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        return _failure(request, "unavailable", error)


@require_GET
def callback(request):
    """/dang-nhap/vneid/ve/: the provider sends the citizen back here with a code (or an error)."""
    config = vneid_config()
    if config is None:
        return _failure(request, "not_configured")
    try:
        user = user_for_person(person_from_claims(_claims(request, config)))
    except VneidError as error:
        return _failure(request, error.reason, error)
    wanted = safe_next(request, request.session.pop(NEXT_KEY, ""))
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    log.info("VNeID sign-in: user %s", user.pk)
    return redirect(next_url(request, user, wanted))
