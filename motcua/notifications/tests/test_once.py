"""A worker that dies while sending never makes a message arrive twice.

eSMS refuses a RequestId it has seen, so an SMS is simply sent again (test_delivery). Email and Zalo ZNS
have no such refusal (a ZNS tracking_id only helps reconcile), so the worker records the hand-over before
calling the provider, and a message found handed over by a dead worker is not sent again: it is failed
with the reason, for an officer to check with the citizen before sending it again.
"""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications import conf, services
from motcua.notifications.models import Message
from motcua.notifications.providers import EmailProvider, ZaloZnsProvider, delivery_key, email_message_id

from .conftest import dossier_in, esms_provider

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """The process died (OOM killer, a deploy): no `except Exception` in the worker sees it."""


def _dies_after_the_provider_accepted(monkeypatch, provider_class):
    real_send = provider_class.send

    def send(self, message):
        real_send(self, message)
        raise WorkerKilled

    monkeypatch.setattr(provider_class, "send", send)


def _worker_presumed_dead(monday) -> None:
    monday.shift(dt.timedelta(seconds=conf.get("STALE_AFTER") + 60))


@pytest.fixture
def zalo(settings, esms, zalo_service):
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms"], "zalo": ["zalo"]},
        "PROVIDERS": {
            "esms": esms_provider(esms),
            "zalo": {
                "BACKEND": "motcua.notifications.providers.ZaloZnsProvider",
                "OPTIONS": {"url": zalo_service.url, "access_token": zalo_service.token},
            },
        },
        "ZALO_TEMPLATES": {"dossier.received": "251234"},
        "HTTP_TIMEOUT": 0.3,
    }


def _received(people, agency, django_capture_on_commit_callbacks, channel) -> Message:
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])
    return Message.objects.get(dossier=dossier, channel=channel)


def test_a_zalo_message_whose_worker_died_after_zalo_accepted_it_is_not_sent_again(
    catalogue, agency, people, monday, zalo, zalo_service, esms, monkeypatch, run_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    services.set_channels(people["citizen"], channels=["zalo", "sms"])
    message = _received(people, agency, django_capture_on_commit_callbacks, "zalo")
    _dies_after_the_provider_accepted(monkeypatch, ZaloZnsProvider)
    with pytest.raises(WorkerKilled):
        run_tasks()
    monkeypatch.undo()  # the next worker is healthy
    _worker_presumed_dead(monday)

    assert services.sweep() == 1
    assert run_tasks() == ["uncertain"]

    assert zalo_service.delivered == [delivery_key(message)]  # one Zalo message on the citizen's phone
    message.refresh_from_db()
    assert (message.status, message.provider, message.claim) == ("failed", "zalo", "")
    assert "không biết tin đã đến người nhận hay chưa" in message.last_error
    assert "trước khi bấm gửi lại" in message.last_error
    assert esms.requests == []  # nor a second copy by SMS


def test_an_email_whose_worker_died_after_the_mail_server_took_it_is_not_sent_again(
    catalogue, agency, people, monday, mailoutbox, monkeypatch, run_tasks, django_capture_on_commit_callbacks
):
    people["citizen"].email = "huong@example.vn"
    people["citizen"].save()
    services.set_channels(people["citizen"], channels=["email"])
    message = _received(people, agency, django_capture_on_commit_callbacks, "email")
    _dies_after_the_provider_accepted(monkeypatch, EmailProvider)
    with pytest.raises(WorkerKilled):
        run_tasks()
    monkeypatch.undo()
    _worker_presumed_dead(monday)

    assert services.sweep() == 1
    assert run_tasks() == ["uncertain"]

    [email] = mailoutbox
    assert email.message()["Message-ID"] == email_message_id(message)
    message.refresh_from_db()
    assert message.status == "failed" and "không biết tin đã đến người nhận hay chưa" in message.last_error


def test_every_copy_of_an_email_carries_the_message_id_derived_from_its_key(
    catalogue, agency, people, monday, settings, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "UBND xã Vĩnh Linh <motcua@vinhlinh.quangtri.gov.vn>"
    people["citizen"].email = "huong@example.vn"
    people["citizen"].save()
    services.set_channels(people["citizen"], channels=["email"])
    message = _received(people, agency, django_capture_on_commit_callbacks, "email")

    assert run_tasks() == ["sent"]
    message.refresh_from_db()
    message.status = "failed"
    message.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_message(message, by=people["desk"])
    assert run_tasks() == ["sent"]

    expected = f"<{delivery_key(message)}.motcua@vinhlinh.quangtri.gov.vn>"
    assert [e.message()["Message-ID"] for e in mailoutbox] == [expected, expected]
    message.refresh_from_db()
    assert message.provider_message_id == expected


def test_a_zalo_message_whose_worker_died_before_handing_it_over_is_sent_once(
    catalogue, agency, people, monday, zalo, zalo_service, run_tasks, django_capture_on_commit_callbacks
):
    services.set_channels(people["citizen"], channels=["zalo", "sms"])
    message = _received(people, agency, django_capture_on_commit_callbacks, "zalo")
    # claimed by a worker that died before it recorded the hand-over (its task is still queued)
    Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=timezone.now(), claim="dead")
    _worker_presumed_dead(monday)

    assert run_tasks() == ["sent"]

    assert zalo_service.delivered == [delivery_key(message)]
    message.refresh_from_db()
    assert (message.status, message.handed_over_at) == ("sent", None)


def test_an_officer_may_send_again_a_message_left_uncertain(
    client, catalogue, agency, people, monday, zalo, zalo_service, monkeypatch, run_tasks,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    services.set_channels(people["citizen"], channels=["zalo", "sms"])
    message = _received(people, agency, django_capture_on_commit_callbacks, "zalo")
    _dies_after_the_provider_accepted(monkeypatch, ZaloZnsProvider)
    with pytest.raises(WorkerKilled):
        run_tasks()
    monkeypatch.undo()
    _worker_presumed_dead(monday)
    services.sweep()
    run_tasks()

    client.force_login(people["desk"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/can-bo/tin-nhan/{message.pk}/gui-lai/")
    assert run_tasks() == ["sent"]

    assert zalo_service.delivered == [delivery_key(message)] * 2  # the officer's choice, after checking
