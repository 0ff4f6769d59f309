"""Synchronisation with the national public-service portal: a record per dossier change, delivered in order.

- `record_sync`, subscribed to every transition inside its transaction, writes the event's `SyncRecord`
  (a transactional outbox: the record exists if and only if the change committed);
- `enqueue_sync`, subscribed after commit, hands it to the worker (`deliver`, a django.tasks task);
- `deliver_record` signs in to the portal's adapter and sends the record's calls (protocol.py). The
  records of one dossier go in order: one waits while an earlier one of its dossier is unsent, and a
  record that went through hands the next one to the worker. A failure is retried with exponential
  back-off (conf: FIRST_RETRY, MAX_RETRY) up to MAX_ATTEMPTS, then the record is failed, logged, and
  shown to the agency's leaders on /can-bo/dong-bo/ with a "Gửi lại" button (`resend`); data the portal
  refuses is failed at once, since sending it again would not change the answer;
- `sweep`, every minute from `manage.py periodic`, hands over what no task will deliver: a lost
  hand-over, a retry a backend could not defer, a worker that died mid-send, and — once the portal is
  configured — the records kept while it was not.
Without SYNC_URL nothing is sent: records are kept with the state "chưa cấu hình".
"""

import datetime as dt
import logging
import uuid

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.tasks import task
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.lifecycle import Transition

from . import conf
from .models import FieldCode, SyncRecord, SyncState
from .payload import messages_for
from .protocol import PortalClient, PortalError

__all__ = [
    "deliver",
    "deliver_record",
    "enqueue_sync",
    "fields_without_code",
    "record_of",
    "record_sync",
    "records",
    "resend",
    "state_counts",
    "sweep",
]

logger = logging.getLogger("motcua.nationalportal")
S = SyncState


def record_sync(transition: Transition) -> SyncRecord:
    """Subscribed to every transition, inside its transaction: the event's record, as the portal wants it."""
    dossier, event = transition.dossier, transition.event
    known = SyncRecord.objects.filter(dossier=dossier).exists()
    return SyncRecord.objects.create(
        dossier=dossier,
        event=event,
        payload=messages_for(dossier, event, known=known),
        state=S.PENDING if conf.configured() else S.UNCONFIGURED,
    )


