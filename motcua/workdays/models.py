from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    """A day off, a worked weekend day or a swap that the government announced, with its legal source.

    The rule (`services`) gives the Labour Code's holidays; what the Prime Minister decides each year —
    the five Tết days, the day next to 2/9, the swaps that join a holiday to a weekend — is announced by
    dispatch (công văn of the Government Office, thông báo of the Ministry of Home Affairs) and lives
    here, with the document that says so. A row wins over the rule.

    A swap is one row, as the dispatch words it: the working day `date` becomes a day off, and the
    weekend day `worked_on` is worked instead ("hoán đổi ngày làm việc thứ Sáu 02/01/2026 sang thứ Bảy
    10/01/2026").
    """

    class Kind(models.TextChoices):
        OFF = "off", _("Ngày nghỉ")
        WORKDAY = "workday", pgettext_lazy("kind of day", "Ngày làm việc")
        SWAP = "swap", _("Hoán đổi ngày làm việc")

    date = models.DateField(
        _("ngày"), unique=True, help_text=_("Với hoán đổi: ngày làm việc được chuyển thành ngày nghỉ.")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    worked_on = models.DateField(
        _("ngày làm bù"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("Chỉ với hoán đổi: ngày nghỉ hằng tuần (thường là thứ Bảy) phải đi làm thay."),
    )
    name = models.CharField(
        _("tên"), max_length=200, help_text=_("Ví dụ: Tết Dương lịch, hoặc Hoán đổi dịp Quốc khánh")
    )
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    source_kind = models.CharField(
        _("loại văn bản"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: Công văn, Thông báo, Bộ luật Lao động"),
    )
    source_number = models.CharField(
        _("số hiệu văn bản"), max_length=100, blank=True, help_text=_("Ví dụ: 12729/VPCP-KGVX")
    )
    source_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    source_issuer = models.CharField(
        _("cơ quan ban hành"), max_length=200, blank=True, help_text=_("Ví dụ: Văn phòng Chính phủ")
    )
    source_article = models.CharField(
        _("điều, khoản"), max_length=200, blank=True, help_text=_("Ví dụ: Điều 112 khoản 1 điểm a")
    )
    source_url = models.URLField(_("đường dẫn văn bản"), max_length=500, blank=True)
    confirmed = models.BooleanField(
        _("đã xác nhận"),
        default=False,
        help_text=_("Đã đối chiếu với văn bản chính thức. Ngày chưa xác nhận vẫn được dùng để tính hạn."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("ngày nghỉ, làm bù")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="swap") & Q(worked_on__isnull=False))
                | (~Q(kind="swap") & Q(worked_on__isnull=True)),
                name="workdays_swap_has_worked_on",
            ),
            models.CheckConstraint(
                condition=~Q(worked_on=models.F("date")), name="workdays_swap_two_different_days"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SWAP and self.worked_on:
            return f"{self.date:%d/%m/%Y} ↔ {self.worked_on:%d/%m/%Y}: {self.name}"
        return f"{self.date:%d/%m/%Y}: {self.name}"

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name

    @property
    def source(self) -> str:
        """The source as cited: "Công văn số 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ".

        Always in Vietnamese, like the document it names.
        """
        text = self.source_number or self.source_kind
        if self.source_kind and self.source_number:
            text = f"{self.source_kind} số {self.source_number}"
        if self.source_date:
            text += f" ngày {self.source_date:%d/%m/%Y}"
        if self.source_issuer:
            text += f" của {self.source_issuer}"
        if self.source_article:
            text += f", {self.source_article}"
        return text.strip(" ,")

    def days(self) -> dict:
        """{date: kind} of the days this row decides: a swap decides two."""
        if self.kind == self.Kind.SWAP:
            return {self.date: self.Kind.OFF, self.worked_on: self.Kind.WORKDAY}
        return {self.date: self.kind}

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.SWAP:
            if self.worked_on is None:
                raise ValidationError({"worked_on": _("Hoán đổi cần ngày làm bù.")})
            if self.worked_on == self.date:
                raise ValidationError({"worked_on": _("Ngày làm bù phải khác ngày được nghỉ.")})
        elif self.worked_on is not None:
            raise ValidationError({"worked_on": _("Chỉ hoán đổi mới có ngày làm bù.")})
        taken = DayOverride.objects.exclude(pk=self.pk)
        for day in (self.date, self.worked_on):
            if day and taken.filter(Q(date=day) | Q(worked_on=day)).exists():
                field = "date" if day == self.date else "worked_on"
                raise ValidationError(
                    {field: _("Ngày %(day)s đã có trong một dòng khác.") % {"day": f"{day:%d/%m/%Y}"}}
                )
