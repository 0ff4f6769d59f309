"""The transactional outbox: a transition's messages are stored with it, so a process that dies between
the commit and the hand-over to the worker loses none — the sweep finds it, the worker sends it once."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Event, Status
from motcua.notifications import services
from motcua.notifications.models import Message

from .conftest import dossier_in

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]

# Receives the dossier, and dies the moment the transaction has committed: before any other on-commit
# hook (the hand-over of the message to the worker) has run.
DIE_AFTER_COMMIT = """
import os, sys
import django
django.setup()
from django.db import transaction
from motcua.dossiers.lifecycle import perform
from motcua.dossiers.models import Dossier
from django.contrib.auth import get_user_model

dossier = Dossier.objects.get(code=sys.argv[1])
desk = get_user_model().objects.get(username="motcua")
with transaction.atomic():
    transaction.on_commit(lambda: os._exit(9))
    perform(dossier, "receive", by=desk)
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def _run(args: list[str], esms) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        # a production worker: its own key (the development one stops the start-up, portal/checks.py)
        "SECRET_KEY": "worker-key-for-the-outbox-crash-test-6f1d0c2a9b8e7d6c5b4a3f2e1d0c9b8a",
        "SMS_PROVIDERS": "esms",
        "SMS_API_URL": esms.url,
        "SMS_API_KEY": esms.api_key,
        "SMS_SECRET": esms.secret,
        "SMS_BRANDNAME": "UBND VINHLINH",
        "TASKS_BACKEND": "db",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_message_survives_a_crash_between_commit_and_delivery_and_is_delivered_once(
    catalogue, agency, people, esms
):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    DBTaskResult.objects.all().delete()  # the filing's own hand-over, done before this test's story
    connection.close()  # the child process must see every committed row; SQLite must not be held open

    died = _run(["-c", DIE_AFTER_COMMIT, dossier.code], esms)

    assert died.returncode == 9, died.stderr
    receipt = Event.objects.get(dossier=dossier, action="receive")  # the transition committed ...
    sms = Message.objects.get(event=receipt, channel="sms")  # ... and its message with it
    assert (sms.status, DBTaskResult.objects.count(), esms.sent()) == ("queued", 0, [])

    # A minute later the periodic sweep hands it over, and the real worker delivers it.
    assert services.sweep(now=timezone.now() + timezone.timedelta(minutes=2)) == 1
    worked = _run(["manage.py", "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*"], esms)
    assert worked.returncode == 0, worked.stderr

    sms.refresh_from_db()
    assert sms.status == "sent"
    assert [m["Phone"] for m in esms.sent()] == ["0912345678"]

    # Sweeping and working again sends nothing twice.
    services.sweep(now=timezone.now() + timezone.timedelta(minutes=4))
    _run(["manage.py", "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*"], esms)
    assert len(esms.sent()) == 1
