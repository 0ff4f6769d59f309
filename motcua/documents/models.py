import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a document is. The values are the slugs in its URL: /ho-so/<code>/van-ban/<kind>.pdf."""

    DECLARATION = "to-khai", _("Tờ khai")
    RECEIPT = "tiep-nhan", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "bo-sung", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "tu-choi", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "xin-loi", _("Văn bản xin lỗi, hẹn lại ngày trả kết quả")
    STOP = "dung-xu-ly", _("Thông báo dừng giải quyết hồ sơ")
    CONTROL = "kiem-soat", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")
    REGISTER = "so-theo-doi", _("Sổ theo dõi hồ sơ")
    FEE_RECEIPT = "bien-lai", _("Biên lai thu phí, lệ phí")


class TemplateQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "TemplateQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class DocumentTemplate(models.Model):
    """One version of a one-stop form (Mẫu số 0x) under the circular that issues it.

    As with procedures, `valid_to` is the first day the version no longer applies, so the Thông tư
    01/2018 set ends on 2025-09-15 (in force up to and including 14/9/2025, the day before Thông tư
    03/2025/TT-VPCP of 15/9/2025 took over). A document uses the version in force on its own date, the
    date of the event it records, not the day it is printed: a receipt of 14/9/2025 is Mẫu số 01 of
    Thông tư 01/2018, one of 15/9/2025 Mẫu số 01 of Phụ lục I of Thông tư 03/2025.
    The wording of each form is code (`content/`); what changes with a new circular is this row: its
    legal source (`legal_basis`: number, date, issuer; `article`: the annex or article that issues the
    form), the form's number and title, and the dates it applies (`valid_from` is the day it takes
    effect, which may differ from the day the circular is dated). A new circular is a new row that
    takes over on its day.
    """

    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("mẫu số"), max_length=10)
    title = models.CharField(_("tên mẫu"), max_length=200)
    symbol = models.CharField(_("ký hiệu"), max_length=20, blank=True)
    legal_basis = models.CharField(_("ban hành kèm theo"), max_length=300)
    article = models.CharField(_("điều, phụ lục ban hành mẫu"), max_length=100, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="document_template_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="document_template_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Mẫu số {self.number} — {self.title} ({self.legal_basis})"

    def clean(self) -> None:
        overlapping = DocumentTemplate.objects.filter(kind=self.kind).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lt=self.valid_to)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.valid_from))
        if overlapping.exists():
            raise ValidationError(_("Thời gian hiệu lực trùng với một phiên bản khác của mẫu này."))

    @property
    def form_note(self) -> str:
        """The line printed at the top right: "Mẫu số 01, Phụ lục I ban hành kèm theo Thông tư số
        03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ" (no annex when the row names none)."""
        where = f"{self.article} " if self.article else ""
        return f"Mẫu số {self.number}, {where}ban hành kèm theo {self.legal_basis}"
