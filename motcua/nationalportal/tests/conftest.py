import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .standin import StandInPortal

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday morning with no holiday near: the dates sent are fixed.
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
TASK = "motcua.nationalportal.services.deliver"


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def portal():
    """The stand-in for the national portal's adapter, on a real port."""
    stand_in = StandInPortal()
    yield stand_in
    stand_in.close()


@pytest.fixture
def connected(settings, portal):
    """motcua configured to synchronise with the stand-in."""
    settings.NATIONAL_PORTAL = portal.settings()
    return portal


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """What `db_worker` does, in the test's own transaction: run every synchronisation task that is due,
    until none is (the notifications' tasks are left alone). A worker runs outside any transaction, so
    what a task defers to on_commit happens when it ends."""
    from django_tasks_db.models import DBTaskResult

    def run() -> list:
        done = []
        while (row := DBTaskResult.objects.ready().filter(task_path=TASK).first()) is not None:
            row.claim("test-worker")
            result = row.task_result
            with django_capture_on_commit_callbacks(execute=True):
                value = row.task.call(*result.args, **result.kwargs)
            row.set_successful(value)
            done.append(value)
        return done

    return run


@pytest.fixture
def act(people, django_capture_on_commit_callbacks):
    """`act(dossier, action, who, **data)`: an action performed and committed, as in a request."""
    from motcua.dossiers.services import perform

    def perform_committed(dossier, action, who, note="", **data):
        with django_capture_on_commit_callbacks(execute=True):
            return perform(dossier, action, by=people[who], note=note, data=data)

    return perform_committed
