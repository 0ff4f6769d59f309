from django.db import models
from django.utils.translation import gettext_lazy as _

from ..links import Channel


class Step(models.TextChoices):
    """What a person did after following a tagged link: the steps counted per campaign and channel."""

    VISIT = "visit", _("Lượt xem")
    PRACTICE = "practice", _("Lượt nộp thử")
    HELP = "help", _("Yêu cầu hỗ trợ")
    FILED = "filed", _("Hồ sơ đã nộp")


class Uptake(models.Model):
    """How many times, on one day, a step followed a link of one campaign and channel. Counts only: no
    row names a person, a session or a dossier."""

    campaign = models.CharField(_("chiến dịch"), max_length=50, blank=True)  # "" = no campaign
    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices)
    step = models.CharField(_("bước"), max_length=10, choices=Step.choices)
    day = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số lượt"), default=0)

    class Meta:
        verbose_name = _("lượt theo chiến dịch")
        verbose_name_plural = _("lượt theo chiến dịch")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "step", "day"], name="outreach_uptake_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign or '-'}/{self.channel}/{self.step} {self.day}: {self.count}"
