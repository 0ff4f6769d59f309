import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency

from .places import Village


class RenderState(models.TextChoices):
    """Where the worker is with a bulletin's synthesised audio."""

    IDLE = "idle", _("Chưa tạo âm thanh")
    QUEUED = "queued", _("Đang chờ máy tạo âm thanh")
    SPEAKING = "speaking", _("Đang đọc thành tiếng")
    ENCODING = "encoding", _("Đang nén thành tệp MP3")
    DONE = "done", _("Đã có âm thanh")
    FAILED = "failed", _("Không tạo được âm thanh")


RUNNING = (RenderState.QUEUED, RenderState.SPEAKING, RenderState.ENCODING)


def audio_path(instance: "Bulletin", filename: str) -> str:
    return f"loa/{instance.agency_id}/{instance.procedure_code}-{uuid.uuid4().hex[:12]}.mp3"


class Bulletin(models.Model):
    """A procedure's loudspeaker bulletin at one commune: its script and its sound.

    `script` is empty while the officers keep the text the catalogue gives (it then follows every change of
    the catalogue). The synthesised audio is kept with the digest of the text it says (`audio_sha`) and is
    only served while the text is still the same; a recording an officer uploads likewise, against the text
    it was recorded for.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(_("mã thủ tục"), max_length=30)
    script = models.TextField(_("lời bản tin"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    audio = models.FileField(upload_to=audio_path, blank=True)
    audio_sha = models.CharField(max_length=64, blank=True)
    audio_seconds = models.FloatField(null=True, blank=True)
    audio_made_at = models.DateTimeField(null=True, blank=True)

    render_state = models.CharField(max_length=10, choices=RenderState.choices, default=RenderState.IDLE)
    render_sha = models.CharField(max_length=64, blank=True)
    render_error = models.CharField(max_length=300, blank=True)
    render_started_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)  # how long the worker took, last time

    recording = models.FileField(upload_to=audio_path, blank=True)
    recording_sha = models.CharField(max_length=64, blank=True)
    recording_seconds = models.FloatField(null=True, blank=True)
    recording_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recording_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản tin loa")
        verbose_name_plural = _("bản tin loa")
        ordering = ["procedure_code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "procedure_code"], name="outreach_bulletin_unique")
        ]

    def __str__(self) -> str:
        return self.procedure_code


class Broadcast(models.Model):
    """One airing in the schedule: which bulletin, which day and time, which villages; and, once an officer
    ticks it, that it went out (the log)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="broadcasts")
    day = models.DateField(_("ngày phát"))
    time = models.TimeField(_("giờ phát"))
    villages = models.ManyToManyField(Village, blank=True, related_name="broadcasts", verbose_name=_("thôn"))
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    aired_at = models.DateTimeField(_("đã phát lúc"), null=True, blank=True)
    aired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What went out: "tts" or "recording", and how long it was.
    aired_kind = models.CharField(max_length=10, blank=True)
    aired_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt phát loa")
        verbose_name_plural = _("lịch phát loa")
        ordering = ["day", "time", "pk"]
        indexes = [models.Index(fields=["agency", "day"], name="outreach_broadcast_day")]

    def __str__(self) -> str:
        return f"{self.bulletin.procedure_code} {self.day} {self.time}"
