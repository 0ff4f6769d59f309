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

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

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
