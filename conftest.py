"""Shared test fixtures: the demo commune, its people, and the real catalogue."""

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
CATALOGUE_FILE = ROOT / "motcua" / "catalog" / "data" / "catalogue.json"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(scope="session")
def catalogue_data() -> dict:
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def catalogue(db, catalogue_data):
    """The real commune catalogue, as `make run` loads it."""
    from motcua.catalog.services import import_catalogue

    import_catalogue(catalogue_data)
    return catalogue_data


@pytest.fixture
def agency(db):
    from motcua.agencies.models import Agency

    return Agency.objects.create(
        agency_id="000.20.44.H54",
        name="Ủy ban nhân dân xã Vĩnh Linh",
        province_code=44,
        ward_code=19363,
        address="Xã Vĩnh Linh, tỉnh Quảng Trị",
        phone="0233 3 000 000",
    )


@pytest.fixture
def content(db):
    from motcua.portal.services import DATA, load_content

    load_content(DATA / "demo_content.json")
