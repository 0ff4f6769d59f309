from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who signs in: citizens (username = phone in E.164) and officers.

    Officers also have an `agencies.Officer` row naming their agency; their roles are Django groups.
    """

    class IdentityLevel(models.IntegerChoices):
        UNVERIFIED = 0, _("Chưa xác thực")
        PHONE = 1, _("Đã xác thực số điện thoại")
        DESK = 2, _("Đã xác thực tại bộ phận một cửa")
        VNEID = 3, _("Đã xác thực qua VNeID")

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, unique=True, null=True, blank=True)
    identity_level = models.PositiveSmallIntegerField(
        _("mức xác thực"), choices=IdentityLevel.choices, default=IdentityLevel.UNVERIFIED
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the caller sees it once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class Throttle(models.Model):
    """A fixed-window attempt counter (sign-in, one-time codes, public lookup), shared by all workers."""

    key = models.CharField(max_length=80, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("giới hạn truy cập")
        verbose_name_plural = _("giới hạn truy cập")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
