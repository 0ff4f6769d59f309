"""Delivery through real adapters talking to local fakes of eSMS and Zalo: retries, failover, failure.

A provider that is down loses nothing: the message is retried with backoff (1, 5, 25 minutes), then the
next provider is used; a permanent error moves on at once; when every provider fails the message is marked
failed with the reason, on the outbox page where an officer can send it again.
"""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications import services
from motcua.notifications.models import Message
from motcua.notifications.providers import EsmsProvider, delivery_key, receipt_signature

from .conftest import dossier_in, esms_provider
from .fakes import ESMS_BAD_KEY, ESMS_NO_BALANCE, ZALO_NO_ACCOUNT

pytestmark = pytest.mark.django_db
CODE = "000.20.44.H54-261123-0001"


@pytest.fixture
def received(catalogue, agency, people, monday, providers, django_capture_on_commit_callbacks):
    """A dossier just received: its SMS is queued and its delivery task enqueued."""
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])
    return Message.objects.get(dossier=dossier, channel="sms")


def test_an_sms_goes_to_esms_in_its_json_protocol(received, esms, esms_backup, run_tasks):
    assert run_tasks() == ["sent"]

    [request] = esms.requests
    assert request["path"] == "/"
    assert request["headers"]["content-type"] == "application/json"
    assert request["json"] == {
        "ApiKey": "test-api-key",
        "SecretKey": "test-secret",
        "Phone": "0912345678",
        "Content": received.text,
        "Brandname": "UBND VINHLINH",
        "SmsType": "2",
        "IsUnicode": "1",
        "Sandbox": "0",
        "RequestId": received.idempotency_key,
        "campaignid": "dossier.received",
    }
    received.refresh_from_db()
    assert (received.status, received.provider, received.attempts) == ("sent", "esms", 1)
    assert received.provider_message_id == esms.accepted[received.idempotency_key]
    assert esms_backup.requests == []


def test_a_provider_that_is_down_is_retried_with_backoff_then_the_next_provider_is_used(
    received, esms, esms_backup, run_tasks, monday
):
    esms.will("down", "slow", "down", "down")
    waits = []
    for _ in range(3):
        assert run_tasks() == ["retry"]
        received.refresh_from_db()
        waits.append(round((received.next_attempt_at - timezone.now()).total_seconds()))
        assert run_tasks() == []  # nothing runs before the wait is over
        monday.shift(received.next_attempt_at - timezone.now())

    assert run_tasks() == ["next-provider", "sent"]

    received.refresh_from_db()
    assert waits == [60, 300, 1500]
    assert (len(esms.requests), len(esms_backup.requests), len(esms_backup.sent())) == (4, 1, 1)
    assert (received.status, received.provider, received.attempts) == ("sent", "esms_backup", 5)
    assert received.last_error == "HTTP 500"


def test_a_timeout_counts_as_a_temporary_failure(received, esms, run_tasks):
    esms.will("slow")

    assert run_tasks() == ["retry"]

    received.refresh_from_db()
    assert (received.status, received.provider) == ("queued", "esms")
    assert received.last_error.startswith("không kết nối được: ")


def test_a_permanent_error_goes_straight_to_the_next_provider(received, esms, esms_backup, run_tasks):
    esms.will(ESMS_NO_BALANCE)

    assert run_tasks() == ["next-provider", "sent"]

    received.refresh_from_db()
    assert (len(esms.requests), len(esms_backup.requests)) == (1, 1)
    assert (received.status, received.provider) == ("sent", "esms_backup")
    assert received.last_error == "eSMS 103: tài khoản không đủ tiền"


def test_when_every_provider_fails_the_message_is_failed_with_the_last_error(
    received, esms, esms_backup, run_tasks
):
    esms.will(ESMS_NO_BALANCE)
    esms_backup.will(ESMS_BAD_KEY)

    assert run_tasks() == ["next-provider", "failed"]

    received.refresh_from_db()
    assert (received.status, received.provider, received.attempts) == ("failed", "esms_backup", 2)
    assert received.last_error == "eSMS 101: sai ApiKey hoặc SecretKey"
    assert received.failed_at is not None


def test_the_officer_sees_the_failure_and_sends_it_again(
    client, received, desk, esms, esms_backup, run_tasks, django_capture_on_commit_callbacks
):
    esms.will(ESMS_NO_BALANCE)
    esms_backup.will(ESMS_BAD_KEY)
    run_tasks()
    client.force_login(desk)

    page = client.get("/can-bo/tin-nhan/?loi=1").content.decode()

    assert "eSMS 101: sai ApiKey hoặc SecretKey" in page
    assert "Không gửi được" in page
    assert f'action="/can-bo/tin-nhan/{received.pk}/gui-lai/"' in page
    assert "1 tin chưa gửi được" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/can-bo/tin-nhan/{received.pk}/gui-lai/")

    assert response.status_code == 302
    assert run_tasks() == ["sent"]
    received.refresh_from_db()
    assert (received.status, received.provider, received.attempts) == ("sent", "esms", 3)


