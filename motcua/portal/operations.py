"""/readyz and /metrics: what the province's monitoring asks a running motcua.

/readyz (JSON) checks the database, the file storage (one HEAD on the bucket, or the media folder) and that
a worker ran its heartbeat task within READY_WORKER_SECONDS; 503 names the check that failed. It is for
monitoring and deploy scripts: a load balancer probes /healthz, which touches nothing, so that a stopped
worker does not take every app node out of rotation.

/metrics is Prometheus' text format, for `Authorization: Bearer <METRICS_TOKEN>` only (no token set, or
another one: the same 404 as an unknown page). The request histogram comes from motcua.observe; the rest is
read from the database at scrape time: tasks waiting, the outbox (undelivered messages and the age of the
oldest), this month's SMS budget per agency, payment attempts by provider and state, the heartbeats.
"""

import hmac
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from motcua.notifications.models import Message, MessageStatus, SmsBudget
from motcua.payments.models import Attempt
from motcua.periodic.heartbeat import PERIODIC, WORKER, last_seen
from motcua.periodic.models import Heartbeat
from motcua.storage import probe

UNDELIVERED = (MessageStatus.QUEUED, MessageStatus.SENDING)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_worker() -> str:
    seen = last_seen(WORKER)
    if seen is None:
        raise LookupError("no worker has run the heartbeat task yet (db_worker and periodic running?)")
    age = (timezone.now() - seen).total_seconds()
    if age > settings.READY_WORKER_SECONDS:
        raise LookupError(f"last seen {age:.0f} s ago (limit {settings.READY_WORKER_SECONDS} s)")
    return f"seen {age:.0f} s ago"


@never_cache
@require_safe
def readyz(request):
    checks, failed = {}, []
    for name, check in (
        ("database", _check_database),
        ("storage", lambda: probe(default_storage) and "ok"),
        ("worker", _check_worker),
    ):
        if name == "worker" and "database" in failed:
            checks[name] = "not checked: no database"
            failed.append(name)
            continue
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
            failed.append(name)
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


# --- /metrics -----------------------------------------------------------------------------------------------


def _gauge(name: str, doc: str, labels: list[str], rows) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=labels)
    for *values, value in rows:
        family.add_metric([str(v) for v in values], value)
    return family


def _tasks_pending():
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status="READY")
        .values_list("queue_name")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _gauge("motcua_tasks_pending", "Background tasks waiting for a worker, by queue.", ["queue"], rows)


def _outbox():
    now = timezone.now()
    undelivered = Message.objects.filter(status__in=UNDELIVERED)
    by_channel = undelivered.values_list("channel").annotate(n=Count("id")).order_by()
    oldest = undelivered.aggregate(oldest=Min("created_at"))["oldest"]
    yield _gauge(
        "motcua_outbox_undelivered",
        "Messages queued or being sent (not yet handed to a provider), by channel.",
        ["channel"],
        by_channel,
    )
    yield _gauge(
        "motcua_outbox_lag_seconds",
        "Age of the oldest message not yet handed to a provider (0 when none waits).",
        [],
        [((now - oldest).total_seconds() if oldest else 0.0,)],
    )


def _sms_budget():
    month = timezone.localdate().replace(day=1)
    rows = SmsBudget.objects.filter(month=month).values_list("agency__agency_id", "slice", "used", "limit")
    used = GaugeMetricFamily(
        "motcua_sms_budget_used",
        "SMS parts used this month, by agency ('' = codes).",
        labels=["agency", "slice"],
    )
    limit = GaugeMetricFamily(
        "motcua_sms_budget_limit", "SMS parts allowed this month.", labels=["agency", "slice"]
    )
    for agency, part, n, cap in rows:
        used.add_metric([agency or "", part], n)
        limit.add_metric([agency or "", part], cap)
    return [used, limit]


def _payments():
    rows = Attempt.objects.values_list("provider", "state").annotate(n=Count("id")).order_by()
    return _gauge(
        "motcua_payment_attempts", "Payment attempts by provider and result.", ["provider", "state"], rows
    )


def _heartbeats():
    now = timezone.now()
    rows = [
        (name, (now - seen).total_seconds())
        for name, seen in Heartbeat.objects.values_list("name", "seen_at")
    ]
    return _gauge(
        "motcua_heartbeat_age_seconds",
        f"Seconds since a background process last showed it was alive ({WORKER}, {PERIODIC}).",
        ["process"],
        rows,
    )


class _Database:
    """The figures read from the database, once per scrape (whichever process answers it)."""

    def collect(self):
        yield _tasks_pending()
        yield from _outbox()
        yield from _sms_budget()
        yield _payments()
        yield _heartbeats()


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_safe
def metrics(request):
    if not _authorised(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every process of this node, from their shared files
        from prometheus_client import multiprocess

        registry = CollectorRegistry(auto_describe=False)
        multiprocess.MultiProcessCollector(registry)
        content = generate_latest(registry)
    else:
        content = generate_latest(REGISTRY)
    database = CollectorRegistry(auto_describe=False)
    database.register(_Database())
    return HttpResponse(content + generate_latest(database), content_type=CONTENT_TYPE_LATEST)
