"""The benchmark's URLs: motcua's own plus a raw-SQL lookup to compare the ORM and templates against.

Used only when `make bench-dossiers` starts the server with ROOT_URLCONF=bench.urls.
"""

from django.db import connection
from django.http import Http404, JsonResponse
from django.urls import path

from motcua import policy
from motcua.urls import urlpatterns as motcua_urls


def raw_lookup(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.code, d.status, d.due_at, d.applicant_phone FROM dossiers_dossier d WHERE d.code = %s",
            [request.GET.get("code", "")],
        )
        row = cursor.fetchone()
    if row is None or not row[3].endswith(request.GET.get("phone_last4", "-")):
        raise Http404
    return JsonResponse({"code": row[0], "status": row[1], "due_at": row[2].isoformat() if row[2] else None})


policy.declare("bench/raw-lookup", policy.public("the benchmark's raw-SQL reference lookup"))
urlpatterns = [path("bench/raw-lookup", raw_lookup), *motcua_urls]
