"""`manage.py rebuild_stats`: the summary rows again from the events (data from before the app, or after
an import); `--check` only compares, and fails when the kept rows differ from what the events say."""

from django.core.management.base import BaseCommand

from motcua.stats import services


class Command(BaseCommand):
    help = "Rebuild the statistics' summary rows from the dossiers' events (--check: compare only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare, change nothing; exit 1 on a difference"
        )
        parser.add_argument("--agency", type=int, default=None, help="one agency's primary key")

    def handle(self, *args, check: bool, agency: int | None, **options):
        if check:
            found, kept = services.replay(agency), services.kept(agency)
            differ = sorted(
                set(found) ^ set(kept) | {k for k in found.keys() & kept.keys() if found[k] != kept[k]}
            )
            for key in differ[:20]:
                self.stderr.write(f"{key}: events say {found.get(key)}, rows say {kept.get(key)}")
            if differ:
                raise SystemExit(1)
            self.stdout.write(f"{len(kept)} rows agree with the events.")
            return
        self.stdout.write(f"{services.rebuild(agency)} rows written from the events.")
