"""A throwaway database for one benchmark run, never the one `make run` uses."""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Django set up on a migrated SQLite file in a temporary directory (or on BENCH_DATABASE_URL)."""
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"))
        yield
