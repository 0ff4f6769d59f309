from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.text import nfc


class Village(models.Model):
    """A village of the commune (thôn, xóm, khu phố): where the loudspeakers are, where people live."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("tên thôn, xóm"), max_length=100)

    class Meta:
        verbose_name = _("thôn, xóm")
        verbose_name_plural = _("thôn, xóm")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint("agency", Lower("name"), name="outreach_village_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(nfc(self.name).split())
        super().save(*args, **kwargs)
