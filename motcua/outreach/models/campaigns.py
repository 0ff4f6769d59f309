from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.text import nfc

from ..links import CAMPAIGN_MAX, clean_campaign


class SendState(models.TextChoices):
    """Where a campaign's message to the citizens who asked for news is."""

    NONE = "", _("Chưa gửi")
    SENDING = "sending", _("Đang gửi")
    DONE = "done", _("Đã gửi xong")


class Campaign(models.Model):
    """An outreach campaign of one commune ("Tháng khai sinh trực tuyến"): the procedures and life events it
    promotes, between two dates; its posters, leaflets and bulletins carry its slug (`?cd=`), and what they
    bring is counted under it (`Uptake.campaign`). Optionally one message to the citizens who opted in."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tên chiến dịch"), max_length=120)
    slug = models.CharField(
        _("mã chiến dịch"),
        max_length=CAMPAIGN_MAX,
        unique=True,
        help_text=_("Viết liền, không dấu, nối bằng gạch ngang, ví dụ: thang-khai-sinh. Mã QR mang tên này."),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến hết ngày"))
    procedures = models.JSONField(_("thủ tục giới thiệu"), default=list, blank=True)  # codes
    life_events = models.JSONField(_("sự kiện cuộc sống giới thiệu"), default=list, blank=True)  # slugs
    message = models.CharField(_("tin nhắn gửi người đăng ký nhận tin"), max_length=300, blank=True)

    send_state = models.CharField(
        max_length=10, choices=SendState.choices, default=SendState.NONE, blank=True
    )
    send_started_at = models.DateTimeField(null=True, blank=True)
    send_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)  # how many were to be told, fixed at the start
    segments = models.PositiveIntegerField(default=0)  # SMS parts reserved at the start
    queued = models.PositiveIntegerField(default=0)  # how many messages the worker has put in the outbox

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chiến dịch truyền thông")
        verbose_name_plural = _("chiến dịch truyền thông")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(nfc(self.name).split())
        self.message = " ".join(nfc(self.message).split())
        super().save(*args, **kwargs)

    def clean(self):
        if self.slug and clean_campaign(self.slug) != self.slug:
            raise ValidationError({"slug": _("Mã chiến dịch chỉ gồm chữ không dấu, số và gạch ngang.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})

    @property
    def has_started_sending(self) -> bool:
        return self.send_state != SendState.NONE
