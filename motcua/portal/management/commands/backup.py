from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and every stored file (the media folder or "
        "the bucket) into a new folder, with manifest.json (rows per table, each file's SHA-256). "
        "See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, *args, folder: Path, **options):
        try:
            manifest = backup(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["verbosity"]:
            return
        database, files = manifest["database"], manifest["files"]
        self.stdout.write(
            f"backup {folder}: {database['engine']} {database['file']} ({database['size']} bytes, "
            f"{sum(database['rows'].values())} rows in {len(database['rows'])} tables), "
            f"{files['count']} files ({files['bytes']} bytes)"
        )
