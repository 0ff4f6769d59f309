"""The app's settings, read from `settings.NOTIFICATIONS` with defaults that make `make run` work.

`CHANNELS` lists, per outside channel, the provider names to try in order; `PROVIDERS` names each one's
class and options. `console`, `email` need no options and exist even when not listed in `PROVIDERS`.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "CHANNELS": {"sms": ["console"], "zalo": [], "email": ["email"]},
    "PROVIDERS": {},
    # Seconds to wait after the 1st, 2nd, 3rd temporary failure on one provider before trying it again;
    # once they are used up, the next provider is tried at once.
    "RETRY_DELAYS": [60, 300, 1500],
    # Sign-in codes expire in minutes: after one quick retry, move on to the next provider.
    "URGENT_RETRY_DELAYS": [15],
    "URGENT_KINDS": ["otp"],
    # A worker that claimed a message this long ago and never finished is presumed dead.
    "STALE_AFTER": 600,
    "HTTP_TIMEOUT": 10,
    # SMS parts a month: each agency's (its dossier notices), and the codes' (sign-in, registration; no
    # agency; None = as much as an agency), of which codes to numbers with no account may use a slice.
    "SMS_MONTHLY_LIMIT": 2000,
    "SMS_CODE_MONTHLY_LIMIT": None,
    "SMS_NEW_NUMBER_MONTHLY_LIMIT": 500,
    # Per phone and hour: dossier notices and codes are counted apart, so that asking for codes never
    # silences a person's notices.
    "SMS_PER_PHONE_PER_HOUR": 10,
    "SMS_CODES_PER_PHONE_PER_HOUR": 6,
    # Zalo ZNS sends only approved templates: event kind -> template id.
    "ZALO_TEMPLATES": {},
}

BUILTIN_PROVIDERS = {
    "console": {"BACKEND": "motcua.notifications.providers.ConsoleProvider"},
    "email": {"BACKEND": "motcua.notifications.providers.EmailProvider"},
}


# Providers as an officer reads them on the outbox page; a provider added in settings may carry a "LABEL".
PROVIDER_LABELS = {
    "console": _("Máy thử (chỉ ghi vào nhật ký)"),
    "email": _("Thư điện tử"),
    "esms": _("eSMS"),
    "esms_backup": _("eSMS (tài khoản dự phòng)"),
    "zalo": _("Zalo ZNS"),
}


def provider_label(name: str) -> str:
    if not name:
        return ""
    spec = get("PROVIDERS").get(name) or {}
    return str(spec.get("LABEL") or PROVIDER_LABELS.get(name) or name)


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "NOTIFICATIONS", {})}[name]


def development() -> bool:
    """Show console-sent texts (sign-in codes) on the outbox page: never in production."""
    return bool(settings.DEBUG or getattr(settings, "DEMO", False))
