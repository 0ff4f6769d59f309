from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from motcua import policy


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from motcua.periodic.services import register

        from .session_store import SessionStore, signed_in

        # Every route has an access rule; the policy is enforced by this app's PolicyMiddleware.
        checks.register(policy.check_routes)
        # How long a session lasts depends on who signed in and where (session_store).
        user_logged_in.connect(signed_in, dispatch_uid="motcua.accounts.session_lifetime")
        # Sessions past their expiry are never read again; their rows go once a day.
        register("clear_sessions", SessionStore.clear_expired, every=24 * 3600)
