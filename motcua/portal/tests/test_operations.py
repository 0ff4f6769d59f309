"""/readyz, /metrics, request ids and the log formats (issue 15, item 4)."""

import datetime as dt
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.notifications.models import Message, SmsBudget
from motcua.observe import JsonFormatter, RequestIdFilter
from motcua.periodic import heartbeat
from motcua.periodic.models import Heartbeat
from motcua.periodic.services import registered

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-the-test-0123456789"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def worker_ran(ago: dt.timedelta = dt.timedelta(0)):
    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now() - ago})


def test_readyz_is_ready_with_the_database_the_folder_and_a_recent_worker(client, media):
    worker_ran(dt.timedelta(seconds=40))
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/readyz")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    assert body["checks"]["worker"].startswith("seen 4")
    assert len(queries) == 2  # SELECT 1 and the heartbeat
    assert answer["Cache-Control"].startswith("max-age=0")


def test_readyz_names_a_worker_never_seen_or_gone_quiet(client, media, settings):
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["failed"] == ["worker"]
    assert "no worker has run the heartbeat task yet" in answer.json()["checks"]["worker"]
    worker_ran(dt.timedelta(seconds=settings.READY_WORKER_SECONDS + 30))
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["failed"] == ["worker"]
    assert "last seen 33" in answer.json()["checks"]["worker"]


def test_readyz_names_a_storage_it_cannot_write(client, settings, tmp_path):
    worker_ran()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MEDIA_ROOT = blocker
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["failed"] == ["storage"]


def test_readyz_names_a_bucket_that_does_not_answer(client, object_storage, s3_server):
    worker_ran()
    assert client.get("/readyz").status_code == 200
    s3_server.client().delete_bucket(Bucket=object_storage.name)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["failed"] == ["storage"]
    assert "404" in answer.json()["checks"]["storage"] or "Not Found" in answer.json()["checks"]["storage"]


def test_the_periodic_heartbeat_enqueues_the_worker_beat_once_and_the_worker_records_it(settings):
    from django_tasks_db.models import DBTaskResult

    job = registered()["heartbeat"]
    assert job.every == 60
    job.func()
    job.func()  # one already waits: not a second
    waiting = DBTaskResult.objects.filter(task_path="motcua.periodic.heartbeat.worker_beat", status="READY")
    assert waiting.count() == 1
    assert heartbeat.last_seen("periodic") is not None and heartbeat.last_seen("worker") is None
    # What `db_worker` does with it (the real worker loop closes the test's connection).
    row = waiting.get()
    row.claim("test-worker")
    row.set_successful(row.task.call())
    assert heartbeat.last_seen("worker") is not None
    assert not waiting.exists()
    # Its finished rows are pruned after an hour by the task itself: no row a minute forever.
    done = DBTaskResult.objects.filter(task_path="motcua.periodic.heartbeat.worker_beat")
    done.update(finished_at=timezone.now() - dt.timedelta(hours=2))
    job.func()
    row = waiting.get()
    row.claim("test-worker")
    row.set_successful(row.task.call())
    assert done.count() == 1 and done.get().pk == row.pk


def test_metrics_is_a_404_without_a_token_set_or_with_another(client, settings):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 404


def test_metrics_counts_requests_by_route_and_reads_the_queues(client, settings, agency, catalogue):
    settings.METRICS_TOKEN = TOKEN
    client.get("/thu-tuc/")
    client.get("/tra-cuu/")
    Message.objects.create(
        channel="sms",
        kind="test",
        address="0912345678",
        text="x",
        idempotency_key="metrics-test",
        created_at=timezone.now() - dt.timedelta(seconds=90),
    )
    SmsBudget.objects.create(agency=agency, month=timezone.localdate().replace(day=1), limit=2000, used=17)
    worker_ran(dt.timedelta(seconds=5))
    answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain; version=")
    text = answer.text
    assert 'motcua_http_request_duration_seconds_count{method="GET",route="thu-tuc/",status="2xx"}' in text
    assert 'motcua_http_request_duration_seconds_bucket{le="0.005",method="GET",route="tra-cuu/"' in text
    assert 'motcua_outbox_undelivered{channel="sms"} 1.0' in text
    lag = next(line for line in text.splitlines() if line.startswith("motcua_outbox_lag_seconds "))
    assert 89 < float(lag.split()[1]) < 200
    assert f'motcua_sms_budget_used{{agency="{agency.agency_id}",slice=""}} 17.0' in text
    assert f'motcua_sms_budget_limit{{agency="{agency.agency_id}",slice=""}} 2000.0' in text
    assert "# TYPE motcua_payment_attempts gauge" in text
    assert "# TYPE motcua_tasks_pending gauge" in text
    assert 'motcua_heartbeat_age_seconds{process="worker"}' in text


def test_every_answer_carries_a_request_id_and_a_sane_one_is_kept(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/healthz")["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc:9")["X-Request-ID"] == "lb-1234.abc:9"
    for bad in ("x" * 65, "a b", "<script>", "ừ"):
        replaced = client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert replaced != bad and len(replaced) == 32


def test_log_records_carry_the_request_id_and_json_holds_the_extra_fields(client, caplog):
    logging.getLogger("motcua.request").setLevel(logging.INFO)
    try:
        caplog.handler.addFilter(RequestIdFilter())
        with caplog.at_level(logging.INFO, logger="motcua.request"):
            client.get("/healthz", HTTP_X_REQUEST_ID="req-42")
    finally:
        logging.getLogger("motcua.request").setLevel(logging.WARNING)
    [record] = [r for r in caplog.records if r.name == "motcua.request"]
    assert record.request_id == "req-42"
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["route"] == "healthz" and line["status"] == 200
    assert line["level"] == "INFO" and line["message"].startswith("GET healthz 200")
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(outside)
    assert json.loads(JsonFormatter().format(outside))["request_id"] == "-"
