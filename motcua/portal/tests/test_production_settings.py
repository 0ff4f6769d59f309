"""Production refuses to start with development settings: the development SECRET_KEY or an empty
ALLOWED_HOSTS stops every `manage.py` command (a system check at error level, not only under --deploy) and
the WSGI server; a developer's machine (DEBUG=1) and a demonstration (DEMO=1) may keep them."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.portal.checks import check_production_settings

PRODUCTION_KEY = "kQ3v0m5L2cX9rW7tY1uB8nE4aZ6sD0fG2hJ5kL7pO9iU3yT1rE5wQ8"

pytestmark = pytest.mark.django_db  # `check` opens the database connection


@pytest.fixture
def production(settings):
    """What `make deploy-check` sets: DEBUG=0, no DEMO, a random key, the site's host."""
    settings.DEBUG, settings.DEMO = False, False
    settings.SECRET_KEY = PRODUCTION_KEY
    settings.ALLOWED_HOSTS = ["dichvucong.example.vn"]
    return settings


def test_production_settings_start(production):
    assert check_production_settings(None) == []
    call_command("check", stdout=io.StringIO())  # raises on any error


def test_the_development_secret_key_stops_every_command_in_production(production):
    production.SECRET_KEY = production.DEVELOPMENT_SECRET_KEY

    with pytest.raises(SystemCheckError) as refused:
        call_command("check")

    assert "(motcua.E001) SECRET_KEY is the development key" in str(refused.value)
    assert "Set SECRET_KEY to a long random value" in str(refused.value)


def test_an_empty_allowed_hosts_stops_every_command_in_production(production):
    production.ALLOWED_HOSTS = []

    assert [e.id for e in check_production_settings(None)] == ["motcua.E002"]
    with pytest.raises(SystemCheckError, match=r"\(motcua\.E002\) ALLOWED_HOSTS is empty"):
        call_command("check")


@pytest.mark.parametrize("machine", ["DEBUG", "DEMO"])
def test_a_development_or_demonstration_machine_may_keep_them(production, machine):
    production.SECRET_KEY, production.ALLOWED_HOSTS = production.DEVELOPMENT_SECRET_KEY, []
    setattr(production, machine, True)

    assert check_production_settings(None) == []


def _start_wsgi(**environ) -> subprocess.CompletedProcess:
    """Import motcua.wsgi in a fresh Python, as granian does at start-up."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DEMO", "ALLOWED_HOSTS")}
    env.update(DJANGO_SETTINGS_MODULE="motcua.settings", **environ)
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import motcua.wsgi"], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_wsgi_server_refuses_to_start_with_the_development_key():
    refused = _start_wsgi(DEBUG="0")
    started = _start_wsgi(DEBUG="0", SECRET_KEY=PRODUCTION_KEY)

    assert refused.returncode != 0
    assert "ImproperlyConfigured: motcua will not start:" in refused.stderr
    assert "(motcua.E001) SECRET_KEY is the development key" in refused.stderr
    assert started.returncode == 0, started.stderr
