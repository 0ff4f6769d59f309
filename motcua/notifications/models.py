import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conf


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")
    INAPP = "inapp", _("Trong tài khoản")


# The channels that leave motcua through a provider; in-app messages are delivered by being stored.
EXTERNAL = (Channel.ZALO, Channel.SMS, Channel.EMAIL)


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Không gửi được")


class Message(models.Model):
    """One message on one channel: the outbox row that background tasks deliver.

    `idempotency_key` is unique, so a retried or duplicated enqueue (the same event announced twice, a
    task run twice) finds the existing row instead of sending again.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("người nhận"),
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("loại tin"), max_length=40)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("hồ sơ"),
    )
    event = models.ForeignKey(
        "dossiers.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("cơ quan"),
    )
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    text = models.TextField(_("nội dung"))
    # Named values of the text (code, due date, amount…): Zalo ZNS fills its approved templates with them.
    data = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    # Which provider of the channel's ordered list is being tried, and how often it has been.
    provider_index = models.PositiveSmallIntegerField(default=0)
    provider_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần sau lúc"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    # Set just before a worker hands the message to a provider, cleared with the outcome: still set when
    # the message is claimed again, it says a worker died after handing it over, maybe after the provider
    # had accepted it.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(_("nhà cung cấp"), max_length=30, blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    # SMS parts charged to the agency's monthly budget; 0 while nothing was reserved.
    segments = models.PositiveSmallIntegerField(_("số phần tin SMS"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến người nhận lúc"), null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"], name="message_inbox"),
            models.Index(fields=["agency", "status", "-created_at"], name="message_outbox"),
            # The sweep looks for work whose task may have been lost: a small slice of the table.
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="message_pending",
            ),
            models.Index(fields=["provider", "provider_message_id"], name="message_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} → {self.address or self.recipient_id}"

    @property
    def is_failed(self) -> bool:
        return self.status == MessageStatus.FAILED


class Preference(models.Model):
    """The channels a person wants to be told on, in order; in-app is always kept.

    Only the first usable outside channel is sent to; the next one is tried when it fails (no Zalo account,
    an email that bounces), so a citizen is told once, not three times.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channels = models.JSONField(_("kênh nhận tin"), default=list)
    # The commune's news (a campaign's message, outreach.campaigns): only to those who asked, and every such
    # message says how to stop them.
    news = models.BooleanField(_("nhận tin giới thiệu dịch vụ công của xã"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(self.channels)}"


class SmsBudget(models.Model):
    """SMS parts that may be sent in one month: each agency's row covers its dossier notices; the row
    without agency covers the codes (sign-in, registration, claims); and the codes to numbers with no
    account draw on their own slice of it as well (a second row, `slice="new_numbers"`), so that a script
    asking codes for random numbers exhausts that slice and nothing else."""

    class Slice(models.TextChoices):
        WHOLE = "", _("cả hạn mức")
        NEW_NUMBERS = "new_numbers", _("mã gửi số chưa có tài khoản")

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    slice = models.CharField(_("phần hạn mức"), max_length=20, choices=Slice.choices, default="", blank=True)
    month = models.DateField(_("tháng"))  # its first day
    limit = models.PositiveIntegerField(_("hạn mức (phần tin)"))
    used = models.PositiveIntegerField(_("đã dùng"), default=0)

    class Meta:
        verbose_name = _("hạn mức SMS")
        verbose_name_plural = _("hạn mức SMS")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "slice"],
                condition=Q(agency__isnull=False),
                name="sms_budget_agency_month",
            ),
            models.UniqueConstraint(
                fields=["month", "slice"], condition=Q(agency__isnull=True), name="sms_budget_system_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency or '—'} {self.slice} {self.month:%m/%Y}: {self.used}/{self.limit}"

    @staticmethod
    def limit_for(agency, slice: str) -> int:
        """The limit a new month's row starts with, from the settings (conf.py)."""
        if slice == SmsBudget.Slice.NEW_NUMBERS:
            return conf.get("SMS_NEW_NUMBER_MONTHLY_LIMIT")
        if agency is None and conf.get("SMS_CODE_MONTHLY_LIMIT") is not None:
            return conf.get("SMS_CODE_MONTHLY_LIMIT")
        return conf.get("SMS_MONTHLY_LIMIT")

    def month_elapsed(self, now=None) -> float:
        """How much of the budget's month has gone by, 0 to 1."""
        now = timezone.localtime(now)
        start = timezone.make_aware(dt.datetime.combine(self.month, dt.time()), now.tzinfo)
        end = timezone.make_aware(
            dt.datetime.combine((self.month + dt.timedelta(days=32)).replace(day=1), dt.time()), now.tzinfo
        )
        return min(1.0, max(0.0, (now - start) / (end - start)))

    def runs_fast(self, now=None) -> bool:
        """At this pace the budget runs out before the month ends (and a tenth of it is used already:
        the first hours of a month say nothing)."""
        if self.limit == 0 or self.used * 10 < self.limit:
            return False
        return self.used / self.limit > self.month_elapsed(now)
