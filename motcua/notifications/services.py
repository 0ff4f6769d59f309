"""Notifications: who is told what on which channel, and the delivery of each message from the outbox.

A dossier event becomes, in one transaction, an in-app message (delivered by being stored) and one
message on the citizen's first usable outside channel (SMS by default); each outside message is then
delivered by the `deliver` task, enqueued on commit. Delivery tries the channel's providers in order:
a temporary failure is retried with backoff, a permanent one moves to the next provider at once; when
all fail the message is marked failed (officers see it and can send it again) and the citizen's next
channel is tried. Every SMS, sign-in codes included, passes the per-phone throttle and the agency's
monthly budget.
"""

import datetime as dt
import hmac
import logging
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.phones import normalize_phone
from motcua.accounts.services import CodeRefused, has_account
from motcua.agencies.models import Role
from motcua.dossiers.lifecycle import Transition
from motcua.ratelimit import too_many

from . import conf
from .models import EXTERNAL, Channel, Message, MessageStatus, Preference, SmsBudget
from .providers import PermanentFailure, TemporaryFailure, providers_for, receipt_signature
from .texts import nfc, render_event, sms_parts

__all__ = [
    "BudgetExhausted",
    "PhoneThrottled",
    "SmsRefused",
    "api_items",
    "BudgetShort",
    "budget_of",
    "news_readers",
    "release_sms_parts",
    "reserve_sms_parts",
    "channels_for",
    "deliver_message",
    "inbox",
    "deliver",
    "enqueue_messages",
    "record_messages",
    "text_code",
    "outbox",
    "outbox_message",
    "record_esms_receipt",
    "retry_message",
    "send_sms",
    "set_channels",
    "set_news",
    "wants_news",
    "sweep",
    "usable_channels",
]

logger = logging.getLogger("motcua.notifications")
S = MessageStatus
URGENT_PRIORITY = 10


class SmsRefused(Exception):
    """No SMS now: the caller answers HTTP 429 with `str(exc)` and a Retry-After of `retry_after` seconds."""

    message = gettext_lazy("Không gửi được tin nhắn lúc này. Vui lòng thử lại sau.")
    retry_after = 3600

    def __str__(self) -> str:
        return str(self.message)


class PhoneThrottled(SmsRefused):
    message = gettext_lazy(
        "Số điện thoại này đã nhận quá nhiều tin nhắn trong một giờ. Vui lòng thử lại sau một giờ, "
        "hoặc đến bộ phận một cửa để được hỗ trợ."
    )


class BudgetExhausted(SmsRefused):
    message = gettext_lazy(
        "Đã hết hạn mức tin nhắn SMS của tháng này. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."
    )

    @property
    def retry_after(self) -> int:
        now = timezone.localtime()
        first = (now.replace(day=1) + dt.timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0)
        return int((first - now).total_seconds())


class BudgetShort(BudgetExhausted):
    """Many SMS at once (a campaign) would overrun the month's budget: `short` parts are missing."""

    def __init__(self, *, needed: int, remaining: int):
        super().__init__()
        self.needed, self.remaining, self.short = needed, remaining, needed - remaining

    def __str__(self) -> str:
        return _(
            "Không đủ hạn mức SMS của tháng này: cần %(needed)d phần tin, chỉ còn %(remaining)d, "
            "thiếu %(short)d phần tin."
        ) % {"needed": self.needed, "remaining": self.remaining, "short": self.short}


# --- who is told on which channel ---------------------------------------------------------------------------


def usable_channels() -> list[str]:
    """Outside channels that have at least one provider configured."""
    configured = conf.get("CHANNELS")
    return [c for c in EXTERNAL if configured.get(c)]


def channels_for(user) -> list[str]:
    """The person's channels, in-app first: their choice, else in-app plus SMS when they have a phone."""
    chosen = Preference.objects.filter(user=user).values_list("channels", flat=True).first()
    if chosen is None:
        chosen = [Channel.SMS] if user.phone else []
    return [Channel.INAPP, *[c for c in chosen if c != Channel.INAPP]]


def set_channels(user, *, channels: list[str]) -> Preference:
    """Save the person's channels in the order given; unknown names and repeats are dropped."""
    clean: list[str] = [Channel.INAPP]
    for channel in channels:
        if channel in Channel.values and channel not in clean:
            clean.append(channel)
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"channels": clean})
    return preference


