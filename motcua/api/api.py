"""The JSON API under /api/v1/: each app's router mounted here, and every error mapped here, once.

Routers raise what the services raise; the caller reads {"detail": ...} in Vietnamese:

- a body that is not JSON (NaN and 1e999 included), or text with a control character (a NUL included)
  anywhere in a query string, a JSON body or an upload's form (`Unreadable`, raised by the parser below;
  motcua.middleware refuses it in the path, headers and cookies): 400;
- input that does not fit the schema (ninja's ValidationError) or the rules (`Invalid`): 422, field by field;
- no token, or a bad one: 401;
- an action the dossier's status does not allow (`NotAllowed`): 409; one the caller's role does not
  allow on a dossier they may see (`Forbidden`): 403;
- what does not exist or the caller may not see (`Http404`, with the message to show): 404 — the same
  answer either way, so that nobody learns another person's dossier exists.

Other HttpErrors (429, an app's own 401 or 422) keep ninja's default: {"detail": message}.
"""

import json
import math

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from motcua.accounts.access import sign_in_needed
from motcua.accounts.api import router as auth_router
from motcua.catalog.api import router as catalog_router
from motcua.documents.api import router as documents_router
from motcua.dossiers.api import lookup_router
from motcua.dossiers.api import router as dossiers_router
from motcua.dossiers.lifecycle import Forbidden, Invalid, NotAllowed
from motcua.middleware import refusal
from motcua.notifications.api import router as notifications_router
from motcua.payments.api import dossier_router as payments_dossier_router
from motcua.payments.api import router as payments_router
from motcua.stats.api import router as stats_router
from motcua.text import has_controls


class Unreadable(ValueError):
    """A request body the API refuses to read, with the message for the caller."""


class RefusingParser(Parser):
    """Query strings, JSON bodies and upload forms as ninja reads them, refusing what motcua.middleware
    refuses in pages: a control character (a NUL included) or a lone surrogate in any key or value."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body, parse_constant=_not_json, parse_float=_finite)
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, nested beyond reason
            raise Unreadable(_("Nội dung gửi lên không phải JSON hợp lệ.")) from exc
        _refuse_controls(_strings(data))
        return data

    def parse_querydict(self, data, list_fields, request):
        texts = [text for key, values in data.lists() for text in (key, *values) if isinstance(text, str)]
        texts += [
            value.name or "" for _key, values in data.lists() for value in values if hasattr(value, "name")
        ]
        _refuse_controls(texts)
        return super().parse_querydict(data, list_fields, request)


def _not_json(constant: str):
    # Python reads NaN and Infinity, which JSON does not have and PostgreSQL's jsonb refuses (a 500).
    raise ValueError(f"{constant} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999 reads as infinity
        raise ValueError(f"{text} is out of range")
    return number


def _strings(data) -> list[str]:
    """Every key and string value of a JSON document, however deep (without recursion)."""
    found, pending = [], [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return found


def _refuse_controls(texts: list[str]) -> None:
    if any(has_controls(text) for text in texts):
        raise Unreadable(refusal())


api = NinjaAPI(
    title="motcua API",
    version="1",
    description="Dịch vụ công trực tuyến cấp xã — API công khai.",
    docs_url=None,  # the Swagger page loads scripts from a CDN, which our CSP forbids
    urls_namespace="api",
    parser=RefusingParser(),
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
    if kind == "string_too_long":
        return _("Quá dài: không quá %(n)s ký tự.") % {"n": context.get("max_length")}
    if kind == "too_long":
        return _("Quá nhiều: không quá %(n)s mục.") % {"n": context.get("max_length")}
    return str(messages.get(kind, _("Giá trị không hợp lệ.")))


def _field(error: dict) -> str | None:
    # ("body", "payload", "procedure") names the JSON field "procedure"; ("query", "limit") is "limit".
    location = list(error.get("loc", ()))
    parts = location[2:] if location[:1] == ["body"] else location[1:]
    return ".".join(str(part) for part in parts) or None


def _field_errors(request, errors: list[dict]):
    return api.create_response(request, {"detail": errors, "message": _("Dữ liệu không hợp lệ.")}, status=422)


@api.exception_handler(Unreadable)  # ninja reads query strings and forms without wrapping the parser's errors
def unreadable(request, exc: Unreadable):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # ninja wraps what the parser raises on a body in HttpError(400, "Cannot parse request body"): say why.
    cause = exc.__cause__
    message = str(cause) if isinstance(cause, Unreadable) else exc.message
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    return _field_errors(request, [{"field": _field(e), "message": _message(e)} for e in exc.errors])


@api.exception_handler(Invalid)
def invalid(request, exc: Invalid):
    return _field_errors(
        request, [{"field": field, "message": message} for field, message in exc.errors.items()]
    )


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": sign_in_needed()}, status=401)


@api.exception_handler(NotAllowed)
def not_allowed(request, exc: NotAllowed):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Forbidden)  # a NotAllowed; ninja picks the handler of the closest class
def forbidden(request, exc: Forbidden):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or _("Không tìm thấy.")}, status=404)


api.add_router("/auth", auth_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/lookup", lookup_router)
api.add_router("/dossiers", payments_dossier_router)
api.add_router("/dossiers", documents_router)
api.add_router("/notifications", notifications_router)
api.add_router("/payments", payments_router)
api.add_router("/stats", stats_router)