def enqueue_sync(transition: Transition) -> None:
    """Subscribed after commit: hand the transition's record to the worker."""
    pk = (
        SyncRecord.objects.filter(event=transition.event, state=S.PENDING)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is not None:
        _enqueue(pk)


@task()
def deliver(record_id: int) -> str:
    """Send one record; safe to run twice (the record is claimed with a conditional UPDATE)."""
    return deliver_record(record_id=record_id)


def _enqueue(record_id: int, *, at: dt.datetime | None = None) -> None:
    backend = deliver.get_backend()
    if at is not None and at > timezone.now():
        if not backend.supports_defer:
            return  # a backend that cannot wait (ImmediateBackend): `sweep` sends it when it is due
        deliver.using(run_after=at).enqueue(record_id)
        return
    deliver.enqueue(record_id)


def _earlier_unsent(dossier_id: int, pk) -> QuerySet[SyncRecord]:
    return SyncRecord.objects.filter(dossier_id=dossier_id, pk__lt=pk).exclude(state=S.SENT)


def _claim(record_id: int, token: str, now: dt.datetime) -> bool:
    """Take the record for this worker with one conditional UPDATE: two workers never both win. A record
    left "sending" for longer than STALE_AFTER belonged to a worker that died mid-send."""
    stale = now - dt.timedelta(seconds=conf.get("STALE_AFTER"))
    return bool(
        SyncRecord.objects.filter(pk=record_id)
        .filter(Q(state=S.PENDING, next_try_at__lte=now) | Q(state=S.SENDING, claimed_at__lt=stale))
        .update(state=S.SENDING, claimed_at=now, claim=token, attempts=F("attempts") + 1, tried_at=now)
    )


def _mine(record_id: int, token: str) -> QuerySet[SyncRecord]:
    # Only the worker holding the claim records the outcome, not one that was presumed dead and woke up.
    return SyncRecord.objects.filter(pk=record_id, state=S.SENDING, claim=token)


def _client() -> PortalClient:
    return PortalClient(
        sync_url=conf.get("SYNC_URL"),
        auth_url=conf.get("AUTH_URL"),
        username=conf.get("USERNAME"),
        password=conf.get("PASSWORD"),
        dstcode=conf.get("DSTCODE"),
        timeout=conf.get("HTTP_TIMEOUT"),
    )


def deliver_record(*, record_id: int) -> str:
    """Send one record's calls, from the first the portal has not accepted yet. Idempotent: returns what
    happened ("sent", "retry", "failed", "waiting" for an earlier record of the dossier, "unconfigured",
    "skipped" when it is not due, done already or another worker's)."""
    now = timezone.now()
    record = SyncRecord.objects.filter(pk=record_id).values("dossier_id", "state").first()
    if record is None or record["state"] not in (S.PENDING, S.SENDING):
        return "skipped"
    if not conf.configured():
        SyncRecord.objects.filter(pk=record_id, state=S.PENDING).update(state=S.UNCONFIGURED)
        return "unconfigured"
    if _earlier_unsent(record["dossier_id"], record_id).exists():
        return "waiting"  # the earlier record hands this one over once it is sent
    token = uuid.uuid4().hex
    if not _claim(record_id, token, now):
        return "skipped"
    record = SyncRecord.objects.select_related("dossier__agency").get(pk=record_id)
    unit_code = conf.get("UNIT_CODE") or record.dossier.agency.agency_id
    client = _client()
    http_status, portal_code = None, ""
    try:
        session = client.sign_in()
        for index in range(record.parts_sent, len(record.payload)):
            http_status, portal_code = client.send(
                record.payload[index], session=session, unit_code=unit_code
            )
            _mine(record_id, token).update(parts_sent=index + 1)
    except PortalError as error:
        return _after_failure(record, token, error)
    except Exception as exc:  # a bug must not leave the record claimed: retried like a temporary failure
        logger.exception("National portal: record %s of %s failed unexpectedly", record_id, record.dossier)
        return _after_failure(record, token, PortalError("answer", f"{type(exc).__name__}: {exc}"[:300]))
    done = _mine(record_id, token).update(
        state=S.SENT,
        sent_at=timezone.now(),
        http_status=http_status,
        portal_code=portal_code,
        problem="",
        last_error="",
        claim="",
    )
    if done:
        _hand_over_next(record.dossier_id, record_id)
    return "sent"


def _hand_over_next(dossier_id: int, after: int) -> None:
    following = (
        SyncRecord.objects.filter(dossier_id=dossier_id, pk__gt=after, state=S.PENDING)
        .order_by("pk")
        .values_list("pk", "next_try_at")
        .first()
    )
    if following is not None:
        _enqueue(following[0], at=following[1])


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed try: 1, 2, 4, 8… times FIRST_RETRY, capped."""
    seconds = conf.get("FIRST_RETRY") * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, conf.get("MAX_RETRY")))


def _after_failure(record: SyncRecord, token: str, error: PortalError) -> str:
    now = timezone.now()
    attempts = record.attempts  # read after the claim, which counted this try
    fields = {
        "problem": error.problem,
        "last_error": error.detail[:500],
        "http_status": error.http_status,
        "portal_code": error.portal_code[:20],
        "claim": "",
    }
    if error.temporary and attempts < conf.get("MAX_ATTEMPTS"):
        at = now + backoff(attempts)
        if _mine(record.pk, token).update(state=S.PENDING, next_try_at=at, **fields):
            logger.warning(
                "National portal: record %s of %s not sent (try %d, %s); next try at %s",
                record.pk,
                record.dossier,
                attempts,
                error,
                at.isoformat(),
            )
            _enqueue(record.pk, at=at)
        return "retry"
    if _mine(record.pk, token).update(state=S.FAILED, failed_at=now, **fields):
        logger.error(
            "National portal: record %s of %s failed after %d tries: %s",
            record.pk,
            record.dossier,
            attempts,
            error,
        )
    return "failed"


def sweep(*, now: dt.datetime | None = None) -> int:
    """Hand over again what no task will deliver; run every minute. Only the first unsent record of each
    dossier is handed over: the others follow it in order."""
    if not conf.configured():
        return 0
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=conf.get("STALE_AFTER"))
    grace = now - dt.timedelta(seconds=60)  # a task enqueued a moment ago is still on its way
    # Kept while the portal was not configured: due, and no task on its way.
    SyncRecord.objects.filter(state=S.UNCONFIGURED).update(state=S.PENDING, next_try_at=grace)
    earlier = SyncRecord.objects.filter(dossier=OuterRef("dossier"), pk__lt=OuterRef("pk")).exclude(
        state=S.SENT
    )
    ids = list(
        SyncRecord.objects.filter(
            Q(state=S.PENDING, next_try_at__lte=grace) | Q(state=S.SENDING, claimed_at__lt=stale)
        )
        .filter(~Exists(earlier))
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def resend(record: SyncRecord, *, by) -> SyncRecord:
    """An officer sends a failed record again: a fresh series of tries, from the call it stopped at."""
    with transaction.atomic():
        record = SyncRecord.objects.select_for_update().get(pk=record.pk)
        if record.state != S.FAILED:
            return record
        record.state = S.PENDING if conf.configured() else S.UNCONFIGURED
        record.attempts = 0
        record.next_try_at = timezone.now()
        record.failed_at = None
        record.save()
        logger.info("National portal: record %s of %s sent again by %s", record.pk, record.dossier, by)
        if record.state == S.PENDING:
            transaction.on_commit(lambda: _enqueue(record.pk))
    return record


# --- what officers read -------------------------------------------------------------------------------------


def records(agency, *, state: str = "") -> QuerySet[SyncRecord]:
    """The agency's records, newest first, each marked `waiting` when an earlier one of its dossier is
    unsent (it goes out after that one)."""
    earlier = SyncRecord.objects.filter(dossier=OuterRef("dossier"), pk__lt=OuterRef("pk")).exclude(
        state=S.SENT
    )
    rows = (
        SyncRecord.objects.filter(dossier__agency=agency)
        .select_related("dossier", "event")
        .annotate(waiting=Exists(earlier))
        .order_by("-pk")
    )
    return rows.filter(state=state) if state else rows


def record_of(agency, pk: int) -> SyncRecord | None:
    return SyncRecord.objects.filter(dossier__agency=agency, pk=pk).first()


def state_counts(agency) -> dict[str, int]:
    rows = SyncRecord.objects.filter(dossier__agency=agency).values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows.order_by()}


def fields_without_code() -> list[str]:
    """The catalogue's fields that have no MaLinhVuc yet: their dossiers go out with the field's name only."""
    fields = set(Procedure.objects.current().values_list("field", flat=True).order_by().distinct())
    coded = set(FieldCode.objects.values_list("field", flat=True))
    return sorted(fields - coded)
