"""System checks for the site as a whole: a production start with development settings is refused.

At error level and outside `--deploy`, so every `manage.py` command and the WSGI server (motcua/wsgi.py)
stop with the message; skipped with DEBUG=1 (a developer's machine) or DEMO=1 (`make run`, a
demonstration)."""

from django.conf import settings
from django.core import checks


def _in_production() -> bool:
    return not (settings.DEBUG or getattr(settings, "DEMO", False))


@checks.register(checks.Tags.security)
def check_production_settings(app_configs, **kwargs):
    if not _in_production():
        return []
    errors = []
    if getattr(settings, "DEVELOPMENT_SECRET_KEY", None) == settings.SECRET_KEY:
        errors.append(
            checks.Error(
                "SECRET_KEY is the development key published in motcua/settings.py: anyone can forge "
                "sessions (sign in as any officer), password-reset links and signed receipts with it.",
                hint="Set SECRET_KEY to a long random value, e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, kept out of the "
                "repository (DEBUG=1 or DEMO=1 only on a development or demonstration machine).",
                id="motcua.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            checks.Error(
                "ALLOWED_HOSTS is empty: with DEBUG=0 every request would be answered 400 Bad Request.",
                hint="Set ALLOWED_HOSTS to the site's host names, comma-separated, e.g. "
                "ALLOWED_HOSTS=dichvucong.example.vn.",
                id="motcua.E002",
            )
        )
    return errors
