import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .actions import ACTIONS, describe_facts
from .states import CITIZEN_TODO, CLOSED, NEEDS_CITIZEN, Channel, Status, Substate

__all__ = [
    "Bundle",
    "CITIZEN_TODO",
    "CLOSED",
    "NEEDS_CITIZEN",
    "Attachment",
    "Channel",
    "DailyCounter",
    "Dossier",
    "Event",
    "ResultFile",
    "Status",
    "StatusCount",
    "Substate",
    "SupplementRequest",
]


class Bundle(models.Model):
    """One filing of a joined-up procedure (liên thông): the dossiers of its parts, one per body
    (`dossiers.bundles`). Its `code` is the code of its first part's dossier; its address
    `/ho-so/lien-thong/<code>/`."""

    code = models.CharField(_("mã bộ hồ sơ liên thông"), max_length=30, unique=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="bundles")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="bundles")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="bundles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ hồ sơ liên thông")
        verbose_name_plural = _("bộ hồ sơ liên thông")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return f"/ho-so/lien-thong/{self.code}/"


class Dossier(models.Model):
    """A citizen's application (hồ sơ). Its status changes only through `lifecycle.perform`."""

    code = models.CharField(_("mã hồ sơ"), max_length=30, unique=True, null=True, blank=True)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="dossiers")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    applicant_name = models.CharField(_("người nộp"), max_length=150)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True, db_index=True)
    applicant_id_number = models.CharField(_("số định danh"), max_length=12, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # For a person with no phone: the keyed hash of the claim code printed on the receipt (dossiers.codes),
    # which stands in for the phone's last four digits when looking the dossier up or claiming it.
    claim_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nộp thay"),
    )
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices, default=Channel.ONLINE)
    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, default=Status.DRAFT)
    substate = models.CharField(_("bước"), max_length=30, choices=Substate.choices, default="", blank=True)
    # Where a dossier goes back to when the citizen answers a supplement request or pays.
    resume_status = models.PositiveSmallIntegerField(null=True, blank=True, choices=Status.choices)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    fee_vnd = models.PositiveIntegerField(_("lệ phí (đồng)"), null=True, blank=True)
    # A fee asked for and not yet paid (at filing, or by an officer in status 6).
    fee_pending = models.BooleanField(_("chờ nộp phí"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(_("ngày xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    result_method = models.CharField(max_length=20, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    # A part of a joined-up filing: its bundle, its place in it (1, 2, …) and the part whose result it
    # waits for before the desk may receive it (the birth certificate, for residence and health insurance).
    bundle = models.ForeignKey(
        Bundle, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    part = models.PositiveSmallIntegerField(_("phần liên thông"), default=0)
    waits_for = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="dependents"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="dossier_queue"),
            models.Index(fields=["applicant", "status"], name="dossier_citizen"),
            # The back office works on open dossiers: a small slice of millions, ordered by due date.
            models.Index(
                fields=["agency", "due_at", "submitted_at"],
                condition=Q(returned_at__isnull=True, closed_at__isnull=True, status__gt=0),
                name="dossier_open_by_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["filed_by", "idempotency_key"],
                condition=~Q(idempotency_key="") & Q(filed_by__isnull=False),
                name="dossier_counter_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return f"/ho-so/{self.code}/"

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def needs_citizen(self) -> bool:
        return self.status in NEEDS_CITIZEN

    @property
    def end_at(self):
        """When processing ended, for Decision 766: done, or else returned, or else stopped/refused."""
        return self.completed_at or self.returned_at or self.closed_at

    @property
    def on_time(self) -> bool | None:
        """None while open. A second supplement request makes a dossier late whatever the dates."""
        if self.end_at is None or self.due_at is None:
            return None
        return self.end_at <= self.due_at and self.supplement_count <= 1

    def is_overdue(self, now) -> bool:
        """Past its promised date and not done. While its clock is stopped (`paused_at`: waiting for papers,
        `states.CLOCK_STOPS`) a dossier is judged at the moment it stopped, as Decision 766 judges it."""
        return (
            self.due_at is not None
            and self.end_at is None
            and self.due_at < (self.paused_at or now)
            and self.status not in CLOSED
        )


def attachment_path(instance: "Attachment", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{instance.dossier.agency_id}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    slot = models.CharField(_("thành phần"), max_length=20)
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    supplement = models.ForeignKey(
        "SupplementRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["slot", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


def result_path(instance: "ResultFile", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"results/{instance.dossier.agency_id}/{uuid.uuid4().hex}.{ext}"


class ResultFile(models.Model):
    """The result as a file (the signed extract, a certified copy as PDF) for the citizen to download.

    Stored only by the actions that attach it (`lifecycle.perform`), each recorded by an event; the paper
    original stays at the one-stop desk."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="result_files")
    file = models.FileField(upload_to=result_path)
    name = models.CharField(_("tên tệp"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp kết quả")
        verbose_name_plural = _("tệp kết quả")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/ho-so/{self.dossier.code}/ket-qua/{self.pk}/"


class SupplementRequest(models.Model):
    """An itemised request for missing or wrong documents. The first one should be complete."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(_("giấy tờ cần bổ sung"))
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("trả lời của công dân"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier} — {len(self.items)}"


class Event(models.Model):
    """Append-only history: who did what to a dossier, when, why, and whether the citizen sees it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.PositiveSmallIntegerField(choices=Status.choices)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # What followed from the event: the promised return time after it (slips and texts read it).
    due_at = models.DateTimeField(null=True, blank=True)
    citizen_visible = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.action}"

    @property
    def label(self) -> str:
        """What happened, in words: 'Gửi bổ sung' rather than the status it led to."""
        action = ACTIONS.get(self.action)
        return str(action.label) if action else self.action

    @property
    def facts(self) -> list[str]:
        """What the event recorded besides its note, in words (amount, method, new date, papers asked)."""
        return describe_facts(self.data)


class DailyCounter(models.Model):
    """The per-agency daily sequence behind dossier codes: <agency ID>-<yyMMdd>-<NNNN>."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


class StatusCount(models.Model):
    """How many dossiers an agency has in each status, kept by the transition function in the same
    transaction, so that the back office shows its counts without counting a million rows."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE)
    status = models.PositiveSmallIntegerField(choices=Status.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "status"], name="status_count_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.status}: {self.count}"