def wants_news(user) -> bool:
    return Preference.objects.filter(user=user, news=True).exists()


def set_news(user, *, news: bool) -> Preference:
    """Ask for the commune's news, or stop them; the channels stay what they were."""
    preference, created = Preference.objects.get_or_create(
        user=user, defaults={"channels": channels_for(user), "news": news}
    )
    if not created and preference.news != news:
        preference.news = news
        preference.save(update_fields=["news", "updated_at"])
    return preference


def news_readers():
    """The active people who asked for the commune's news and have a phone: (user pk, phone) rows."""
    return (
        Preference.objects.filter(news=True, user__is_active=True)
        .exclude(user__phone="")
        .exclude(user__phone__isnull=True)
        .order_by("user_id")
        .values_list("user_id", "user__phone")
    )


def _address(channel: str, user, dossier) -> str:
    if channel in (Channel.SMS, Channel.ZALO):
        return (user.phone if user is not None else "") or (dossier.applicant_phone if dossier else "") or ""
    if channel == Channel.EMAIL:
        return user.email if user is not None else ""
    return ""


def _plan(user, dossier) -> list[tuple[str, str]]:
    """(channel, address) for each outside channel the person can be reached on, best first."""
    wanted = channels_for(user) if user is not None else [Channel.SMS]  # counter dossier, no account
    usable = usable_channels()
    plan = []
    for channel in wanted:
        if channel in usable and (address := _address(channel, user, dossier)):
            plan.append((channel, address))
    return plan


# --- creating messages --------------------------------------------------------------------------------------


def _create(**fields) -> tuple[Message, bool]:
    try:
        with transaction.atomic():
            return Message.objects.create(**fields), True
    except IntegrityError:  # the same key was stored before: a repeated announcement sends nothing new
        return Message.objects.get(idempotency_key=fields["idempotency_key"]), False


def _reserve_sms(*, phone: str, agency, parts: int, throttle: bool = True, kind: str = "") -> None:
    """Count one SMS against the phone's hourly throttle and its monthly budget, or refuse.

    A code (kind "otp") and a dossier notice are throttled apart, so that asking for codes never silences
    a person's notices. A code to a number with no account draws on the codes' slice for such numbers as
    well as on the whole budget: what registration may spend is capped apart from what citizens who have
    an account need to sign in, and dossier notices have their agency's own budget.
    """
    code = kind == "otp"
    if throttle:
        scope, limit = (
            ("sms-code-phone", "SMS_CODES_PER_PHONE_PER_HOUR")
            if code
            else ("sms-phone", "SMS_PER_PHONE_PER_HOUR")
        )
        if too_many(scope, phone, limit=conf.get(limit), window=3600):
            raise PhoneThrottled
    slices = [SmsBudget.Slice.WHOLE]
    if code and agency is None and not has_account(phone):
        slices.append(SmsBudget.Slice.NEW_NUMBERS)
    month = timezone.localdate().replace(day=1)
    with transaction.atomic():
        budgets = []
        for part in slices:  # always the whole budget first, then its slice: one lock order
            budget, _created = SmsBudget.objects.select_for_update().get_or_create(
                agency=agency, month=month, slice=part, defaults={"limit": SmsBudget.limit_for(agency, part)}
            )
            if budget.used + parts > budget.limit:
                raise BudgetExhausted
            budgets.append(budget.pk)
        SmsBudget.objects.filter(pk__in=budgets).update(used=F("used") + parts)


def reserve_sms_parts(agency, parts: int) -> None:
    """Reserve `parts` SMS parts at once on the agency's budget of this month (a campaign's messages, sent
    later with `send_sms(..., reserved=True)`), or raise `BudgetShort` saying how many are missing."""
    month = timezone.localdate().replace(day=1)
    with transaction.atomic():
        budget, _created = SmsBudget.objects.select_for_update().get_or_create(
            agency=agency,
            month=month,
            slice=SmsBudget.Slice.WHOLE,
            defaults={"limit": SmsBudget.limit_for(agency, SmsBudget.Slice.WHOLE)},
        )
        remaining = max(budget.limit - budget.used, 0)
        if parts > remaining:
            raise BudgetShort(needed=parts, remaining=remaining)
        SmsBudget.objects.filter(pk=budget.pk).update(used=F("used") + parts)


