import json

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import CatalogueError, export_catalogue, import_catalogue


class Command(BaseCommand):
    help = "Import or export the catalogue, procedures and life events, as JSON (format motcua.catalogue/1)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a catalogue file; all or nothing")
        imp.add_argument("path")
        exp = sub.add_parser("export", help="write the whole catalogue to a file, or to standard output")
        exp.add_argument("path", nargs="?", default="-")

    def handle(self, *args, action, path, **options):
        if action == "import":
            try:
                with open(path, encoding="utf-8") as f:
                    data = json.load(f)
            except (OSError, ValueError) as exc:
                raise CommandError(f"Không đọc được {path}: {exc}") from None
            try:
                count = import_catalogue(data)
            except CatalogueError as exc:
                raise CommandError(f"Không nhập gì cả. Bản ghi lỗi:\n{exc}") from None
            self.stdout.write(f"Đã nhập {count} thủ tục.")
            if events := len(data.get("life_events") or []):
                self.stdout.write(f"Đã nhập {events} sự kiện cuộc sống.")
        else:
            text = json.dumps(export_catalogue(), ensure_ascii=False, indent=2)
            if path == "-":
                self.stdout.write(text)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text + "\n")
                self.stderr.write(f"Đã ghi {path}.")
