"""`manage.py db_worker`, django-tasks-db's worker, made to outlive its database: a PostgreSQL restart or a
lost connection is logged and waited out (1, 2, 4 ... 30 s), then the worker goes on taking tasks, instead
of the process ending with the OperationalError (and, without a supervisor that restarts it, no outbox
message being delivered any more). A task that was running when the database went away stays claimed; its
outbox message is sent again by the sweep (notifications.services.sweep), as for a worker that died.

This command shadows django-tasks-db's own because motcua.periodic comes before it in INSTALLED_APPS.
"""

import contextlib
import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("motcua.periodic")
LONGEST_WAIT = 30.0


class Worker(db_worker.Worker):
    def run(self) -> None:
        wait = 1.0
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if not self.running or self.batch:
                    raise
                logger.warning(
                    "db_worker %s: the database is unavailable (%s); trying again in %.0f s",
                    self.worker_id,
                    str(exc).strip().splitlines()[0] if str(exc) else exc,
                    wait,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(OperationalError, InterfaceError):
                        connection.close()
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
                self.startup_delay = False


class Command(db_worker.Command):
    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = Worker  # the one name django-tasks-db's handle() builds its worker from
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
