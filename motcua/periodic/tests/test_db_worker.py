"""`manage.py db_worker` outlives its database: a lost connection is waited out, then tasks run again
(a PostgreSQL restart under `make faults` used to end the worker, and with it every SMS delivery)."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from motcua.periodic.heartbeat import WORKER, last_seen, worker_beat
from motcua.periodic.management.commands import db_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_goes_away(monkeypatch):
    """The first two looks for a task fail as a PostgreSQL restart makes them fail; then it is back."""
    real = DBTaskResultQuerySet.get_locked
    failures = []

    def get_locked(self):
        if len(failures) < 2:
            failures.append(1)
            raise OperationalError("terminating connection due to administrator command")
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    monkeypatch.setattr(db_worker.time, "sleep", lambda seconds: None)
    return failures


def test_the_worker_waits_out_a_database_restart_and_goes_on_with_its_tasks(database_goes_away, caplog):
    worker_beat.enqueue()

    call_command("db_worker", "--queue-name", "*", "--no-reload", "--max-tasks", "1", "--no-startup-delay")

    assert len(database_goes_away) == 2
    assert last_seen(WORKER) is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "the database is unavailable (terminating connection" in caplog.text


def test_a_batch_run_still_ends_with_the_error(database_goes_away):
    with pytest.raises(OperationalError):
        call_command("db_worker", "--batch", "--no-startup-delay")
