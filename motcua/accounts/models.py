from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who signs in: citizens and officers.

    A citizen's phone is a way to reach them, not who they are: a household may share one number, each
    person with their own account (`households`). The first person on a number has it as username, the
    next ones `<number>.2`, `<number>.3`... Officers also have an `agencies.Officer` row naming their
    agency; their roles are Django groups; an officer's number is never shared.
    """

    class IdentityLevel(models.IntegerChoices):
        UNVERIFIED = 0, _("Chưa xác thực")
        PHONE = 1, _("Đã xác thực số điện thoại")
        DESK = 2, _("Đã xác thực tại bộ phận một cửa")
        VNEID = 3, _("Đã xác thực qua VNeID")

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, db_index=True, null=True, blank=True)
    identity_level = models.PositiveSmallIntegerField(
        _("mức xác thực"), choices=IdentityLevel.choices, default=IdentityLevel.UNVERIFIED
    )
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    # Bumped by "sign out everywhere": every session made before it stops being valid.
    session_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        return f"{super().get_session_auth_hash()}:{self.session_epoch}"


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


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS. Only its keyed hash is stored; it expires and allows few tries."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Đăng ký")
        SIGN_IN = "signin", _("Đăng nhập")
        CLAIM = "claim", _("Nhận hồ sơ nộp thay")

    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác thực")
        verbose_name_plural = _("mã xác thực")

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose}"


class AccountEvent(models.Model):
    """The audit trail of what officers did to an account (verified, activated, new phone number), and at
    which agency's desk: a desk verification makes the citizen one of that agency's."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    action = models.CharField(max_length=30)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhật ký tài khoản")
        verbose_name_plural = _("nhật ký tài khoản")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.action}"

    @property
    def action_label(self) -> str:
        """What an officer reads for `action` (the stored code is for machines)."""
        return str(ACCOUNT_ACTIONS.get(self.action, self.action))


ACCOUNT_ACTIONS = {
    "verified_at_desk": _("Xác thực bằng căn cước tại bộ phận một cửa"),
    "phone_changed": _("Chuyển sang số điện thoại mới"),
    "added_to_shared_phone": _("Thêm vào số điện thoại dùng chung"),
}


from .vneid_models import VneidIdentity  # noqa: E402, F401 — the VNeID link lives in its own module
