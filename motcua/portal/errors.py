"""The server-error page: a database that cannot be reached (PostgreSQL restarting, a fail-over, a connection
lost) is a 503 that says to try again in a moment, with Retry-After; any other error is the 500 page.

Django calls `handler500` inside the `except` of the request that failed, so the exception is at hand.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

RETRY_AFTER = 30  # seconds: what a PostgreSQL restart or a fail-over takes, with room to spare


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError))


def server_error(request):
    if not database_unavailable(sys.exc_info()[1]):
        return default_server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Hệ thống đang tạm gián đoạn. Việc bạn vừa gửi chưa được lưu; bạn thử lại sau ít phút."
                )
            },
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
