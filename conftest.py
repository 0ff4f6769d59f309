"""Shared test fixtures: the demo commune, its people, and the real catalogue."""

import json
import os
import random
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
CATALOGUE_FILE = ROOT / "motcua" / "catalog" / "data" / "catalogue.json"


def pytest_configure(config):
    # WhiteNoise serves collected files from here in production; tests find them through the finders.
    (ROOT / "staticfiles").mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"
    settings.PERIODIC_LOCK_KEY = random.getrandbits(31)  # the scheduler's lock: this test's own
    from motcua import ratelimit
    from motcua.agencies.services import forget_site_agency
    from motcua.catalog import search
    from motcua.workdays.services import clear_cache

    # Announced days off, the search index, the lookup's pending attempts and the site agency are kept
    # per process; a test's rows are rolled back.
    clear_cache()
    search.clear_cache()
    ratelimit.forget()
    forget_site_agency()
    yield
    clear_cache()
    search.clear_cache()
    ratelimit.forget()
    forget_site_agency()


@pytest.fixture(scope="session")
def catalogue_data() -> dict:
    return json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


# --- what every test database holds ---------------------------------------------------------------------
# The real catalogue is imported once per session, next to the rows the data migrations seed: each
# ordinary test runs in a transaction that is rolled back over them. Importing it per test cost ~0.2 s in
# each of ~675 tests. A transactional test (threads, live server) flushes every table when it ends, so
# `pytest_runtest_teardown` puts both back for the tests after it.
SEEDING_MIGRATIONS = (
    "documents.0002_seed_templates",
    "documents.0003_fee_receipt",
    "documents.0004_forms_from_15_9_2025_lawdates",
    "documents.0005_fee_receipt_2025",
)
CALENDAR_MIGRATION = "workdays.0003_announced_days_2025_2026"  # the announced days off and swaps
_restore_baseline = pytest.StashKey()


def _load_baseline(catalogue_data: dict) -> None:
    import importlib

    from django.apps import apps

    from motcua.catalog.services import import_catalogue
    from motcua.documents.models import DocumentTemplate
    from motcua.workdays.models import DayOverride

    if not DocumentTemplate.objects.exists():
        for name in SEEDING_MIGRATIONS:
            app, migration = name.split(".")
            importlib.import_module(f"motcua.{app}.migrations.{migration}").seed(apps, None)
    if not DayOverride.objects.exists():
        app, migration = CALENDAR_MIGRATION.split(".")
        importlib.import_module(f"motcua.{app}.migrations.{migration}").seed(apps, None)
    if not _has_catalogue(catalogue_data):
        import_catalogue(catalogue_data)


def _has_catalogue(catalogue_data: dict) -> bool:
    """A flush empties the table, so one procedure of the file tells whether the whole file is there."""
    from motcua.catalog.models import Procedure

    first = catalogue_data["procedures"][0]
    return Procedure.objects.filter(code=first["code"], valid_from=first["valid_from"]).exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, catalogue_data, request):
    def restore() -> None:
        from django.db import connections

        with django_db_blocker.unblock():
            _load_baseline(catalogue_data)
            # Once Playwright's sync API has started, tests run in another context, with connections of
            # their own; one left open in this context would outlive the test database, leaving its -wal
            # and -shm files behind.
            connections.close_all()

    restore()
    request.config.stash[_restore_baseline] = restore
    yield
    del request.config.stash[_restore_baseline]


def _flushes_database(item: pytest.Item) -> bool:
    """Whether pytest-django runs `item` as a TransactionTestCase, which empties every table at the end."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    used = set(getattr(item, "fixturenames", ()))
    return bool(used & {"transactional_db", "live_server", "django_db_reset_sequences"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    restore = item.config.stash.get(_restore_baseline, None)
    # Without a next test the session fixtures, the test database among them, are already gone.
    if restore is not None and nextitem is not None and _flushes_database(item):
        restore()
    return result


@pytest.fixture
def catalogue(db, catalogue_data):
    """The real commune catalogue, as `make run` loads it: already in the test database (see above)."""
    if not _has_catalogue(catalogue_data):  # never expected; correct, only slower, if it happens
        from motcua.catalog.services import import_catalogue

        import_catalogue(catalogue_data)
    return catalogue_data


@pytest.fixture
def empty_catalogue(db):
    """No procedure and no exemption category, as in a fresh database; rolled back with the test."""
    from motcua.catalog.models import ExemptionCategory, Procedure

    Procedure.objects.all().delete()
    ExemptionCategory.objects.all().delete()


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


# --- the real browser ------------------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
OUTPUT = ROOT / "test-output"
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: CI must install Debian's chromium package.")
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests need it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visitor:
    """A person in front of a browser: a page plus the console errors it has shown."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def screenshot(self, name: str) -> None:
        OUTPUT.mkdir(exist_ok=True)
        self.page.screenshot(path=OUTPUT / f"{name}.png", full_page=True)


