from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from motcua import policy


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        # Every route has an access rule; the policy is enforced by this app's PolicyMiddleware.
        checks.register(policy.check_routes)
