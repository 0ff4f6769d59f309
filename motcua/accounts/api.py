"""Sign-in for the JSON API (/api/v1/auth): tokens, one-time codes, registration; and the bearer token
check every router that needs a signed-in caller uses (accounts sits below them all)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, responses
from ninja.errors import HttpError
from ninja.security import HttpBearer

from motcua.ratelimit import client_ip, too_many

from .models import OneTimeCode
from .phones import login_key
from .services import (
    CodeRefused,
    check_code,
    issue_token,
    register,
    roles_for,
    send_code,
    sign_in,
    user_for_token,
)

# Operation ids are published in /api/v1/openapi.json and generated clients name their methods after
# them: they keep the names they had when this router lived in motcua/api/auth.py.
router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the caller becomes `request.auth` (and `request.user`)."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Credentials(Schema):
    username: str
    password: str


class UserOut(Schema):
    name: str
    roles: list[str]


class TokenOut(Schema):
    token: str
    user: UserOut


def user_out(user) -> dict:
    return {"name": user.full_name or user.username, "roles": roles_for(user)}


@router.post(
    "/token",
    response=TokenOut,
    auth=None,
    summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập",
    operation_id="motcua_api_auth_token",
)
def token(request, credentials: Credentials):
    if too_many("token-ip", client_ip(request), limit=30, window=900) or too_many(
        "token-user", login_key(credentials.username), limit=10, window=900
    ):
        raise HttpError(429, _("Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."))
    user = sign_in(request, username=credentials.username[:150], password=credentials.password[:200])
    if user is None:
        raise HttpError(401, _("Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng."))
    return {"token": issue_token(user), "user": user_out(user)}


class OtpIn(Schema):
    phone: str
    purpose: str = "register"


class RegisterIn(Schema):
    phone: str
    otp: str
    full_name: str
    password: str = ""


@router.post(
    "/otp",
    response={202: dict},
    auth=None,
    summary="Gửi mã xác thực qua tin nhắn",
    operation_id="motcua_api_auth_otp",
)
def otp(request, payload: OtpIn):
    if payload.purpose not in (OneTimeCode.Purpose.REGISTER, OneTimeCode.Purpose.SIGN_IN):
        raise HttpError(422, _("Mục đích không hợp lệ."))
    try:
        send_code(payload.phone[:30], purpose=payload.purpose, ip=client_ip(request))
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    except CodeRefused as exc:
        raise HttpError(429, str(exc)) from exc
    return responses.Status(202, {"detail": _("Đã gửi mã. Mã có hiệu lực 5 phút.")})


@router.post(
    "/register",
    response={201: TokenOut},
    auth=None,
    summary="Tạo tài khoản bằng số điện thoại và mã",
    operation_id="motcua_api_auth_register_account",
)
def register_account(request, payload: RegisterIn):
    if not payload.full_name.strip():
        raise HttpError(422, _("Cần ghi họ và tên."))
    if payload.password:
        try:
            validate_password(payload.password)
        except ValidationError as exc:
            raise HttpError(422, " ".join(exc.messages)) from exc
    if not check_code(payload.phone[:30], purpose=OneTimeCode.Purpose.REGISTER, code=payload.otp[:10]):
        raise HttpError(422, _("Mã chưa đúng hoặc đã hết hạn."))
    user = register(phone=payload.phone, full_name=payload.full_name[:150], password=payload.password)
    return responses.Status(201, {"token": issue_token(user), "user": user_out(user)})
