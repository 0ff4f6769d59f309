from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.accounts import views as account_views
from motcua.api.api import api
from motcua.portal import language, operations
from motcua.portal import views as portal_views

admin.site.site_header = _("motcua — quản trị")
admin.site.site_title = _("motcua")

urlpatterns = [
    # First: an API client's every request resolves its route here without trying the pages' ~200 first.
    path("api/v1/", api.urls),
    path("", include("motcua.portal.urls")),
    path("", include("motcua.accounts.urls")),
    path("", include("motcua.dossiers.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.notifications.urls")),
    path("", include("motcua.nationalportal.urls")),
    path("", include("motcua.outreach.urls")),
    path("", include("motcua.stats.urls")),
    path("", include("motcua.feedback.urls")),
    path("can-bo/", include("motcua.dossiers.office_urls")),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("su-kien/", include("motcua.catalog.event_urls")),
    # The admin's sign-in under the limits of every other sign-in; it shadows the admin's own login URL.
    path("quan-tri/login/", account_views.admin_sign_in),
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/", language.switch, name="language"),
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
]

# The VNPay stand-in of the demonstration (payments/standin.py): mounted only with DEMO=1, never in
# production (its views refuse outside the demo too, and the check payments.E005 guards VNPAY_URL).
if settings.DEMO:
    urlpatterns.append(path("", include("motcua.payments.standin")))

# A database that cannot be reached answers 503 with "try again in a moment" (motcua/portal/errors.py).
handler500 = "motcua.portal.errors.server_error"
