from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    """A day the government announced as off, or as a make-up working day, that `holidays` does not know.

    The package follows the Labour Code and the few swaps it ships with; Tết bridges and swapped
    Saturdays announced each year by the Prime Minister's office have to be entered here.
    """

    class Kind(models.TextChoices):
        OFF = "off", _("Ngày nghỉ")
        WORKDAY = "workday", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    reason = models.CharField(
        _("lý do"),
        max_length=200,
        help_text=_("Ví dụ: Nghỉ bù Tết Nguyên đán theo Thông báo số .../TB-VPCP"),
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ, làm bù")
        verbose_name_plural = _("ngày nghỉ, làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"
