"""The JSON API under /api/v1/: one router per app, errors as {"detail": ...} in Vietnamese."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

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


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    errors = [
        {"field": ".".join(str(part) for part in e.get("loc", ())[1:]) or None, "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors, "message": _("Dữ liệu không hợp lệ.")}, status=422)


api.add_router("/auth", auth_router)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/lookup", lookup_router)
