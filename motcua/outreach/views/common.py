import re

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from motcua.catalog.models import Procedure
from motcua.catalog.services import get_procedure

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def site_url(request) -> str:
    """The address printed in QR codes: SITE_URL, or the host the request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def procedure_or_404(code: str) -> Procedure:
    procedure = get_procedure(code)
    if procedure is None:
        raise Http404
    return procedure


def pdf_response(content: bytes, filename: str, *, public: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if public:  # the same for everyone reading the same language
        response["Cache-Control"] = "public, max-age=600"
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def audio_response(request, field_file, *, etag: str, filename: str, public: bool) -> HttpResponse:
    """An MP3, with the byte ranges a phone's player asks for (Safari plays nothing without them)."""
    tag = f'"{etag[:32]}"'
    if request.headers.get("If-None-Match") == tag:
        return HttpResponseNotModified()
    with field_file.open("rb") as handle:
        content = handle.read()
    size = len(content)
    status, body, headers = 200, content, {}
    match = RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status, body = 206, content[start : end + 1]
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    response = HttpResponse(body, status=status, content_type="audio/mpeg")
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = tag
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    for key, value in headers.items():
        response[key] = value
    return response