def release_sms_parts(agency, parts: int, *, month: dt.date) -> None:
    """Give back to `month`'s budget parts reserved with `reserve_sms_parts` and not sent after all (a
    person who opted out before their message was queued)."""
    if parts > 0:
        SmsBudget.objects.filter(
            agency=agency, month=month.replace(day=1), slice=SmsBudget.Slice.WHOLE, used__gte=parts
        ).update(used=F("used") - parts)


def _email_body(rendered_long: str, dossier) -> str:
    link = f"{getattr(settings, 'SITE_URL', '')}{dossier.get_absolute_url()}"
    return "\n\n".join(
        [
            _("Kính gửi ông/bà %(name)s,") % {"name": dossier.applicant_name},
            rendered_long,
            _("Xem hồ sơ: %(link)s") % {"link": link},
            dossier.agency.name,
        ]
    )


def _outside_message(event, rendered, channel: str, address: str, user) -> Message:
    """The event's message on one outside channel, budget reserved for SMS; failed at once if refused."""
    dossier = event.dossier
    text = _email_body(rendered.long, dossier) if channel == Channel.EMAIL else rendered.sms
    message, created = _create(
        recipient=user,
        address=address,
        channel=channel,
        kind=rendered.kind,
        dossier=dossier,
        event=event,
        agency=dossier.agency,
        subject=rendered.subject,
        text=nfc(text),
        data=rendered.data,
        idempotency_key=f"event:{event.pk}:{channel}",
    )
    if created and channel == Channel.SMS:
        parts = sms_parts(message.text)
        try:
            _reserve_sms(phone=address, agency=dossier.agency, parts=parts)
        except SmsRefused as refused:
            Message.objects.filter(pk=message.pk).update(
                status=S.FAILED, failed_at=timezone.now(), last_error=str(refused)[:500]
            )
            message.refresh_from_db()
        else:
            Message.objects.filter(pk=message.pk).update(segments=parts)
    return message


def record_messages(transition: Transition) -> list[Message]:
    """Subscribed to every transition, inside its transaction (a transactional outbox): the messages
    it causes are stored with it or not at all, so a crash after commit loses none. The worker delivers
    them; `enqueue_messages` hands them to it after commit, and `sweep` again if that hand-over is lost."""
    event = transition.event
    if not event.citizen_visible:
        return []
    rendered = render_event(event)
    if rendered is None:
        return []
    dossier, user = transition.dossier, transition.dossier.applicant
    messages: list[Message] = []
    if user is not None:
        now = timezone.now()
        inapp, _created = _create(
            recipient=user,
            channel=Channel.INAPP,
            kind=rendered.kind,
            dossier=dossier,
            event=event,
            agency=dossier.agency,
            subject=rendered.subject,
            text=rendered.long,
            data=rendered.data,
            status=S.DELIVERED,
            provider="inapp",
            sent_at=now,
            delivered_at=now,
            idempotency_key=f"event:{event.pk}:{Channel.INAPP}",
        )
        messages.append(inapp)
    if rendered.sms is not None and not _superseded(event):
        plan = _plan(user, dossier)
        if plan:
            channel, address = plan[0]
            messages.append(_outside_message(event, rendered, channel, address, user))
    return messages


def enqueue_messages(transition: Transition) -> None:
    """Subscribed after commit: hand the transition's queued messages to the worker."""
    for pk in Message.objects.filter(event=transition.event, status=S.QUEUED).values_list("pk", flat=True):
        _enqueue(pk)


def _superseded(event) -> bool:
    # At the counter, filing and receiving happen in one visit: the receipt's message (with the code and
    # the due date) says all, so the filing is not texted as well — unless the filing asked for a fee,
    # which the receipt's message does not mention.
    return event.action == "submit" and event.role == Role.ONESTOP and not event.data.get("amount_vnd")


def text_code(phone: str, text: str) -> None:
    """The accounts app's code sender: a sign-in code by SMS, refused as `CodeRefused`."""
    try:
        send_sms(phone, text, kind="otp")
    except SmsRefused as refused:
        raise CodeRefused(str(refused)) from refused


