import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency


class Kind(models.TextChoices):
    COMPLAINT = "phan_anh", _("Phản ánh")
    SUGGESTION = "kien_nghi", _("Kiến nghị")


def attachment_path(instance: "Feedback", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"phan-anh/{instance.agency_id}/{uuid.uuid4().hex}.{ext}"


def new_key() -> str:
    """The sender's key to read the answer (`/phan-anh/xem/<key>/`, in the text they receive): 60 bits."""
    return secrets.token_urlsafe(8)[:10]


class FeedbackQuerySet(models.QuerySet):
    def late(self, now=None):
        """Unanswered past the deadline, or answered after it."""
        now = now or timezone.now()
        return self.filter(
            models.Q(answered_at__isnull=True, due_at__lt=now) | models.Q(answered_at__gt=models.F("due_at"))
        )

    def published(self):
        return self.filter(published=True, answered_at__isnull=False)


class Feedback(models.Model):
    """A complaint or suggestion (phản ánh, kiến nghị) sent from `/phan-anh/`, about a dossier or in general.

    Routed to the dossier's agency (else the site's), assigned to an officer, answered by `due_at`: 15
    working days after it was received (services.ANSWER_WITHIN). The sender's name and phone stay in the
    back office; what is published (when the sender agreed) is `public_question` — the question as an
    officer rewrote it without personal details — and the answer.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    text = models.TextField(_("nội dung"))
    name = models.CharField(_("họ tên"), max_length=100)
    phone = models.CharField(_("điện thoại"), max_length=16)  # E.164
    consent_publish = models.BooleanField(_("đồng ý công khai câu trả lời"), default=False)
    file = models.FileField(upload_to=attachment_path, blank=True)
    file_name = models.CharField(max_length=150, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=16, unique=True, default=new_key)
    received_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("hạn trả lời"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_question = models.TextField(_("câu hỏi công khai"), blank=True)
    published = models.BooleanField(default=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["agency", "answered_at", "due_at"], name="feedback_queue")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """What the sender and the officers call it: PA-<year>-<id>."""
        return f"PA-{timezone.localtime(self.received_at):%Y}-{self.pk or 0:05d}"

    def is_late(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.answered_at or now) > self.due_at
