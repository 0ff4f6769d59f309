import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .fakes import FakeEsms, FakeZalo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday morning with no holiday near: due dates in the texts are fixed.
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def esms():
    service = FakeEsms()
    yield service
    service.close()


@pytest.fixture
def esms_backup():
    service = FakeEsms()
    yield service
    service.close()


@pytest.fixture
def zalo_service():
    service = FakeZalo()
    yield service
    service.close()


def esms_provider(service) -> dict:
    return {
        "BACKEND": "motcua.notifications.providers.EsmsProvider",
        "OPTIONS": {
            "url": service.url,
            "api_key": service.api_key,
            "secret": service.secret,
            "brandname": "UBND VINHLINH",
        },
    }


@pytest.fixture
def providers(settings, esms, esms_backup):
    """SMS through eSMS, then a second eSMS account (the backup brandname) when the first gives up."""
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms", "esms_backup"], "zalo": [], "email": ["email"]},
        "PROVIDERS": {"esms": esms_provider(esms), "esms_backup": esms_provider(esms_backup)},
        "HTTP_TIMEOUT": 0.3,
    }
    return settings.NOTIFICATIONS


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """What `db_worker` does, in the test's own transaction: run every task that is due, until none is.

    A worker runs outside any transaction, so what a task defers to on_commit happens when it ends.
    """
    from django_tasks_db.models import DBTaskResult

    def run() -> list:
        done = []
        while (row := DBTaskResult.objects.ready().first()) is not None:
            row.claim("test-worker")
            result = row.task_result
            with django_capture_on_commit_callbacks(execute=True):
                value = row.task.call(*result.args, **result.kwargs)
            row.set_successful(value)
            done.append(value)
        return done

    return run


def dossier_in(status, **kwargs):
    """A dossier brought to `status` through the real transitions, without the messages of the road
    there (stored with each transition) and the SMS budget they used: each test looks at its own step."""
    from motcua.dossiers.tests import factories
    from motcua.notifications.models import Message, SmsBudget

    dossier = factories.dossier_in(status, **kwargs)
    Message.objects.filter(dossier=dossier).delete()
    SmsBudget.objects.filter(agency=dossier.agency).delete()  # what those messages used
    return dossier