def send_sms(
    phone: str,
    text: str,
    *,
    agency=None,
    kind: str = "otp",
    key: str = "",
    reserved: bool = False,
    recipient_id=None,
) -> Message:
    """Queue one SMS (a sign-in code, a claim code) to `phone` in any usual form.

    Raises `PhoneThrottled` or `BudgetExhausted` (both `SmsRefused`: answer HTTP 429) and `ValueError` for a
    number that is not Vietnamese. `key` makes a repeated call return the first message. `reserved`: the
    parts were reserved before (`reserve_sms_parts`), neither the budget nor the throttle applies again.
    """
    e164 = normalize_phone(phone or "")
    if e164 is None:
        raise ValueError(_("Số điện thoại không hợp lệ."))
    text = nfc(text)
    with transaction.atomic():
        if key and (existing := Message.objects.filter(idempotency_key=key).first()):
            return existing
        parts = sms_parts(text)
        if not reserved:
            _reserve_sms(phone=e164, agency=agency, parts=parts, kind=kind)
        message = Message.objects.create(
            recipient_id=recipient_id,
            channel=Channel.SMS,
            kind=kind,
            address=e164,
            agency=agency,
            text=text,
            segments=parts,
            idempotency_key=key or f"sms:{uuid.uuid4().hex}",
        )
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


# --- delivery -----------------------------------------------------------------------------------------------


def _urgent(kind: str) -> bool:
    return kind in conf.get("URGENT_KINDS")


@task()
def deliver(message_id: int) -> str:
    """Send one outbox message; safe to run twice (the message is claimed with a conditional UPDATE)."""
    return deliver_message(message_id=message_id)


def _enqueue(message_id: int, *, at: dt.datetime | None = None, urgent: bool | None = None) -> None:
    if urgent is None:
        urgent = _urgent(Message.objects.filter(pk=message_id).values_list("kind", flat=True).first() or "")
    backend = deliver.get_backend()
    options: dict = {}
    if urgent and backend.supports_priority:
        options["priority"] = URGENT_PRIORITY
    if at is not None and at > timezone.now():
        if not backend.supports_defer:
            return  # a backend that cannot wait (ImmediateBackend): `sweep` sends it when it is due
        options["run_after"] = at
    deliver.using(**options).enqueue(message_id)


def _claim(message_id: int, token: str, now: dt.datetime) -> bool:
    """Take the message for this worker with one conditional UPDATE: two workers never both win.

    A message left "sending" for longer than STALE_AFTER belonged to a worker that died mid-send.
    """
    stale = now - dt.timedelta(seconds=conf.get("STALE_AFTER"))
    return bool(
        Message.objects.filter(pk=message_id)
        .filter(Q(status=S.QUEUED, next_attempt_at__lte=now) | Q(status=S.SENDING, claimed_at__lt=stale))
        .update(
            status=S.SENDING,
            claimed_at=now,
            claim=token,
            attempts=F("attempts") + 1,
            provider_attempts=F("provider_attempts") + 1,
        )
    )


def _mine(message: Message, token: str) -> QuerySet[Message]:
    # Only the worker holding the claim records the outcome, not one that was presumed dead and woke up.
    return Message.objects.filter(pk=message.pk, status=S.SENDING, claim=token)


