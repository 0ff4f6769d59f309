"""Real transactions, real threads and the real `db_worker`: a message is sent once, whatever happens."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.dossiers.tests.factories import file_birth
from motcua.notifications import services
from motcua.notifications.models import Message
from motcua.notifications.tasks import deliver

TEXT = "Mã xác thực Dịch vụ công: 482913."


def _worker() -> None:
    """`manage.py db_worker --batch`: run every due task, then exit."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0
    )


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _message(**fields) -> Message:
    return Message.objects.create(
        channel="sms", kind="otp", address="+84912345678", text=TEXT, idempotency_key="sms:test", **fields
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_message_at_once_send_it_once(providers, esms):
    esms.delay = 0.15  # the first send is still in flight when the second worker tries
    message = _message()

    results = _in_threads(2, lambda i: deliver.call(message.pk))

    assert sorted(results) == ["sent", "skipped"]
    assert len(esms.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


@pytest.mark.django_db(transaction=True)
def test_a_message_left_sending_by_a_dead_worker_is_picked_up_once(providers, esms):
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    message = _message(
        status="sending", claimed_at=hour_ago, claim="dead-worker", attempts=1, provider_attempts=1
    )

    assert services.sweep() == 1
    _worker()
    assert services.sweep() == 0
    _worker()

    assert len(esms.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claim) == ("sent", 2, "")


@pytest.mark.django_db(transaction=True)
def test_a_message_being_sent_right_now_is_not_taken_from_its_worker(providers, esms):
    message = _message(status="sending", claimed_at=timezone.now(), claim="busy-worker", attempts=1)

    assert services.sweep() == 0
    assert deliver.call(message.pk) == "skipped"
    assert esms.requests == []


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_for_a_dead_workers_message_send_it_once(providers, esms):
    esms.delay = 0.15
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    message = _message(
        status="sending", claimed_at=hour_ago, claim="dead-worker", attempts=1, provider_attempts=1
    )

    results = _in_threads(2, lambda i: deliver.call(message.pk))

    assert sorted(results) == ["sent", "skipped"]
    assert len(esms.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_filing_online_reaches_the_phone_through_the_real_worker(catalogue, agency, citizen, providers, esms):
    dossier = file_birth(citizen, agency)  # commits: the lifecycle announces, the task is enqueued

    _worker()

    [sent] = esms.sent()
    assert sent["Phone"] == "0912345678"
    assert sent["Content"].startswith(f"Đã nộp hồ sơ {dossier.code}.")
    assert Message.objects.get(dossier=dossier, channel="sms").status == "sent"
