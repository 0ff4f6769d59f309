"""The JSON API under /api/v1/: one router per app, errors as {"detail": ...} in Vietnamese."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from motcua.documents.api import router as documents_router
from motcua.notifications.api import router as notifications_router
from motcua.payments.api import dossier_router as payments_dossier_router
from motcua.payments.api import router as payments_router

from .auth import router as auth_router
from .catalog import router as catalog_router
from .dossiers import lookup_router
from .dossiers import router as dossiers_router

api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Dịch vụ công trực tuyến cấp xã — API công khai.",
    docs_url=None,  # the Swagger page loads scripts from a CDN, which our CSP forbids
    urls_namespace="api",
)


def _message(error: dict) -> str:
    """pydantic's error, said in Vietnamese."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    messages = {
        "missing": _("Thông tin này là bắt buộc."),
        "int_parsing": _("Phải là số nguyên."),
        "int_type": _("Phải là số nguyên."),
        "string_type": _("Phải là chuỗi chữ."),
        "bool_parsing": _("Phải là true hoặc false."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "json_invalid": _("Nội dung gửi lên không phải JSON hợp lệ."),
        "model_attributes_type": _("Phải là một đối tượng JSON."),
    }
    if kind == "greater_than_equal":
        return _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": context.get("ge")}
    if kind == "less_than_equal":
        return _("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": context.get("le")}
    return str(messages.get(kind, _("Giá trị không hợp lệ.")))


def _field(error: dict) -> str | None:
    # ("body", "payload", "procedure") names the JSON field "procedure"; ("query", "limit") is "limit".
    location = list(error.get("loc", ()))
    parts = location[2:] if location[:1] == ["body"] else location[1:]
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    errors = [{"field": _field(e), "message": _message(e)} for e in exc.errors]
    return api.create_response(request, {"detail": errors, "message": _("Dữ liệu không hợp lệ.")}, status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc: AuthenticationError):
    message = _("Bạn cần đăng nhập: mã truy cập thiếu, sai hoặc đã hết hạn.")
    return api.create_response(request, {"detail": message}, status=401)


api.add_router("/auth", auth_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/lookup", lookup_router)
api.add_router("/dossiers", payments_dossier_router)
api.add_router("/dossiers", documents_router)
api.add_router("/notifications", notifications_router)
api.add_router("/payments", payments_router)
