from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.text import nfc

from .protocol import Problem as P


class SyncState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Không gửi được")
    UNCONFIGURED = "unconfigured", _("Chưa cấu hình")


class Problem(models.TextChoices):
    """What went wrong on the last try, in words an officer understands (protocol.Problem's values)."""

    CONNECTION = P.CONNECTION, _("Không kết nối được đến Cổng DVCQG")
    TIMEOUT = P.TIMEOUT, _("Cổng DVCQG không trả lời kịp")
    SERVER = P.SERVER, _("Cổng DVCQG đang gặp lỗi")
    HTTP = P.HTTP, _("Cổng DVCQG không nhận yêu cầu")
    ANSWER = P.ANSWER, _("Cổng DVCQG trả lời không đúng định dạng")
    SIGN_IN = P.SIGN_IN, _("Cổng DVCQG không chấp nhận tài khoản kết nối")
    REFUSED = P.REFUSED, _("Cổng DVCQG từ chối dữ liệu hồ sơ")


class SyncRecord(models.Model):
    """One dossier change to tell the national portal: the outbox row the worker delivers, and the log
    officers read on /can-bo/dong-bo/.

    Written in the transition's transaction (one per event: a record exists if and only if the change
    committed), with the messages as the portal wants them (`payload`: the DongBoHoSoMC call, then the
    CapNhatTienDoHoSoMC call), frozen as the dossier stood right after the event. The records of one
    dossier are sent in order: a record waits while an earlier one of its dossier is unsent.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", verbose_name=_("hồ sơ")
    )
    event = models.OneToOneField(
        "dossiers.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("sự kiện")
    )
    # [{"service": "DongBoHoSoMC", "isUpdating": ..., "data": [...]}, {"service": "CapNhatTienDoHoSoMC", ...}]
    payload = models.JSONField(_("nội dung gửi"))
    parts_sent = models.PositiveSmallIntegerField(default=0)  # calls of `payload` the portal accepted
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=SyncState.choices, default=SyncState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_try_at = models.DateTimeField(_("gửi lần sau lúc"), default=timezone.now)
    problem = models.CharField(_("lỗi"), max_length=12, choices=Problem.choices, blank=True)
    last_error = models.CharField(_("chi tiết lỗi"), max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(_("mã HTTP"), null=True, blank=True)
    portal_code = models.CharField(_("mã trả lời của Cổng"), max_length=20, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    tried_at = models.DateTimeField(_("gửi lần cuối lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản ghi đồng bộ Cổng DVCQG")
        verbose_name_plural = _("bản ghi đồng bộ Cổng DVCQG")
        ordering = ["-pk"]
        indexes = [
            # The sweep and the order check look at what is not sent yet.
            models.Index(
                fields=["state", "next_try_at"],
                condition=~models.Q(state="sent"),
                name="sync_unsent",
            ),
            models.Index(fields=["dossier", "state"], name="sync_dossier_state"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.event_id}"

    @property
    def portal_status(self) -> str:
        """The TrangThaiHoSo the record carries (the status right after its event)."""
        try:
            return self.payload[0]["data"][0]["TrangThaiHoSo"]
        except (LookupError, TypeError):
            return ""


class FieldCode(models.Model):
    """The portal's code of a field (MaLinhVuc) for the catalogue's field name (Procedure.field).

    The codes come from the portal's own catalogue (service LayDanhMucLinhVuc, or a procedure's page on
    dichvucong.gov.vn); none is shipped because none could be verified. A field without a code is sent
    with its name only and listed on the synchronisation page.
    """

    field = models.CharField(_("lĩnh vực (như trong danh mục thủ tục)"), max_length=100, unique=True)
    code = models.CharField(_("mã lĩnh vực trên Cổng DVCQG"), max_length=50)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("mã lĩnh vực Cổng DVCQG")
        verbose_name_plural = _("mã lĩnh vực Cổng DVCQG")
        ordering = ["field"]

    def __str__(self) -> str:
        return f"{self.field}: {self.code}"

    def save(self, *args, **kwargs):
        self.field, self.code = nfc(self.field).strip(), self.code.strip()
        super().save(*args, **kwargs)