def test_a_send_repeated_after_a_crash_is_not_delivered_twice(received, esms, run_tasks):
    # The worker died after eSMS accepted the request but before it was recorded: the same RequestId is
    # sent again, eSMS answers 124 (duplicate) and the message counts as sent, once.
    EsmsProvider("esms", **esms_provider(esms)["OPTIONS"]).send(received)

    assert run_tasks() == ["sent"]

    received.refresh_from_db()
    assert len(esms.requests) == 2
    assert len(esms.accepted) == 1
    assert received.status == "sent"


def test_zalo_first_then_sms_when_the_number_has_no_zalo_account(
    catalogue,
    agency,
    people,
    monday,
    settings,
    esms,
    zalo_service,
    run_tasks,
    django_capture_on_commit_callbacks,
):
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
    services.set_channels(people["citizen"], channels=["zalo", "sms"])
    zalo_service.will(ZALO_NO_ACCOUNT)
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])

    run_tasks()

    [request] = zalo_service.requests
    assert request["headers"]["access_token"] == "test-zalo-token"
    assert request["json"] == {
        "phone": "84912345678",
        "template_id": "251234",
        "template_data": {
            "code": CODE,
            "name": "Nguyễn Thị Hường",
            "status": "Được tiếp nhận",
            "due": "17 giờ 00, thứ Hai, ngày 23/11/2026",
        },
        "tracking_id": delivery_key(Message.objects.get(channel="zalo")),
    }
    rows = Message.objects.filter(dossier=dossier).order_by("channel")
    assert list(rows.values_list("channel", "status", "last_error")) == [
        ("inapp", "delivered", ""),
        ("sms", "sent", ""),
        ("zalo", "failed", "Zalo -118: số điện thoại chưa có tài khoản Zalo"),
    ]
    assert len(esms.sent()) == 1


def test_esms_delivery_report_marks_the_message_delivered(client, received, esms, run_tasks):
    run_tasks()
    received.refresh_from_db()
    url = f"/api/v1/notifications/receipts/esms/{received.pk}/{receipt_signature(received.pk)}"

    response = client.get(url, {"SMSID": received.provider_message_id, "SendStatus": "5", "SendSuccess": "1",
                                "SendFailed": "0", "TypeId": "2", "phonenumber": "0912345678"})  # fmt: skip

    assert response.status_code == 200
    received.refresh_from_db()
    assert received.status == "delivered"
    assert received.delivered_at is not None


def test_a_delivery_report_without_our_signature_changes_nothing(client, received, esms, run_tasks):
    run_tasks()
    received.refresh_from_db()

    response = client.get(
        f"/api/v1/notifications/receipts/esms/{received.pk}/{'0' * 32}",
        {"SMSID": received.provider_message_id, "SendStatus": "4", "SendSuccess": "0", "SendFailed": "1"},
    )

    assert response.status_code == 404
    received.refresh_from_db()
    assert received.status == "sent"


def test_the_sweep_enqueues_a_message_whose_task_was_lost(received, esms, run_tasks, monday):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # as if the process died between the commit and the enqueue
    monday.shift(dt.timedelta(minutes=2))

    assert services.sweep() == 1
    assert run_tasks() == ["sent"]
    assert len(esms.sent()) == 1


def test_an_email_goes_through_djangos_mailer(
    catalogue, agency, people, monday, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    citizen = people["citizen"]
    citizen.email = "huong@example.vn"
    citizen.save()
    services.set_channels(citizen, channels=["email", "sms"])
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])

    assert run_tasks() == ["sent"]

    [email] = mailoutbox
    assert (email.subject, email.to) == (f"Hồ sơ {CODE}: Tiếp nhận", ["huong@example.vn"])
    assert email.body == Message.objects.get(channel="email").text
    assert Message.objects.get(channel="email").status == "sent"


def test_with_a_backend_that_cannot_wait_the_sweep_sends_the_retry(
    db, settings, providers, esms, monday, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    esms.will("down")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_sms("0912345678", "Mã xác thực: 482913.", kind="claim")

    message.refresh_from_db()
    assert (message.status, len(esms.requests)) == ("queued", 1)  # ran at once, failed, cannot be deferred

    monday.shift(dt.timedelta(minutes=2))
    assert services.sweep() == 1

    message.refresh_from_db()
    assert (message.status, len(esms.requests)) == ("sent", 2)


def test_the_outbox_sweep_runs_every_minute_in_the_periodic_worker():
    from motcua.periodic.services import registered

    job = registered()["sweep_outbox"]

    assert (job.func, job.every) == (services.sweep, 60)
