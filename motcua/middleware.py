"""Refuse, once for every page, a request whose path, query string, form, headers or cookies hold a control
character (a NUL included) or a lone surrogate: 400 with a plain Vietnamese message.

PostgreSQL cannot store a NUL, so one in a lookup code, a procedure code in the path or a name typed in a
form was a 500 at the first query that carried it; no other control character belongs in what a person
types either. Tab and line breaks pass (a textarea has them).

Under /api/ only the path, headers and cookies are checked here: the JSON API reads its query strings,
JSON bodies and upload forms through its own parser, which refuses the same characters (motcua/api/api.py).
Reading a body here would spend what the bank's webhook checks its signature on, and a payment gateway's
callback (the VNPay IPN) is answered in the gateway's own protocol whatever its query holds.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from whitenoise.middleware import WhiteNoiseMiddleware

from motcua.text import has_controls

API_PREFIX = "/api/"  # motcua/urls.py mounts the API here; it answers in JSON


def refusal() -> str:
    return _("Yêu cầu có ký tự điều khiển (như ký tự NUL), không xử lý được. Bạn xóa ký tự đó rồi gửi lại.")


class RefuseControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _clean(request):
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": refusal()}, status=400)
            return HttpResponse(refusal(), status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _clean(request) -> bool:
    texts = [request.path, request.META.get("CONTENT_TYPE", "")]
    texts += [
        value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)
    ]
    texts += [*request.COOKIES.keys(), *request.COOKIES.values()]
    if not request.path.startswith(API_PREFIX):
        texts += _fields(request.GET)
        if request.method == "POST":
            texts += [*_fields(request.POST), *request.FILES]
            texts += [upload.name or "" for _key, uploads in request.FILES.lists() for upload in uploads]
    return not any(has_controls(text) for text in texts)


def _fields(data) -> list[str]:
    """A query string's or a form's names and values."""
    return [text for key, values in data.lists() for text in (key, *values)]


# --- middleware the JSON API does without ---------------------------------------------------------------
# The API (/api/) answers JSON to callers known by a bearer token only, never by the session cookie
# (motcua.accounts.access.PolicyMiddleware), so it needs no session, no CSRF check (no cookie can
# authenticate a write there), no signed-in user from the session, no flash messages, no kept answers and
# no static files. `pages_only(X)` runs middleware X for every other path and passes /api/ straight
# through; what every answer needs stays in the stack as it was: request ids and metrics, the security
# headers (SecurityMiddleware, X-Frame-Options, CSP), this module's refusal of control characters,
# compression, the language (LocaleMiddleware: the API speaks the caller's Accept-Language) and the
# access policy. A public API view sees an anonymous `request.user`.


def pages_only(middleware: type, *, api_user: bool = False) -> type:
    """Middleware `middleware` for pages only (see above), as a subclass of it (the admin's checks look
    for its session and messages middleware by class). `api_user`: set `request.user` to an anonymous user
    on /api/ (the access policy replaces it with the bearer token's caller where a route needs one)."""

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            if api_user:
                request.user = _anonymous()
            return self.get_response(request)
        return middleware.__call__(self, request)

    attributes = {
        "__call__": __call__,
        "__doc__": f"{middleware.__module__}.{middleware.__name__}, for every path but /api/.",
        "__module__": __name__,
    }
    if hasattr(middleware, "process_view"):

        def process_view(self, request, view, args, kwargs):
            if request.path_info.startswith(API_PREFIX):
                return None
            return middleware.process_view(self, request, view, args, kwargs)

        attributes["process_view"] = process_view
    return type(f"{middleware.__name__}ForPages", (middleware,), attributes)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# Named in settings.MIDDLEWARE in place of the middleware they wrap.
StaticFilesForPages = pages_only(WhiteNoiseMiddleware)
SessionsForPages = pages_only(SessionMiddleware)
CsrfForPages = pages_only(CsrfViewMiddleware)
AuthenticationForPages = pages_only(AuthenticationMiddleware, api_user=True)
MessagesForPages = pages_only(MessageMiddleware)
