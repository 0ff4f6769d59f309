from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VneidIdentity(models.Model):
    """Links an account to the VNeID subject that signed in with it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vneid")
    subject = models.CharField(max_length=255, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("liên kết VNeID")
        verbose_name_plural = _("liên kết VNeID")

    def __str__(self) -> str:
        return f"{self.user} ↔ VNeID"
