import contextlib

from django.core.management.base import BaseCommand, CommandError

from motcua.periodic.services import is_leader, registered, run


class Command(BaseCommand):
    help = (
        "Run the periodic jobs the apps register (the outbox sweep, the national payment platform's "
        "status query, ...), each on its own interval, until stopped. Start it next to db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--job", action="append", default=[], help="Run only this job (repeatable); all by default."
        )
        parser.add_argument("--ticks", type=int, default=None, help="Stop after N ticks (1: run once).")

    def handle(self, *args, job: list[str], ticks: int | None, **options):
        if ticks is not None and ticks < 1:
            raise CommandError("--ticks must be at least 1.")
        jobs = registered()
        unknown = sorted(set(job) - set(jobs))
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. Registered: {', '.join(jobs)}.")
        selected = [jobs[name] for name in dict.fromkeys(job)] if job else list(jobs.values())
        if not selected:
            raise CommandError("No periodic job is registered.")
        if options["verbosity"]:
            plan = ", ".join(f"{j.name} every {j.every:g} s" for j in selected)
            self.stdout.write(f"periodic: {plan}")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C in `make run`: stop without a traceback
            run(selected, ticks=ticks, leader=is_leader)
