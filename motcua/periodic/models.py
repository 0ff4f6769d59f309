from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background process last showed it was alive: `periodic` (the loop of `manage.py periodic`)
    and `worker` (a `db_worker` that ran the heartbeat task). /readyz and /metrics read them."""

    name = models.CharField(max_length=40, primary_key=True)
    seen_at = models.DateTimeField(_("thấy lần cuối"))

    class Meta:
        verbose_name = _("nhịp hoạt động")
        verbose_name_plural = _("nhịp hoạt động")

    def __str__(self) -> str:
        return self.name
