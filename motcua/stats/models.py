"""The summary rows behind the indicators: one row per agency, procedure and month, moved by the lifecycle.

Each counter is added to by `services.record` inside the transition that caused it (the same transaction,
so a failed transition counts nothing), and `manage.py rebuild_stats` computes the same rows again from the
events alone — the check that what was kept and what happened agree. Nothing in a row names a person.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The counters of a row, in the order of the figures (indicators.INDICATORS reads them).
COUNTERS = (
    "received_online_full",
    "received_online_partial",
    "received_counter",
    "received_community",
    "refused",
    "finished",
    "finished_on_time",
    "finished_late",
    "supplemented_twice",
    "digitised",
    "fee_paid",
    "fee_paid_online",
    "rating_count",
    "rating_sum",
)


class Tally(models.Model):
    """What happened at one agency, for one procedure (its code: every version), in one month."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30)
    month = models.DateField(_("tháng"))  # the first day of the month, local time
    received_online_full = models.PositiveIntegerField(default=0)
    received_online_partial = models.PositiveIntegerField(default=0)
    received_counter = models.PositiveIntegerField(default=0)
    received_community = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    supplemented_twice = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    fee_paid = models.PositiveIntegerField(default=0)
    fee_paid_online = models.PositiveIntegerField(default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tháng")
        verbose_name_plural = _("số liệu tháng")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month", "procedure_code"], name="stats_tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.procedure_code} {self.month:%Y-%m}"