def _visitor(browser, live_server, device: dict, **options):
    context = browser.new_context(locale="vi-VN", **device, **options)
    visitor = Visitor(context, live_server.url)
    yield visitor
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A citizen on a cheap Android phone, 360×740."""
    yield from _visitor(browser, live_server, PHONE)


@pytest.fixture
def desktop(browser, live_server):
    """An officer at a desktop screen."""
    yield from _visitor(browser, live_server, DESKTOP)


@pytest.fixture
def phone_without_js(browser, live_server):
    yield from _visitor(browser, live_server, PHONE, java_script_enabled=False)


@pytest.fixture
def open_visitor(browser, live_server):
    """Opens a fresh browser context (another person, or an anonymous one) on a device (PHONE, DESKTOP,
    with context options such as `java_script_enabled`), and closes them all afterwards."""
    contexts = []

    def open_(device: dict, **options) -> Visitor:
        context = browser.new_context(locale="vi-VN", **device, **options)
        contexts.append(context)
        return Visitor(context, live_server.url)

    yield open_
    for context in contexts:
        context.close()


def assert_accessible(visitor: Visitor, name: str) -> None:
    """axe-core finds no violation of WCAG 2.x A/AA or best practice on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(visitor.page)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


# --- people ----------------------------------------------------------------------------------------------
def _person(username, full_name, *, phone=None, agency=None, roles=(), body=None):
    from django.contrib.auth import get_user_model

    from motcua.agencies.services import set_officer

    user = get_user_model().objects.create_user(
        username=username, password="demo-2026", full_name=full_name, phone=phone
    )
    if agency is not None:
        set_officer(user, agency=agency, roles=list(roles), body=body)
        user.refresh_from_db()
    return user


@pytest.fixture
def citizen(db):
    return _person("+84912345678", "Nguyễn Thị Hường", phone="+84912345678")


@pytest.fixture
def other_citizen(db):
    return _person("+84987654321", "Lê Văn Nam", phone="+84987654321")


@pytest.fixture
def desk(agency):
    """The one-stop officer (cán bộ một cửa)."""
    return _person("motcua", "Trần Thị Mai", agency=agency, roles=["onestop"])


@pytest.fixture
def specialist(agency):
    return _person("chuyenvien", "Lê Văn Hùng", agency=agency, roles=["specialist"])


@pytest.fixture
def leader(agency):
    return _person("lanhdao", "Nguyễn Văn Bình", agency=agency, roles=["leader"])


@pytest.fixture
def police(agency):
    """The chief of the commune police (Công an xã Vĩnh Linh), as the demo's `congan`: handles and approves
    the residence dossiers the desk receives, and acts on no other."""
    from motcua.agencies.models import Body, BodyKind

    body = Body.objects.create(
        agency=agency,
        kind=BodyKind.POLICE,
        name="Công an xã Vĩnh Linh",
        parent_name="Công an tỉnh Quảng Trị",
        signer_title="Trưởng Công an xã",
    )
    return _person("congan", "Trần Văn Công", agency=agency, roles=["specialist", "leader"], body=body)


@pytest.fixture
def community(agency):
    """A volunteer of the community digital team: files for people who ask, sees only what they filed."""
    return _person("congdong", "Võ Văn Tâm", agency=agency, roles=["community"])


@pytest.fixture
def administrator(agency):
    """The commune's administrator (Django admin), as the demo's `quantri`."""
    user = _person("quantri", "Phạm Minh Quân", agency=agency, roles=["admin"])
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


@pytest.fixture
def people(citizen, desk, specialist, leader):
    """The named personas of one commune, by role."""
    return {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}


@pytest.fixture
def other_agency(db):
    from motcua.agencies.models import Agency

    return Agency.objects.create(
        agency_id="000.21.44.H54",
        name="Ủy ban nhân dân xã Cửa Tùng",
        province_code=44,
        ward_code=19414,
        address="Xã Cửa Tùng, tỉnh Quảng Trị",
    )


@pytest.fixture
def other_desk(other_agency):
    """A one-stop officer of another commune: must see nothing of ours."""
    return _person(
        "motcua.cuatung", "Hoàng Thị Lan", agency=other_agency, roles=["onestop", "specialist", "leader"]
    )


# --- sign-in codes ---------------------------------------------------------------------------------------
@pytest.fixture
def texted():
    """The sign-in codes texted during the test, as (phone, text), oldest first. They still go through the
    real sender (the notifications app's SMS outbox); this only listens, so that the tests of apps below
    notifications can read a code without importing it."""
    from motcua.accounts import services

    real = services._code_senders[0]
    sent: list[tuple[str, str]] = []

    def listen(phone: str, text: str) -> None:
        real(phone, text)
        sent.append((phone, text))

    services.set_code_sender(listen)
    yield sent
    services.set_code_sender(real)


# --- a dossier, for the tests of apps below dossiers ------------------------------------------------------
@pytest.fixture
def filed(catalogue):
    """`filed(citizen, agency)`: a birth registration filed online, so that the citizen has a dossier at the
    agency. For the tests of apps that sit below dossiers and cannot import it (accounts)."""
    from motcua.dossiers.tests.factories import file_birth

    return file_birth


# Object storage: moto's S3 server in its own process (testkit/s3.py), and a fresh bucket per test.
from testkit.s3 import object_storage, s3_server  # noqa: E402, F401
