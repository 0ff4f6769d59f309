import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into an EMPTY database (DATABASE_URL) and an EMPTY "
        "storage (MEDIA_ROOT or STORAGE_URL); checks every file's SHA-256 and counts the rows again. "
        "See docs/operations.md."
    )
    requires_system_checks = []  # the checks may read the database, which is empty until restored
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument("--json", action="store_true", help="Print what was checked as JSON.")

    def handle(self, *args, folder: Path, **options):
        try:
            checked = restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(checked, ensure_ascii=False))
            return
        self.stdout.write(
            f"restored {folder}: {sum(checked['rows'].values())} rows, {checked['files']} files "
            f"({checked['bytes']} bytes), every file's SHA-256 as in the manifest"
        )
        if checked["rows_differing"]:
            self.stdout.write(f"rows differing from the manifest (backup, now): {checked['rows_differing']}")
