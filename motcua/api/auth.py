from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from motcua.accounts.phones import login_key
from motcua.accounts.services import issue_token, roles_for, sign_in, user_for_token
from motcua.ratelimit import client_ip, too_many

router = Router(tags=["auth"])


class BearerToken(HttpBearer):
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


@router.post("/token", response=TokenOut, auth=None, summary="Đổi tên đăng nhập và mật khẩu lấy mã truy cập")
def token(request, credentials: Credentials):
    if too_many("token-ip", client_ip(request), limit=30, window=900) or too_many(
        "token-user", login_key(credentials.username), limit=10, window=900
    ):
        raise HttpError(429, _("Bạn đã thử quá nhiều lần. Vui lòng đợi 15 phút rồi thử lại."))
    user = sign_in(request, username=credentials.username[:150], password=credentials.password[:200])
    if user is None:
        raise HttpError(401, _("Số điện thoại (hoặc tên đăng nhập) hoặc mật khẩu chưa đúng."))
    return {"token": issue_token(user), "user": user_out(user)}
