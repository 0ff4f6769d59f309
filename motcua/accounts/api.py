"""Sign-in for the JSON API (/api/v1/auth): tokens, one-time codes, registration; and the bearer token
check every router that needs a signed-in caller uses (accounts sits below them all)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, responses
from ninja.errors import HttpError
from ninja.security import HttpBearer

from motcua.ratelimit import client_ip

from . import households
from .access import bearer_caller
from .models import OneTimeCode
from .services import (
    AccountExists,
    CodeRefused,
    PhoneFull,
    SeveralPeople,
    TooManyAttempts,
    check_code,
    issue_token,
    register,
    roles_for,
    send_code,
    sign_in,
)

# Operation ids are published in /api/v1/openapi.json and generated clients name their methods after
# them: they keep the names they had when this router lived in motcua/api/auth.py.
router = Router(tags=["auth"])


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the caller becomes `request.auth` (and `request.user`)."""

    def authenticate(self, request, token):
        user = bearer_caller(request, token)  # the access policy has usually looked it up already
        if user is not None:
            request.user = user
        return user


class Credentials(Schema):
    username: str  # a phone number (any usual form), a personal ID number (12 digits), or a username
    password: str
    # A phone several people share, whose password is right for more than one of them: which one signs in
    # (the `choice` of a 409 answer's `people`).
    person: int | None = None


class UserOut(Schema):
    name: str
    roles: list[str]


class TokenOut(Schema):
    token: str
    user: UserOut


class Detail(Schema):
    detail: str


class PersonChoice(Schema):
    choice: int
    name: str  # masked: "Nguyễn V… An, sinh 1958"


class SeveralOut(Schema):
    detail: str
    people: list[PersonChoice]


def _too_many(response: HttpResponse, message: str, retry_after: int) -> responses.Status:
    """429 with {"detail"} and a Retry-After header (ninja merges the headers of `response`)."""
    response["Retry-After"] = str(retry_after)
    return responses.Status(429, {"detail": message})


def user_out(user) -> dict:
    return {"name": user.full_name or user.username, "roles": roles_for(user)}


@router.post(
    "/token",
    response={200: TokenOut, 409: SeveralOut, 429: Detail},
    auth=None,
    summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập",
    operation_id="motcua_api_auth_token",
)
def token(request, credentials: Credentials, response: HttpResponse):
    """409 with `people` when the password is right for several people sharing the phone: send it again
    with `person` set to the `choice` of the one signing in (or use the personal ID number)."""
    try:
        user = sign_in(
            request,
            username=credentials.username[:150],
            password=credentials.password[:200],
            ip=client_ip(request),
        )
    except TooManyAttempts as refused:
        return _too_many(response, str(refused), refused.retry_after)
    except SeveralPeople as several:
        people = several.people
        if credentials.person is not None and 1 <= credentials.person <= len(people):
            user = people[credentials.person - 1]
        else:
            return responses.Status(
                409,
                {
                    "detail": _(
                        "Số điện thoại này có nhiều người dùng chung với cùng mật khẩu. Bạn là ai? Gửi lại "
                        "kèm người (person) là số thứ tự của bạn, hoặc đăng nhập bằng số căn cước."
                    ),
                    "people": [
                        {"choice": n, "name": name}
                        for n, name in enumerate(households.labels(people), start=1)
                    ],
                },
            )
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
    response={202: dict, 429: Detail},
    auth=None,
    summary="Gửi mã xác thực qua tin nhắn",
    operation_id="motcua_api_auth_otp",
)
def otp(request, payload: OtpIn, response: HttpResponse):
    """202 whether or not the number has an account (a sign-in code goes only to an account's number, no
    code to an officer's): the answer tells nothing about who has an account."""
    if payload.purpose not in (OneTimeCode.Purpose.REGISTER, OneTimeCode.Purpose.SIGN_IN):
        raise HttpError(422, _("Mục đích không hợp lệ."))
    try:
        send_code(payload.phone[:30], purpose=payload.purpose, ip=client_ip(request))
    except ValueError as exc:
        raise HttpError(422, str(exc)) from exc
    except CodeRefused as exc:
        return _too_many(response, str(exc), exc.retry_after)
    return responses.Status(202, {"detail": _("Đã gửi mã. Mã có hiệu lực 5 phút.")})


@router.post(
    "/register",
    response={201: TokenOut, 409: Detail},
    auth=None,
    summary="Tạo tài khoản bằng số điện thoại và mã",
    operation_id="motcua_api_auth_register_account",
)
def register_account(request, payload: RegisterIn):
    """Never touches an existing account: the same person registering again on a number (same name), or
    an officer's number, answers 409 (sign in instead), even with a right code. A household may share a
    number: another person gets an account of their own on it (201), up to PEOPLE_PER_PHONE people."""
    if not payload.full_name.strip():
        raise HttpError(422, _("Cần ghi họ và tên."))
    if payload.password:
        try:
            validate_password(payload.password)
        except ValidationError as exc:
            raise HttpError(422, " ".join(exc.messages)) from exc
    if not check_code(payload.phone[:30], purpose=OneTimeCode.Purpose.REGISTER, code=payload.otp[:10]):
        raise HttpError(422, _("Mã chưa đúng hoặc đã hết hạn."))
    try:
        user = register(phone=payload.phone, full_name=payload.full_name[:150], password=payload.password)
    except (AccountExists, PhoneFull) as exc:
        return responses.Status(409, {"detail": str(exc)})
    return responses.Status(201, {"token": issue_token(user), "user": user_out(user)})
