import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.actions import PAYMENT_METHODS

from .receipt_models import Receipt, ReceiptSeries  # noqa: F401 - the e-receipts, registered with the app

# Letters and digits a person cannot confuse when typing a transfer memo by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The largest amount of money accepted where it enters (a gateway, the bank's webhook, a statement row):
# what a PositiveIntegerField holds everywhere, far above any commune fee. Beyond it a clear refusal.
MAX_INCOMING_VND = 2**31 - 1

# What the officer does about money that could not simply pay a fee, by the problem's code (an attempt's
# `problem`, a bank credit's `match`): shown next to each flagged payment on /can-bo/thanh-toan/.
WHAT_TO_DO = {
    "replaced": _(
        "Người nộp đã trả khoản phí cũ, nhưng khoản này đã được thay bằng khoản phí khác. Xem khoản phí "
        "hiện tại trên trang hồ sơ: nếu số tiền đã nhận đủ cho khoản đó, bấm “Xác nhận đã nộp phí” và ghi mã "
        "giao dịch làm số biên lai; nếu không, hoàn trả số tiền đã nhận cho người nộp và báo họ nộp khoản "
        "phí hiện tại."
    ),
    "duplicate": _(
        "Khoản phí đã được nộp trước đó; đây là lần nộp thứ hai (thanh toán ở hai cửa sổ, hoặc vừa chuyển "
        "khoản vừa nộp ở bộ phận một cửa). Hoàn trả lần nộp thừa cho người nộp và báo cho họ."
    ),
    "cancelled": _(
        "Hồ sơ đã dừng, bị từ chối hoặc được rút, hoặc khoản phí đã được hủy hay miễn, nên không còn chờ "
        "khoản tiền này. Hoàn trả toàn bộ số tiền cho người nộp và báo cho họ."
    ),
    "amount": _(
        "Cổng thanh toán báo đã thu một số tiền khác với khoản phí. Tra cứu giao dịch với cổng thanh toán "
        "theo mã giao dịch: nếu đã thu đúng số tiền của khoản phí, bấm “Xác nhận đã nộp phí” trên trang hồ "
        "sơ; nếu không, hoàn trả số tiền đã thu cho người nộp và mời họ nộp lại."
    ),
    "underpaid": _(
        "Người nộp chuyển thiếu tiền; khoản phí vẫn chờ nộp. Liên hệ người nộp để chuyển thêm phần còn "
        "thiếu, hoặc hoàn trả và mời họ nộp lại đủ số tiền."
    ),
    "overpaid": _(
        "Người nộp chuyển thừa tiền; khoản phí đã được ghi là đã nộp. Hoàn trả phần thừa cho người nộp."
    ),
    "unmatched": _(
        "Nội dung chuyển khoản không có mã thanh toán nào của hệ thống. Tìm hồ sơ theo tên người nộp và số "
        "tiền: nếu đúng là khoản phí đang chờ nộp, bấm “Xác nhận đã nộp phí” trên trang hồ sơ và ghi mã giao "
        "dịch ngân hàng làm số biên lai; nếu không, hoàn trả cho người chuyển."
    ),
}


