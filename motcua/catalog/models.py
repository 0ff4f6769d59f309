import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.text import fold


class Level(models.TextChoices):
    FULLY_ONLINE = "toan_trinh", _("Trực tuyến toàn trình")
    PARTLY_ONLINE = "mot_phan", _("Trực tuyến một phần")
    IN_PERSON = "truc_tiep", _("Nộp trực tiếp")


class TimeKind(models.TextChoices):
    SAME_DAY = "same_day", _("Trong ngày")
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    HOURS = "hours", _("Giờ làm việc")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu điện")


class FeeChannel(models.TextChoices):
    ANY = "any", _("Mọi cách nộp")
    ONLINE = "online", _("Nộp trực tuyến")
    COUNTER = "counter", _("Nộp tại bộ phận một cửa")


class FeeUnit(models.TextChoices):
    REQUEST = "request", _("hồ sơ")
    COPY = "copy", _("bản")
    PAGE = "page", _("trang")


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED = "certified", _("Bản sao có chứng thực")
    PHOTOCOPY = "photocopy", _("Bản photo")
    SHOW_ORIGINAL = "show_original", _("Mang bản chính để đối chiếu")
    ORIGINAL_OR_CERTIFIED = "original_or_certified", _("Bản chính hoặc bản sao có chứng thực")


class FieldType(models.TextChoices):
    TEXT = "text", _("Chữ")
    TEXTAREA = "textarea", _("Đoạn văn")
    DATE = "date", _("Ngày")
    INTEGER = "integer", _("Số")
    CHOICE = "choice", _("Lựa chọn")
    BOOLEAN = "boolean", _("Có/Không")
    PHONE = "phone", _("Số điện thoại")
    ID_NUMBER = "id_number", _("Số định danh cá nhân")
    EMAIL = "email", _("Thư điện tử")


class ExemptionCategory(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("đối tượng"), max_length=200)
    evidence = models.CharField(_("giấy tờ chứng minh"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đối tượng miễn, giảm")
        verbose_name_plural = _("đối tượng miễn, giảm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> "ProcedureQuerySet":
        """The versions in force on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


class Procedure(models.Model):
    """One version of an administrative procedure (thủ tục hành chính), in force between two dates.

    A new circular that changes a fee or a form is a new row with the same `code` and a later
    `valid_from`; dossiers keep pointing at the version they were filed under.
    """

    code = models.CharField(_("mã thủ tục"), max_length=30, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=300)
    field = models.CharField(_("lĩnh vực"), max_length=100)
    level = models.CharField(_("mức độ"), max_length=20, choices=Level.choices)
    summary = models.TextField(_("tóm tắt"), blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    who_may_apply = models.TextField(_("ai được yêu cầu"), blank=True)
    time_kind = models.CharField(_("loại thời hạn"), max_length=20, choices=TimeKind.choices)
    time_value = models.PositiveIntegerField(_("thời hạn"), default=0)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=300, blank=True)
    channels = models.JSONField(_("cách nộp"), default=list, blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    keywords = models.JSONField(_("từ khóa tìm kiếm"), default=list, blank=True)
    popularity = models.PositiveSmallIntegerField(_("mức độ phổ biến"), default=0)
    form_title = models.CharField(_("tên tờ khai"), max_length=200, blank=True)
    # 0 any account; 1 phone verified; 2 verified at the desk; 3 VNeID (accounts.User.IdentityLevel).
    min_identity_level = models.PositiveSmallIntegerField(
        _("mức xác thực tối thiểu để nộp trực tuyến"), default=0
    )
    exemptions = models.ManyToManyField(
        ExemptionCategory, through="ProcedureExemption", blank=True, verbose_name=_("miễn, giảm")
    )
    # Name, code, field and keywords folded to ASCII lower case, for forgiving search.
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="procedure_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="procedure_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = " ".join(
            fold(part) for part in [self.code, self.name, self.field, *self.keywords] if part
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/thu-tuc/{self.code}/"

    def clean(self) -> None:
        overlapping = Procedure.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lt=self.valid_to)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.valid_from))
        if overlapping.exists():
            raise ValidationError(_("Thời gian hiệu lực trùng với một phiên bản khác của thủ tục này."))
        bad = set(self.channels) - set(Channel.values)
        if bad:
            raise ValidationError({"channels": _("Cách nộp không hợp lệ: %s") % ", ".join(sorted(bad))})

    @property
    def is_online(self) -> bool:
        return self.level != Level.IN_PERSON


class Fee(models.Model):
    """A fee line. `unit=page` may get cheaper from page `later_from` and is capped per copy."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(_("áp dụng khi"), max_length=10, choices=FeeChannel.choices, default="any")
    label = models.CharField(_("khoản thu"), max_length=200)
    amount_vnd = models.PositiveIntegerField(_("số tiền (đồng)"))
    unit = models.CharField(_("tính theo"), max_length=10, choices=FeeUnit.choices, default="request")
    later_amount_vnd = models.PositiveIntegerField(_("từ trang thứ … (đồng)"), null=True, blank=True)
    later_from = models.PositiveSmallIntegerField(_("áp dụng từ trang"), null=True, blank=True)
    cap_vnd = models.PositiveIntegerField(_("tối đa mỗi bản (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class ProcedureExemption(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="exemption_rows")
    category = models.ForeignKey(ExemptionCategory, on_delete=models.PROTECT, verbose_name=_("đối tượng"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("miễn, giảm")
        verbose_name_plural = _("miễn, giảm")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "category"], name="procedure_exemption_unique")
        ]

    def __str__(self) -> str:
        return str(self.category)


class RequiredDocument(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("giấy tờ"), max_length=300)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    kind = models.CharField(_("loại bản"), max_length=30, choices=DocumentKind.choices)
    required = models.BooleanField(_("bắt buộc"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class GuideStep(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("bước"), max_length=100)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("bước thực hiện")
        verbose_name_plural = _("các bước thực hiện")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class FormField(models.Model):
    """One field of the procedure's e-declaration (tờ khai)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.SlugField(_("tên trường"), max_length=60)
    label = models.CharField(_("nhãn"), max_length=200)
    type = models.CharField(_("kiểu"), max_length=20, choices=FieldType.choices, default="text")
    required = models.BooleanField(_("bắt buộc"), default=False)
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), null=True, blank=True)
    section = models.CharField(_("nhóm"), max_length=100, blank=True)
    prefill = models.CharField(_("điền sẵn từ hồ sơ cá nhân"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["procedure", "name"], name="form_field_unique_name")]

    def __str__(self) -> str:
        return self.label
