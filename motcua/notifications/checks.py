"""System checks: a provider name that does not exist would fail every delivery at run time; SMS left on
the console in production would silently send no sign-in code at all."""

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from . import conf


@checks.register()
def check_providers(app_configs, **kwargs):
    errors = []
    configured = {**conf.BUILTIN_PROVIDERS, **conf.get("PROVIDERS")}
    for channel, names in conf.get("CHANNELS").items():
        for name in names:
            spec = configured.get(name)
            if spec is None:
                errors.append(
                    checks.Error(
                        f"NOTIFICATIONS['CHANNELS']['{channel}'] names the provider {name!r}, "
                        "which NOTIFICATIONS['PROVIDERS'] does not define.",
                        id="notifications.E001",
                    )
                )
                continue
            try:
                import_string(spec["BACKEND"])
            except (ImportError, KeyError) as exc:
                errors.append(
                    checks.Error(
                        f"Provider {name!r}: cannot import its BACKEND ({exc}).", id="notifications.E002"
                    )
                )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_sms_leaves_the_machine(app_configs, **kwargs):
    if getattr(settings, "DEMO", False) or "console" not in conf.get("CHANNELS").get("sms", []):
        return []
    return [
        checks.Warning(
            "SMS (sign-in codes included) are only written to the log.",
            hint="Set SMS_PROVIDERS (e.g. 'esms') and the provider's SMS_* variables.",
            id="notifications.W001",
        )
    ]
