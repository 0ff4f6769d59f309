from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency

from .places import Village

NAME_MAX = 100
PHONE_OWNER_MAX = 100
NEED_MAX = 1000
NOTE_MAX = 1000


class Cover(models.Model):
    """One village (thôn, xóm) and the member of the community digital team who covers it: the help
    requests of its people go to them first. A member covers several villages; a village has one member."""

    village = models.OneToOneField(Village, on_delete=models.CASCADE, related_name="cover")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_covers",
        verbose_name=_("thành viên"),
    )

    class Meta:
        verbose_name = _("thôn do tổ công nghệ số phụ trách")
        verbose_name_plural = _("thôn do tổ công nghệ số phụ trách")

    def __str__(self) -> str:
        return f"{self.village} — {self.member}"


class HelpState(models.TextChoices):
    NEW = "new", _("Chờ nhận")
    PICKED = "picked", _("Đang hỗ trợ")
    CLOSED = "closed", _("Đã xong")


class Outcome(models.TextChoices):
    FILED = "filed", _("Đã nộp hồ sơ giúp")
    GUIDED = "guided", _("Đã hướng dẫn, người dân tự làm")
    AT_DESK = "desk", _("Hẹn đến bộ phận một cửa")
    UNREACHABLE = "unreachable", _("Không liên lạc được")
    NOT_NEEDED = "not_needed", _("Không còn cần hỗ trợ")


class HelpRequest(models.Model):
    """Someone asked for help on /ho-tro/: who, how to reach them, where they live, what for."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("họ và tên"), max_length=NAME_MAX)
    phone = models.CharField(_("số điện thoại"), max_length=16)  # E.164
    phone_owner = models.CharField(_("số của ai"), max_length=PHONE_OWNER_MAX, blank=True)  # "" = their own
    village = models.ForeignKey(Village, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30, blank=True)
    need = models.TextField(_("cần giúp việc gì"), max_length=NEED_MAX, blank=True)
    priority = models.BooleanField(_("hộ nghèo, người cao tuổi, người khuyết tật"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=HelpState.choices, default=HelpState.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    pick_up_by = models.DateTimeField(_("cần nhận trước"))  # one working day (workdays), set when sent
    picked_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("yêu cầu hỗ trợ")
        verbose_name_plural = _("yêu cầu hỗ trợ")
        indexes = [
            models.Index(fields=["agency", "state", "-priority", "created_at"], name="outreach_help_queue")
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.name}"


class Entry(models.Model):
    """One line of a help request's history: who did what, when."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Người dân gửi yêu cầu")
        ASSIGNED = "assigned", _("Giao cho")
        PICKED = "picked", _("Nhận hỗ trợ")
        CALL = "call", _("Gọi lại")
        VISIT = "visit", _("Đến nhà")
        FILED = "filed", _("Nộp hồ sơ giúp")
        NOTE = "note", _("Ghi chú")
        CLOSED = "closed", _("Kết thúc")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    dossier_code = models.CharField(max_length=40, blank=True)
    member = models.ForeignKey(  # who it was assigned to, for ASSIGNED
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("diễn biến hỗ trợ")
        verbose_name_plural = _("diễn biến hỗ trợ")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
