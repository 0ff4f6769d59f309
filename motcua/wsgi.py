import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()


def refuse_insecure_settings() -> None:
    """`manage.py` commands run the system checks before they start; a WSGI server does not. The security
    checks that refuse production with development settings (a few milliseconds) run here too."""
    errors = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.is_serious()]
    if errors:
        raise ImproperlyConfigured("motcua will not start:\n" + "\n".join(str(m) for m in errors))


refuse_insecure_settings()
