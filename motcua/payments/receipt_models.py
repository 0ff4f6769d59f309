"""The e-receipts of paid fees (biên lai điện tử thu phí, lệ phí), kept apart from models.py so that the
payment models and these grow separately; models.py imports them, so Django finds them as usual.

What issues them and when is `receipts.py`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_NUMBER = 9_999_999  # a receipt number has at most 7 digits (printed 0000001)


class ReceiptSeries(models.Model):
    """One series of e-receipts of a collecting agency: its form symbol (ký hiệu mẫu biên lai, e.g.
    01BLP0-001), its series symbol (ký hiệu biên lai, e.g. MC-26E, the year in the middle) and the last
    number given in it.

    Numbers run 1, 2, 3… without a gap or a repeat: the local issuer takes the next one with this row
    locked (select_for_update) inside the payment's transaction, so a payment that rolls back takes its
    number back with it, and two payments at once wait for each other here.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    form_symbol = models.CharField(_("ký hiệu mẫu biên lai"), max_length=20)
    symbol = models.CharField(_("ký hiệu biên lai"), max_length=20)
    tax_code = models.CharField(_("mã số thuế của đơn vị thu"), max_length=14, blank=True)
    last_number = models.PositiveIntegerField(_("số biên lai đã cấp gần nhất"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ký hiệu biên lai")
        verbose_name_plural = _("ký hiệu biên lai")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "form_symbol", "symbol"], name="receipt_series_once"),
            models.CheckConstraint(condition=Q(last_number__lte=MAX_NUMBER), name="receipt_number_7_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.form_symbol} {self.symbol} ({self.last_number})"


class Receipt(models.Model):
    """What was issued for one paid fee: the e-receipt (form symbol, series, number, signature), the
    national platform's receipt when the fee was paid there, or the record of a failed try that the
    periodic job and the officers try again. A payment without a row had no issuer to ask."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang phát hành")
        ISSUED = "issued", _("Đã phát hành")
        FAILED = "failed", _("Chưa phát hành được")
        PLATFORM = "platform", _("Biên lai của Cổng thanh toán quốc gia")

    request = models.OneToOneField(
        "payments.PaymentRequest", on_delete=models.PROTECT, related_name="receipt"
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    issuer = models.CharField(_("đơn vị phát hành"), max_length=40)  # "local", "paygov", an adapter's name
    series = models.ForeignKey(
        ReceiptSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    form_symbol = models.CharField(_("ký hiệu mẫu biên lai"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu biên lai"), max_length=20, blank=True)
    number = models.PositiveIntegerField(_("số biên lai"), null=True, blank=True)
    issued_at = models.DateTimeField(_("ngày lập"), null=True, blank=True)
    tax_code = models.CharField(_("mã số thuế của đơn vị thu"), max_length=14, blank=True)
    # What the issuer signed (the receipt's content as it was), its signature and who signed.
    data = models.JSONField(default=dict, blank=True)
    signature = models.TextField(_("chữ ký số"), blank=True)
    signed_by = models.CharField(_("người ký"), max_length=200, blank=True)
    lookup_code = models.CharField(_("mã tra cứu"), max_length=40, blank=True)
    lookup_url = models.URLField(_("địa chỉ tra cứu"), max_length=500, blank=True)
    is_test = models.BooleanField(_("biên lai thử nghiệm"), default=False)
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("lỗi"), max_length=300, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number"], condition=Q(series__isnull=False), name="receipt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_symbol} {self.symbol} {self.number_text}".strip() or self.get_state_display()

    @property
    def number_text(self) -> str:
        """The number as printed: seven digits (0000001)."""
        return f"{self.number:07d}" if self.number is not None else ""

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED
