import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import BodyKind
from motcua.text import fold, nfc


class Level(models.TextChoices):
    FULLY_ONLINE = "toan_trinh", _("Trực tuyến toàn trình")
    PARTLY_ONLINE = "mot_phan", _("Trực tuyến một phần")
    IN_PERSON = "truc_tiep", _("Nộp trực tiếp")


class TimeKind(models.TextChoices):
    SAME_DAY = "same_day", _("Trong ngày")
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    HOURS = "hours", _("Giờ làm việc")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu điện")


class FeeChannel(models.TextChoices):
    ANY = "any", _("Mọi cách nộp")
    ONLINE = "online", _("Nộp trực tuyến")
    COUNTER = "counter", _("Nộp tại bộ phận một cửa")


class FeeKind(models.TextChoices):
    """Luật Phí và lệ phí 2015, Điều 3: a phí pays for a service (certification, a copy from the civil-status
    database), a lệ phí for a state act (a registration). Receipts, guides and notices name the right one."""

    LE_PHI = "le_phi", _("Lệ phí")
    PHI = "phi", _("Phí")


class FeeUnit(models.TextChoices):
    REQUEST = "request", _("hồ sơ")
    COPY = "copy", _("bản")
    PAGE = "page", _("trang")


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED = "certified", _("Bản sao có chứng thực")
    PHOTOCOPY = "photocopy", _("Bản photo")
    SHOW_ORIGINAL = "show_original", _("Mang bản chính để đối chiếu")
    ORIGINAL_OR_CERTIFIED = "original_or_certified", _("Bản chính hoặc bản sao có chứng thực")


class FieldType(models.TextChoices):
    TEXT = "text", _("Chữ")
    TEXTAREA = "textarea", _("Đoạn văn")
    DATE = "date", _("Ngày")
    INTEGER = "integer", _("Số")
    CHOICE = "choice", _("Lựa chọn")
    BOOLEAN = "boolean", _("Có/Không")
    PHONE = "phone", _("Số điện thoại")
    ID_NUMBER = "id_number", _("Số định danh cá nhân")
    EMAIL = "email", _("Thư điện tử")


def english_wanted() -> bool:
    """Whether the page is being read in English, the interface's second language."""
    return (get_language() or "").split("-")[0] == "en"


def shown(vietnamese: str, english: str, *, marked: bool = True) -> str:
    """A catalogue text as the reader of the active language sees it.

    In English: the English text, or, while there is none, the Vietnamese one, wrapped in
    `<span lang="vi">` (escaped) when `marked` so that screen readers read it with a Vietnamese voice.
    `marked=False` is for places that cannot hold markup: a <title>, an attribute, an <option>.
    """
    if not english_wanted() or not vietnamese:
        return vietnamese
    if english:
        return english
    return format_html('<span lang="vi">{}</span>', vietnamese) if marked else vietnamese


def shown_item(item: dict, key: str, *, marked: bool = True) -> str:
    """`shown` for a text kept in a JSON list (a legal basis, a choice): `key` and `key + '_en'`."""
    return shown(item.get(key, ""), item.get(f"{key}_en", ""), marked=marked)


class Translated(models.Model):
    """A catalogue row whose texts are written in Vietnamese, each with an English twin `<field>_en`.

    The twin is blank until someone translates it; pages then show the Vietnamese text and say so.
    """

    translated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for name in self.translated_fields:  # the admin may send decomposed text (NFD keyboards)
            for field in (name, f"{name}_en"):
                setattr(self, field, nfc(getattr(self, field)))
        super().save(*args, **kwargs)

    def tr(self, field: str, *, marked: bool = True) -> str:
        return shown(getattr(self, field), getattr(self, f"{field}_en"), marked=marked)

    def untranslated(self) -> list[str]:
        """The fields with Vietnamese text and no English yet."""
        return [f for f in self.translated_fields if getattr(self, f) and not getattr(self, f"{f}_en")]


class ExemptionCategory(Translated):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("đối tượng"), max_length=200)
    name_en = models.CharField(_("đối tượng (tiếng Anh)"), max_length=200, blank=True)
    evidence = models.CharField(_("giấy tờ chứng minh"), max_length=500, blank=True)
    evidence_en = models.CharField(_("giấy tờ chứng minh (tiếng Anh)"), max_length=500, blank=True)

    translated_fields = ("name", "evidence")

    class Meta:
        verbose_name = _("đối tượng miễn, giảm")
        verbose_name_plural = _("đối tượng miễn, giảm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> "ProcedureQuerySet":
        """The versions in force on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


class Procedure(Translated):
    """One version of an administrative procedure (thủ tục hành chính), in force between two dates.

    A new circular that changes a fee or a form is a new row with the same `code` and a later
    `valid_from`; dossiers keep pointing at the version they were filed under.
    """

    code = models.CharField(_("mã thủ tục"), max_length=30, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    name = models.CharField(_("tên thủ tục"), max_length=300)
    name_en = models.CharField(_("tên thủ tục (tiếng Anh)"), max_length=300, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=100)
    field_en = models.CharField(_("lĩnh vực (tiếng Anh)"), max_length=100, blank=True)
    # Who decides (cơ quan thực hiện): the commune's People's Committee unless the law names another body,
    # as Luật Cư trú names the police for residence. The one-stop desk receives for every body.
    executing_body = models.CharField(
        _("cơ quan thực hiện"), max_length=20, choices=BodyKind.choices, default=BodyKind.COMMITTEE
    )
    level = models.CharField(_("mức độ"), max_length=20, choices=Level.choices)
    summary = models.TextField(_("tóm tắt"), blank=True)
    summary_en = models.TextField(_("tóm tắt (tiếng Anh)"), blank=True)
    result = models.TextField(_("kết quả"), blank=True)
    result_en = models.TextField(_("kết quả (tiếng Anh)"), blank=True)
    who_may_apply = models.TextField(_("ai được yêu cầu"), blank=True)
    who_may_apply_en = models.TextField(_("ai được yêu cầu (tiếng Anh)"), blank=True)
    time_kind = models.CharField(_("loại thời hạn"), max_length=20, choices=TimeKind.choices)
    time_value = models.PositiveIntegerField(_("thời hạn"), default=0)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=300, blank=True)
    time_note_en = models.CharField(_("ghi chú thời hạn (tiếng Anh)"), max_length=300, blank=True)
    channels = models.JSONField(_("cách nộp"), default=list, blank=True)
    # [{"title", "title_en", "article", "article_en"}, ...]
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    keywords = models.JSONField(_("từ khóa tìm kiếm"), default=list, blank=True)
    popularity = models.PositiveSmallIntegerField(_("mức độ phổ biến"), default=0)
    form_title = models.CharField(_("tên tờ khai"), max_length=200, blank=True)
    # What of this version could not be checked against its legal source, said plainly ("cần xác minh: ...").
    source_note = models.TextField(_("ghi chú nguồn (phần cần xác minh)"), blank=True)
    source_note_en = models.TextField(_("ghi chú nguồn (tiếng Anh)"), blank=True)
    # 0 any account; 1 phone verified; 2 verified at the desk; 3 VNeID (accounts.User.IdentityLevel).
    min_identity_level = models.PositiveSmallIntegerField(
        _("mức xác thực tối thiểu để nộp trực tuyến"), default=0
    )
    exemptions = models.ManyToManyField(
        ExemptionCategory, through="ProcedureExemption", blank=True, verbose_name=_("miễn, giảm")
    )
    # Name, code, field and keywords folded to ASCII lower case, for forgiving search.
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()
    translated_fields = ("name", "field", "summary", "result", "who_may_apply", "time_note", "source_note")

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="procedure_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="procedure_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = " ".join(
            fold(part) for part in [self.code, self.name, self.name_en, self.field, *self.keywords] if part
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/thu-tuc/{self.code}/"

    def clean(self) -> None:
        overlapping = Procedure.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lt=self.valid_to)
        overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.valid_from))
        if overlapping.exists():
            raise ValidationError(_("Thời gian hiệu lực trùng với một phiên bản khác của thủ tục này."))
        bad = set(self.channels) - set(Channel.values)
        if bad:
            raise ValidationError({"channels": _("Cách nộp không hợp lệ: %s") % ", ".join(sorted(bad))})

    @property
    def is_online(self) -> bool:
        return self.level != Level.IN_PERSON

    @property
    def last_day(self) -> dt.date | None:
        """The last day this version is in force (`valid_to` is the first day it is not)."""
        return self.valid_to - dt.timedelta(days=1) if self.valid_to else None

    @property
    def fee_kinds(self) -> set[str]:
        return {fee.kind for fee in self.fees.all()}

    @property
    def fee_heading(self) -> str:
        """What its money is called where the kind matters: "Phí" (certification), "Lệ phí", or both."""
        return fee_name(self.fee_kinds, capital=True)

    @property
    def fee_word(self) -> str:
        """`fee_heading` inside a sentence: "phí", "lệ phí", "phí, lệ phí"."""
        return fee_name(self.fee_kinds)


class Fee(Translated):
    """A fee line. `unit=page` may get cheaper from page `later_from` and is capped per copy."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    order = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(_("áp dụng khi"), max_length=10, choices=FeeChannel.choices, default="any")
    label = models.CharField(_("khoản thu"), max_length=200)
    label_en = models.CharField(_("khoản thu (tiếng Anh)"), max_length=200, blank=True)
    # None: the amount is set by the provincial council and not yet verified; nothing is charged from the
    # catalogue and the desk asks for it by hand.
    amount_vnd = models.PositiveIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    unit = models.CharField(_("tính theo"), max_length=10, choices=FeeUnit.choices, default="request")
    later_amount_vnd = models.PositiveIntegerField(_("từ trang thứ … (đồng)"), null=True, blank=True)
    later_from = models.PositiveSmallIntegerField(_("áp dụng từ trang"), null=True, blank=True)
    cap_vnd = models.PositiveIntegerField(_("tối đa mỗi bản (đồng)"), null=True, blank=True)
    kind = models.CharField(
        _("loại khoản thu"), max_length=10, choices=FeeKind.choices, default=FeeKind.LE_PHI
    )
    # The text that sets the amount: number, date, issuer, article, and the day the amount applies from.
    source = models.CharField(_("văn bản quy định mức thu"), max_length=300, blank=True)
    source_en = models.CharField(_("văn bản quy định mức thu (tiếng Anh)"), max_length=300, blank=True)
    source_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    source_issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    source_article = models.CharField(_("điều, khoản"), max_length=200, blank=True)
    source_article_en = models.CharField(_("điều, khoản (tiếng Anh)"), max_length=200, blank=True)
    effective_from = models.DateField(_("mức thu áp dụng từ ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú nguồn"), max_length=500, blank=True)
    note_en = models.CharField(_("ghi chú nguồn (tiếng Anh)"), max_length=500, blank=True)

    translated_fields = ("label", "note", "source", "source_article")

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


def fee_name(kinds: set[str], *, capital: bool = False) -> str:
    """ "Phí" when every fee is a phí, "Lệ phí" when every fee is a lệ phí (or there is none), else both."""
    if kinds == {FeeKind.PHI}:
        return str(_("Phí") if capital else _("phí"))
    if kinds <= {FeeKind.LE_PHI}:
        return str(_("Lệ phí") if capital else _("lệ phí"))
    return str(_("Phí, lệ phí") if capital else _("phí, lệ phí"))


class ProcedureExemption(Translated):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="exemption_rows")
    category = models.ForeignKey(ExemptionCategory, on_delete=models.PROTECT, verbose_name=_("đối tượng"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    note_en = models.CharField(_("ghi chú (tiếng Anh)"), max_length=300, blank=True)

    translated_fields = ("note",)

    class Meta:
        verbose_name = _("miễn, giảm")
        verbose_name_plural = _("miễn, giảm")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "category"], name="procedure_exemption_unique")
        ]

    def __str__(self) -> str:
        return str(self.category)


class RequiredDocument(Translated):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("giấy tờ"), max_length=300)
    name_en = models.CharField(_("giấy tờ (tiếng Anh)"), max_length=300, blank=True)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    kind = models.CharField(_("loại bản"), max_length=30, choices=DocumentKind.choices)
    required = models.BooleanField(_("bắt buộc"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    note_en = models.CharField(_("ghi chú (tiếng Anh)"), max_length=500, blank=True)

    translated_fields = ("name", "note")

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class GuideStep(Translated):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("bước"), max_length=100)
    title_en = models.CharField(_("bước (tiếng Anh)"), max_length=100, blank=True)
    text = models.TextField(_("nội dung"))
    text_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)

    translated_fields = ("title", "text")

    class Meta:
        verbose_name = _("bước thực hiện")
        verbose_name_plural = _("các bước thực hiện")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class FormField(Translated):
    """One field of the procedure's e-declaration (tờ khai)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="form_fields")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.SlugField(_("tên trường"), max_length=60)
    # A commitment is the official form's sentences, word for word (the birth declaration's two are 229).
    label = models.CharField(_("nhãn"), max_length=300)
    label_en = models.CharField(_("nhãn (tiếng Anh)"), max_length=300, blank=True)
    type = models.CharField(_("kiểu"), max_length=20, choices=FieldType.choices, default="text")
    required = models.BooleanField(_("bắt buộc"), default=False)
    # [{"value", "label", "label_en"}, ...]
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    help_text_en = models.CharField(_("hướng dẫn (tiếng Anh)"), max_length=300, blank=True)
    max_length = models.PositiveIntegerField(_("độ dài tối đa"), null=True, blank=True)
    section = models.CharField(_("nhóm"), max_length=100, blank=True)
    section_en = models.CharField(_("nhóm (tiếng Anh)"), max_length=100, blank=True)
    prefill = models.CharField(_("điền sẵn từ hồ sơ cá nhân"), max_length=30, blank=True)

    translated_fields = ("label", "help_text", "section")

    class Meta:
        verbose_name = _("trường tờ khai")
        verbose_name_plural = _("trường tờ khai")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["procedure", "name"], name="form_field_unique_name")]

    def __str__(self) -> str:
        return self.label

    def untranslated(self) -> list[str]:
        missing = super().untranslated()
        if any(c.get("label") and not c.get("label_en") for c in self.choices):
            missing.append("choices")
        return missing


class ProcedurePart(models.Model):
    """One part of a joined-up procedure (thủ tục liên thông): another procedure, decided by its own body.

    Filing the joined-up procedure once makes one dossier per part (`dossiers.bundles`). A part names its
    procedure by code, resolved to the version in force at filing, so its form fields are read from that
    procedure when the citizen files — the joined-up declaration holds no copies of them. `after` is the
    order of the part whose result it waits for (the residence registration and the health insurance card
    need the birth certificate: Nghị định 63/2024/NĐ-CP, Điều 7): the desk receives it only once that part
    is done, and it is stopped with a reason when that part ends without a result.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mã thủ tục của phần"), max_length=30)
    after = models.PositiveSmallIntegerField(_("chờ kết quả của phần"), null=True, blank=True)
    # An exemption category (code) that always holds for this part: a child pays no residence fee.
    exemption = models.SlugField(_("miễn, giảm cho phần này"), max_length=50, blank=True)
    # Working days the part takes inside the joined-up procedure, when shorter than its own procedure's.
    days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"), null=True, blank=True)
    # Which paper uploaded to the joined-up filing goes to this part: {joined slot: part slot}.
    papers = models.JSONField(_("giấy tờ chuyển sang phần này"), default=dict, blank=True)

    class Meta:
        verbose_name = _("phần liên thông")
        verbose_name_plural = _("các phần liên thông")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="procedure_part_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.code}"


def part_procedures(procedure: Procedure, on: dt.date | None = None) -> list[tuple[ProcedurePart, Procedure]]:
    """The parts of a joined-up procedure, each with its procedure version in force on `on` (today)."""
    parts = list(procedure.parts.all())
    found: dict[str, Procedure] = {}
    for version in (
        Procedure.objects.current(on).filter(code__in=[p.code for p in parts]).order_by("code", "-valid_from")
    ):
        found.setdefault(version.code, version)
    missing = [p.code for p in parts if p.code not in found]
    if missing:
        raise LookupError(f"parts of {procedure.code} not in force: {', '.join(missing)}")
    return [(part, found[part.code]) for part in parts]


def declaration_fields(procedure: Procedure) -> list["FormField"]:
    """The fields of the procedure's declaration: its own, or for a joined-up procedure the fields of its
    parts read from them (by reference: a field added to a part appears here), each name once."""
    cached = getattr(procedure, "_declaration_fields", None)
    if cached is not None:
        return cached
    fields = list(procedure.form_fields.all())
    if procedure.pk and procedure.parts.all():  # prefetched by catalog.services.get_procedure
        seen = {f.name for f in fields}
        for _part, version in part_procedures(procedure):
            for spec in version.form_fields.all():
                if spec.name not in seen:
                    seen.add(spec.name)
                    fields.append(spec)
    procedure._declaration_fields = fields
    return fields


class LifeEventIcon(models.TextChoices):
    """The pictures shipped as static SVG files (`catalog/static/catalog/su-kien/<value>.svg`)."""

    BABY = "em-be", _("Em bé")
    RINGS = "ket-hon", _("Nhẫn cưới")
    CANDLE = "qua-doi", _("Ngọn nến")
    HOUSE = "chuyen-nha", _("Ngôi nhà")
    SHOP = "kinh-doanh", _("Cửa hàng")
    STAMP = "chung-thuc", _("Con dấu")


class LifeEvent(Translated):
    """Something that happens in a family's life and the procedures it calls for (sự kiện cuộc sống).

    Its steps name procedures by code and are resolved to the version in force when the page is read, so
    a new version of a procedure needs no change here, and a code the catalogue does not hold yet is
    shown as plain text.
    """

    slug = models.SlugField(_("đường dẫn"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên"), max_length=120)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=120, blank=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    summary_en = models.TextField(_("tóm tắt (tiếng Anh)"), blank=True)
    icon = models.CharField(_("hình"), max_length=20, choices=LifeEventIcon.choices, blank=True)
    # False when the steps are alternatives to pick from (certifying papers), not a sequence.
    in_order = models.BooleanField(_("làm lần lượt theo thứ tự"), default=True)
    # Papers to bring besides those the procedures share: [{"name", "name_en", "note", "note_en"}, ...]
    bring = models.JSONField(_("giấy tờ mang theo (thêm)"), default=list, blank=True)
    # [{"text", "text_en", "source", "source_en"}, ...]: what the law says, and where it says it
    legal_notes = models.JSONField(_("ghi chú pháp lý"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    translated_fields = ("name", "summary")

    class Meta:
        verbose_name = _("sự kiện cuộc sống")
        verbose_name_plural = _("sự kiện cuộc sống")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        for items, keys in ((self.bring, ("name", "note")), (self.legal_notes, ("text", "source"))):
            for item in items:
                for key in keys:
                    for field in (key, f"{key}_en"):
                        if isinstance(item.get(field), str):
                            item[field] = nfc(item[field])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/su-kien/{self.slug}/"

    def clean(self) -> None:
        # The admin edits these lists as JSON: refuse what the page could not show.
        errors = {}
        for field, keys in (("bring", ("name",)), ("legal_notes", ("text", "source"))):
            items = getattr(self, field)
            if not isinstance(items, list) or not all(
                isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k].strip() for k in keys)
                for item in items
            ):
                errors[field] = _("Cần một danh sách, mỗi mục có các khóa: %(keys)s.") % {
                    "keys": ", ".join(keys)
                }
        if errors:
            raise ValidationError(errors)

    def untranslated(self) -> list[str]:
        missing = super().untranslated()
        for name, items, keys in (
            ("bring", self.bring, ("name", "note")),
            ("legal_notes", self.legal_notes, ("text", "source")),
        ):
            for n, item in enumerate(items):
                missing.extend(f"{name}[{n}].{k}" for k in keys if item.get(k) and not item.get(f"{k}_en"))
        return missing


class LifeEventStep(Translated):
    """One thing to do for a life event: a procedure by its code, or plain text when there is none."""

    event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    procedure_code = models.CharField(
        _("mã thủ tục"),
        max_length=30,
        blank=True,
        help_text=_(
            "Trang hiện phiên bản đang có hiệu lực; mã chưa có trong danh mục thì hiện tên dưới đây."
        ),
    )
    title = models.CharField(_("tên việc"), max_length=300)
    title_en = models.CharField(_("tên việc (tiếng Anh)"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    note_en = models.TextField(_("ghi chú (tiếng Anh)"), blank=True)
    optional = models.BooleanField(_("chỉ khi cần"), default=False)
    # A joined-up filing (liên thông) that does several of the other steps at once: offered first.
    joined = models.BooleanField(_("liên thông (làm một lần cho nhiều việc)"), default=False)
    covers = models.PositiveSmallIntegerField(_("số việc được làm cùng lúc"), default=0)

    translated_fields = ("title", "note")

    class Meta:
        verbose_name = _("việc cần làm")
        verbose_name_plural = _("các việc cần làm")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.procedure_code} {self.title}".strip()

    def clean(self) -> None:
        if self.joined != (self.covers >= 2):
            raise ValidationError(
                {"covers": _("Việc liên thông ghi số việc được làm cùng lúc (từ 2 trở lên); việc khác để 0.")}
            )