def deliver_message(*, message_id: int) -> str:
    """Send one outbox message through its channel's providers. Idempotent: safe to run any number of
    times; returns what happened ("sent", "retry", "next-provider", "failed", "uncertain", "skipped").

    Sent at most once where the provider cannot refuse a copy (email, Zalo): the hand-over is recorded
    before the provider is called, and a message whose worker died after it is not sent again
    ("uncertain": failed with the reason, for an officer to check; no other channel is tried, since the
    first may well have arrived). eSMS refuses a RequestId it has seen, so an SMS is simply sent again.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    if not _claim(message_id, token, now):
        return "skipped"  # done already, not due yet, or another worker has it
    message = Message.objects.get(pk=message_id)
    try:
        providers = providers_for(message.channel)
    except (KeyError, ImportError) as exc:  # a settings mistake (the system check names it): fail visibly
        _fail(message, token, provider="", error=f"NOTIFICATIONS: {exc!r}")
        return "failed"
    if message.provider_index >= len(providers):
        error = _("Không có nhà cung cấp nào cho kênh %(channel)s.") % {
            "channel": message.get_channel_display()
        }
        _fail(message, token, provider=message.provider, error=message.last_error or error)
        return "failed"
    provider = providers[message.provider_index]
    if message.handed_over_at is not None and not provider.deduplicates:
        _uncertain(message, token, provider=provider.name)
        return "uncertain"
    if not _mine(message, token).update(handed_over_at=timezone.now(), provider=provider.name):
        return "skipped"  # presumed dead while starting, and taken over by another worker
    try:
        result = provider.send(message)
    except TemporaryFailure as exc:
        return _after_failure(message, token, provider=provider.name, error=str(exc), temporary=True)
    except PermanentFailure as exc:
        return _after_failure(message, token, provider=provider.name, error=str(exc), temporary=False)
    except Exception as exc:  # a bug in an adapter must not lose the message: treat it as temporary
        logger.exception("Provider %s failed on message %s", provider.name, message.pk)
        error = f"{type(exc).__name__}: {exc}"
        return _after_failure(message, token, provider=provider.name, error=error, temporary=True)
    done = timezone.now()
    _mine(message, token).update(
        status=S.DELIVERED if result.status == S.DELIVERED else S.SENT,
        provider=provider.name,
        provider_message_id=result.provider_id[:100],
        sent_at=done,
        delivered_at=done if result.status == S.DELIVERED else None,
        claim="",
        handed_over_at=None,
    )
    return "sent"


def _uncertain(message: Message, token: str, *, provider: str) -> None:
    error = _(
        "Máy gửi tin đã dừng giữa chừng sau khi chuyển tin cho %(provider)s, nên không biết tin đã đến "
        "người nhận hay chưa. Hệ thống không tự gửi lại để người nhận không nhận hai lần: hỏi người nhận "
        "(hoặc xem trang quản lý của %(provider)s) trước khi bấm gửi lại."
    ) % {"provider": provider}
    if _mine(message, token).update(
        status=S.FAILED,
        failed_at=timezone.now(),
        provider=provider,
        last_error=error[:500],
        claim="",
        handed_over_at=None,
    ):
        logger.warning(
            "Message %s not sent again: its worker died after handing it to %s", message.pk, provider
        )


def _after_failure(message: Message, token: str, *, provider: str, error: str, temporary: bool) -> str:
    now = timezone.now()
    error = error[:500]
    urgent = _urgent(message.kind)
    delays = conf.get("URGENT_RETRY_DELAYS" if urgent else "RETRY_DELAYS")
    if temporary and message.provider_attempts <= len(delays):
        at = now + dt.timedelta(seconds=delays[message.provider_attempts - 1])
        if _mine(message, token).update(
            status=S.QUEUED,
            next_attempt_at=at,
            provider=provider,
            last_error=error,
            claim="",
            handed_over_at=None,
        ):
            _enqueue(message.pk, at=at, urgent=urgent)
        return "retry"
    if message.provider_index + 1 < len(providers_for(message.channel)):
        if _mine(message, token).update(
            status=S.QUEUED,
            provider_index=F("provider_index") + 1,
            provider_attempts=0,
            next_attempt_at=now,
            provider=provider,
            last_error=error,
            claim="",
            handed_over_at=None,
        ):
            _enqueue(message.pk, urgent=urgent)
        return "next-provider"
    _fail(message, token, provider=provider, error=error)
    return "failed"


def _fail(message: Message, token: str, *, provider: str, error: str) -> None:
    if _mine(message, token).update(
        status=S.FAILED,
        failed_at=timezone.now(),
        provider=provider,
        last_error=error[:500],
        claim="",
        handed_over_at=None,
    ):
        logger.warning("Message %s failed on every provider: %s", message.pk, error)
        _fall_back(message)


def _fall_back(message: Message) -> Message | None:
    """When a dossier message failed on one channel, try the citizen's next channel (Zalo -> SMS)."""
    if message.event_id is None:
        return None
    event = message.event
    rendered = render_event(event)
    if rendered is None or rendered.sms is None:
        return None
    tried = set(Message.objects.filter(event=event).values_list("channel", flat=True))
    for channel, address in _plan(message.recipient, event.dossier):
        if channel not in tried:
            with transaction.atomic():
                fallback = _outside_message(event, rendered, channel, address, message.recipient)
                if fallback.status == S.QUEUED:
                    transaction.on_commit(lambda pk=fallback.pk: _enqueue(pk))
            return fallback
    return None


