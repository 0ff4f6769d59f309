import pytest

# The data migrations that seed `DocumentTemplate`, in order: the slips, then the fee receipt.
SEEDING_MIGRATIONS = ("0002_seed_templates", "0003_fee_receipt")


@pytest.fixture
def people(citizen, desk, specialist, leader):
    return {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://dichvucong.vinhlinh.example.vn"
    return settings.SITE_URL


@pytest.fixture(autouse=True)
def _templates(request):
    """The slip and receipt templates come from data migrations, which a transactional test's flush empties:
    put them back for any database test that runs after one."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    import importlib

    from django.apps import apps

    from motcua.documents.models import DocumentTemplate

    if not DocumentTemplate.objects.exists():
        for migration in SEEDING_MIGRATIONS:
            importlib.import_module(f"motcua.documents.migrations.{migration}").seed(apps, None)