def new_reference() -> str:
    return "MC" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class PaymentRequest(models.Model):
    """A fee the citizen must pay for a dossier. Payment state lives here, apart from the dossier's status."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        EXEMPT = "exempt", _("Được miễn")
        CANCELLED = "cancelled", _("Đã hủy")
        REFUNDED = "refunded", _("Đã hoàn trả")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="payment_requests")
    amount_vnd = models.PositiveIntegerField(_("số tiền (đồng)"))
    reason = models.CharField(_("khoản thu"), max_length=300)
    reference = models.CharField(_("mã thanh toán"), max_length=20, unique=True, default=new_reference)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    exemption = models.CharField(_("lý do miễn"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(_("cách nộp"), max_length=20, blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("yêu cầu thanh toán")
        verbose_name_plural = _("yêu cầu thanh toán")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount_vnd}"


class Attempt(models.Model):
    """One try to pay through a provider, with everything support needs to answer the citizen."""

    class State(models.TextChoices):
        STARTED = "started", _("Đang thanh toán")
        SUCCEEDED = "succeeded", _("Thành công")
        FAILED = "failed", _("Không thành công")
        EXPIRED = "expired", _("Hết hạn")

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="attempts")
    provider = models.CharField(_("kênh"), max_length=20)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    amount_vnd = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.STARTED)
    response_code = models.CharField(max_length=10, blank=True)
    transaction_no = models.CharField(max_length=40, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    message = models.CharField(_("lý do"), max_length=300, blank=True)

    class Problem(models.TextChoices):
        """Why an officer must look at this attempt: VNPay holds the money (code 07), or money was taken
        for a fee that no longer waits for it (a refund or a manual match, see WHAT_TO_DO)."""

        HELD = "held", _("VNPay tạm giữ để kiểm tra")
        REPLACED = "replaced", _("Khoản phí đã được thay")
        DUPLICATE = "duplicate", _("Nộp trùng")
        CANCELLED = "cancelled", _("Hồ sơ không còn chờ nộp khoản phí này")
        AMOUNT = "amount", _("Số tiền không khớp")

    # Set with `problem`; cleared by the officer who followed it up, while `problem` keeps the fact.
    needs_review = models.BooleanField(_("cần kiểm tra"), default=False)
    problem = models.CharField(_("vấn đề"), max_length=10, choices=Problem.choices, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần thanh toán")
        verbose_name_plural = _("lần thanh toán")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.provider} {self.txn_ref} {self.state}"

    @property
    def what_to_do(self) -> str:
        return WHAT_TO_DO.get(self.problem, "")


class BankTransaction(models.Model):
    """A credit on the agency's account, from the bank's webhook or an imported statement."""

    class Match(models.TextChoices):
        MATCHED = "matched", _("Khớp")
        UNDERPAID = "underpaid", _("Thiếu tiền")
        OVERPAID = "overpaid", _("Thừa tiền")
        DUPLICATE = "duplicate", _("Nộp trùng")
        UNMATCHED = "unmatched", _("Không tìm thấy hồ sơ")
        REPLACED = "replaced", _("Khoản phí đã được thay")
        CANCELLED = "cancelled", _("Hồ sơ không còn chờ nộp khoản phí này")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    bank_ref = models.CharField(_("mã giao dịch ngân hàng"), max_length=80)
    amount_vnd = models.BigIntegerField(_("số tiền"))
    memo = models.CharField(_("nội dung"), max_length=500, blank=True)
    booked_at = models.DateTimeField(_("thời gian"), null=True, blank=True)
    source = models.CharField(max_length=20)  # webhook, statement, sepay, casso
    # The notifying service's own id of the transaction (SePay's and Casso's `id`): a notice it sends
    # again, however often, finds the credit it recorded the first time.
    provider_ref = models.CharField(max_length=80, blank=True)
    request = models.ForeignKey(
        PaymentRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="bank_transactions"
    )
    match = models.CharField(_("đối chiếu"), max_length=10, choices=Match.choices)
    resolved = models.BooleanField(_("đã xử lý"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giao dịch ngân hàng")
        verbose_name_plural = _("giao dịch ngân hàng")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "bank_ref"], name="bank_transaction_once"),
            models.UniqueConstraint(
                fields=["agency", "source", "provider_ref"],
                condition=~models.Q(provider_ref=""),
                name="bank_notice_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_ref} {self.amount_vnd}"

    @property
    def needs_officer(self) -> bool:
        return self.match != self.Match.MATCHED and not self.resolved

    @property
    def what_to_do(self) -> str:
        return WHAT_TO_DO.get(self.match, "")


class Refund(models.Model):
    """A fee paid for a dossier that ended without its result (refused, stopped, withdrawn): the officers'
    task of giving it back, and once done how and when it was given back, by whom."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Chuyển khoản")
        CASH = "cash", _("Tiền mặt")

    request = models.OneToOneField(PaymentRequest, on_delete=models.PROTECT, related_name="refund")
    amount_vnd = models.PositiveIntegerField(_("số tiền (đồng)"))
    why = models.CharField(_("lý do"), max_length=20)  # the closing action: refuse, stop, withdraw
    created_at = models.DateTimeField(auto_now_add=True)
    refunded_at = models.DateTimeField(_("hoàn trả lúc"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("cách hoàn trả"), max_length=10, choices=Method.choices, blank=True)
    reference = models.CharField(_("mã giao dịch hoặc số phiếu chi"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("hoàn trả phí")
        verbose_name_plural = _("hoàn trả phí")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request.reference} {self.amount_vnd}"

    WHY = {
        "refuse": _("Hồ sơ không được tiếp nhận"),
        "stop": _("Hồ sơ bị dừng xử lý"),
        "withdraw": _("Công dân rút hồ sơ"),
    }

    @property
    def is_done(self) -> bool:
        return self.refunded_at is not None

    @property
    def why_label(self) -> str:
        return str(self.WHY.get(self.why, self.why))

    @property
    def paid_by(self) -> str:
        """How the fee was paid, in words ('chuyển khoản', 'VNPay', 'tiền mặt')."""
        return str(PAYMENT_METHODS.get(self.request.method, self.request.method))


class NoticeRefusal(models.Model):
    """Bank notices turned away (a wrong key or signature, or none configured), counted so that an officer
    sees that transfers stopped being matched — most often a key changed at SePay or Casso and not here.
    One row per service, claimed account and reason: a flood of forgeries adds to a count, not to rows."""

    source = models.CharField(max_length=20)
    account = models.CharField(max_length=40, blank=True)  # an agency's account, or "" when not ours
    reason = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    SOURCES = {"sepay": "SePay", "casso": "Casso"}
    REASONS = {
        "not configured": _("chưa đặt khóa trên máy chủ"),
        "bad key": _("sai khóa API"),
        "bad signature": _("sai chữ ký"),
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "account", "reason"], name="notice_refusal_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.reason} ×{self.count}"

    @property
    def source_label(self) -> str:
        return self.SOURCES.get(self.source, self.source)

    @property
    def reason_label(self) -> str:
        return str(self.REASONS.get(self.reason, self.reason))