def sweep(*, now: dt.datetime | None = None) -> int:
    """Enqueue again what no task will deliver: due messages whose task was lost (a crash between commit
    and enqueue, a backend that cannot wait) and messages whose worker died mid-send. Run every minute."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=conf.get("STALE_AFTER"))
    grace = now - dt.timedelta(seconds=60)  # a task enqueued a moment ago is still on its way
    ids = list(
        Message.objects.filter(
            Q(status=S.QUEUED, next_attempt_at__lte=grace) | Q(status=S.SENDING, claimed_at__lt=stale)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def retry_message(message: Message, *, by) -> Message:
    """An officer sends a failed message again, from the first provider. The throttle does not apply
    (a person asked for it), the budget does. Raises `BudgetExhausted`."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status != S.FAILED:
            return message
        if message.channel == Channel.SMS and message.segments == 0:
            parts = sms_parts(message.text)
            _reserve_sms(phone=message.address, agency=message.agency, parts=parts, throttle=False)
            message.segments = parts
        message.status = S.QUEUED
        message.provider_index = 0
        message.provider_attempts = 0
        message.next_attempt_at = timezone.now()
        message.failed_at = None
        message.save()
        logger.info("Message %s sent again by %s", message.pk, by)
        transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def record_esms_receipt(*, message_id: int, signature: str, params: dict) -> bool:
    """eSMS's delivery report (a GET to our CallbackUrl): delivered, or failed and the next channel tried."""
    if not hmac.compare_digest(signature, receipt_signature(message_id)):
        return False
    message = Message.objects.filter(pk=message_id, status__in=[S.SENT, S.DELIVERED]).first()
    if message is None or (
        message.provider_message_id and params.get("SMSID") != message.provider_message_id
    ):
        return False
    status, succeeded, failed = (str(params.get(k, "")) for k in ("SendStatus", "SendSuccess", "SendFailed"))
    now = timezone.now()
    if succeeded.isdigit() and int(succeeded) > 0:
        Message.objects.filter(pk=message.pk).update(status=S.DELIVERED, delivered_at=now)
    elif status == "4" or (failed.isdigit() and int(failed) > 0):
        error = _("Nhà mạng báo không giao được tin (eSMS SendStatus=%(status)s).") % {"status": status}
        updated = Message.objects.filter(pk=message.pk, status=S.SENT).update(
            status=S.FAILED, failed_at=now, last_error=error
        )
        if updated:
            _fall_back(message)
    return True


# --- reading ------------------------------------------------------------------------------------------------

HIDDEN_KINDS = ("otp",)  # codes are never listed back to an account: a stolen session must not read them


def inbox(user) -> QuerySet[Message]:
    """The person's in-app messages, newest first."""
    return Message.objects.filter(recipient=user, channel=Channel.INAPP).select_related("dossier")


def api_items(user, *, limit: int = 100) -> list[dict]:
    rows = (
        Message.objects.filter(recipient=user)
        .exclude(kind__in=HIDDEN_KINDS)
        .values("created_at", "channel", "kind", "text", "status")[:limit]
    )
    return [
        {
            "at": r["created_at"],
            "channel": r["channel"],
            "event": r["kind"],
            "text": r["text"],
            "status": r["status"],
        }
        for r in rows
    ]


def outbox(agency, *, failed_only: bool = False, development: bool = False) -> QuerySet[Message]:
    """The agency's outside messages, newest first; in development also the codes sent with no agency."""
    mine = Q(agency=agency)
    if development:
        mine |= Q(agency__isnull=True)
    messages = Message.objects.filter(mine).exclude(channel=Channel.INAPP).select_related("dossier")
    return messages.filter(status=S.FAILED) if failed_only else messages


def outbox_message(agency, pk: int, *, development: bool = False) -> Message | None:
    return outbox(agency, development=development).filter(pk=pk).first()


def budget_of(agency, *, slice: str = "") -> SmsBudget:
    """This month's budget: an agency's (its dossier notices), or with `agency=None` the codes', or the
    codes' slice for numbers with no account (`slice="new_numbers"`)."""
    month = timezone.localdate().replace(day=1)
    budget = SmsBudget.objects.filter(agency=agency, month=month, slice=slice).first()
    return budget or SmsBudget(
        agency=agency, month=month, slice=slice, limit=SmsBudget.limit_for(agency, slice), used=0
    )
