import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from vietnam_provinces import Province, Ward

# QCVN 102:2016/BTTTT electronic agency ID, e.g. 000.17.22.H56 (at most 13 characters).
AGENCY_ID_PATTERN = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
RESULT_PLACE_MAX, OPENING_HOURS_MAX = 50, 28


def validate_agency_id(value: str) -> None:
    if not AGENCY_ID_PATTERN.match(value):
        raise ValidationError(_("Mã định danh phải có dạng 000.17.22.H56 (QCVN 102:2016)."))


def province_choices() -> list[tuple[int, str]]:
    return [(p.code.value, p.name) for p in Province.iter_all()]


class Role(models.TextChoices):
    """An officer's roles are Django groups with these names."""

    ONESTOP = "onestop", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị")
    COMMUNITY = "community", _("Tổ công nghệ số cộng đồng")


class BodyKind(models.TextChoices):
    """Who decides a procedure at a commune. The commune's one-stop desk receives every dossier; the
    People's Committee decides most, and a body beside it decides its own field: residence (cư trú) is
    registered by the commune police — "cơ quan đăng ký cư trú" is Công an xã, phường, thị trấn (Luật Cư trú
    số 68/2020/QH14, Điều 2 khoản 4; Nghị định 154/2024/NĐ-CP ngày 26/11/2024 quy định chi tiết Luật Cư
    trú). A procedure names its kind in the catalogue (`executing_body`); an agency may describe each of
    its bodies (`Body`), else the body is named from the commune's and province's names."""

    COMMITTEE = "ubnd", _("Ủy ban nhân dân xã")
    POLICE = "cong_an", _("Công an xã")
    # The health insurance card of a child under 6 in the joined-up birth procedure (2.000986): issued by
    # the social insurance office (Luật Bảo hiểm y tế, Điều 16; Nghị định 63/2024/NĐ-CP, Điều 5, 7).
    SOCIAL_INSURANCE = "bhxh", _("Bảo hiểm xã hội")


class Agency(models.Model):
    """A commune (or any receiving agency). One deployment may serve all communes of a province."""

    name = models.CharField(_("tên cơ quan"), max_length=200)
    agency_id = models.CharField(
        _("mã định danh (QCVN 102)"), max_length=13, unique=True, validators=[validate_agency_id]
    )
    parent_name = models.CharField(_("cơ quan cấp trên"), max_length=200, blank=True)
    province_code = models.PositiveIntegerField(_("tỉnh, thành phố"), choices=province_choices)
    ward_code = models.PositiveIntegerField(_("mã xã, phường (2025)"))
    address = models.CharField(_("địa chỉ"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # Where and when a citizen collects a result, as the text of status 9 says it: short enough that the
    # longest of each still fits two SMS parts (motcua/notifications/tests/test_texts.py).
    result_place = models.CharField(
        _("nơi trả kết quả"),
        max_length=RESULT_PLACE_MAX,
        blank=True,
        help_text=_("Viết ngắn, in trong tin nhắn. Ví dụ: Trung tâm Phục vụ hành chính công xã Vĩnh Linh."),
    )
    opening_hours = models.CharField(
        _("giờ làm việc"),
        max_length=OPENING_HOURS_MAX,
        blank=True,
        help_text=_("Viết ngắn, in trong tin nhắn. Ví dụ: 7h30-11h30, 13h30-17h, T2-T6."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    bank_bin = models.CharField(_("mã ngân hàng (BIN)"), max_length=6, blank=True)
    bank_name = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    bank_account = models.CharField(_("số tài khoản nhận phí"), max_length=19, blank=True)
    bank_account_name = models.CharField(_("tên tài khoản"), max_length=100, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            ward = Ward.from_code(self.ward_code)
        except (ValueError, KeyError, TypeError):
            raise ValidationError({"ward_code": _("Không có xã, phường nào mang mã này.")}) from None
        if ward.province_code.value != self.province_code:
            raise ValidationError({"ward_code": _("Xã, phường này không thuộc tỉnh đã chọn.")})
        if self.bank_bin and not re.fullmatch(r"\d{6}", self.bank_bin):
            raise ValidationError({"bank_bin": _("Mã BIN gồm 6 chữ số.")})
        if self.bank_account and not re.fullmatch(r"[0-9A-Za-z]{1,19}", self.bank_account):
            raise ValidationError({"bank_account": _("Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự.")})

    @cached_property
    def province_name(self) -> str:
        return Province.from_code(self.province_code).name

    @cached_property
    def ward_name(self) -> str:
        return Ward.from_code(self.ward_code).name

    @property
    def collect_place(self) -> str:
        """Where a result is collected, short: the agency's own words, else its commune's one-stop desk."""
        if self.result_place:
            return self.result_place
        ward = self.ward_name
        return _("bộ phận một cửa %(ward)s") % {"ward": ward[:1].lower() + ward[1:]}

    @property
    def collect_hours(self) -> str:
        return self.opening_hours or str(_("trong giờ hành chính"))

    @property
    def place_name(self) -> str:
        """The commune's name without its unit type, as written on documents: 'Vĩnh Linh'."""
        return re.sub(r"^(Xã|Phường|Đặc khu)\s+", "", self.ward_name)


class Officer(models.Model):
    """Links a user account to the agency it works for. Roles are the user's groups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="officers")
    title = models.CharField(_("chức danh"), max_length=100, blank=True)
    # Empty: the People's Committee, which the agency is. An officer's specialist and leader roles count
    # only on the dossiers of procedures their body decides (`roles_on`).
    body = models.ForeignKey(
        "Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("cơ quan giải quyết"),
        help_text=_("Để trống: Ủy ban nhân dân xã. Ví dụ: cán bộ Công an xã chọn Công an xã."),
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"

    @cached_property
    def roles(self) -> set[str]:
        return set(self.user.groups.values_list("name", flat=True)) & set(Role.values)

    def remember_roles(self, group_names) -> None:
        """The roles, from group names read with the user (accounts.backends.signed_in_users)."""
        self.__dict__["roles"] = set(group_names) & set(Role.values)

    def clean(self) -> None:
        if self.body_id and self.agency_id and self.body.agency_id != self.agency_id:
            raise ValidationError({"body": _("Cơ quan này không thuộc đơn vị của cán bộ.")})

    @cached_property
    def body_kind(self) -> str:
        return self.body.kind if self.body_id else BodyKind.COMMITTEE

    def roles_on(self, body_kind: str) -> set[str]:
        """The roles this officer acts in on a dossier decided by a body of `body_kind`: the one-stop desk
        receives for every body, a specialist and a leader work only for their own."""
        if body_kind == self.body_kind:
            return set(self.roles)
        return self.roles - DECIDING


# The roles that work on a dossier's substance and decide it, for one body (Officer.roles_on).
DECIDING = frozenset({Role.SPECIALIST, Role.LEADER})


# A commune's unit and proper name: "Xã Vĩnh Linh", "Phường Đông Hà", "Đặc khu Vân Đồn", "Tỉnh Quảng Trị".
UNIT_NAME = re.compile(r"^(xã|phường|đặc khu|tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def _lower_unit(name: str) -> str:
    """ "Xã Vĩnh Linh" as written inside a name: "xã Vĩnh Linh"."""
    match = UNIT_NAME.match(name)
    return f"{match.group(1).lower()} {match.group(2)}" if match else name


class Body(models.Model):
    """A body of a commune that decides procedures: its People's Committee, or its police.

    What its documents print: the name in the header and in sentences ("Công an xã Vĩnh Linh tiếp nhận hồ
    sơ của…"), the body above it (cơ quan chủ quản, the header's first line in the Nghị định 30/2020 layout:
    "CÔNG AN TỈNH QUẢNG TRỊ / CÔNG AN XÃ VĨNH LINH") and the title of whoever signs for it. Without a row,
    `for_agency` names the body from the agency (the committee is the agency itself).
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("tên cơ quan"), max_length=200, help_text=_("Ví dụ: Công an xã Vĩnh Linh."))
    parent_name = models.CharField(
        _("cơ quan chủ quản"), max_length=200, blank=True, help_text=_("Ví dụ: Công an tỉnh Quảng Trị.")
    )
    signer_title = models.CharField(
        _("chức danh người ký"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: Trưởng Công an xã. Để trống thì dùng chức danh thường dùng của loại cơ quan."),
    )

    class Meta:
        verbose_name = _("cơ quan giải quyết")
        verbose_name_plural = _("cơ quan giải quyết")
        ordering = ["agency", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_body_of_a_kind")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_agency(cls, agency: Agency, kind: str) -> "Body":
        """The agency's body of `kind`: its row, else one named from the agency (not saved)."""
        rows = agency.bodies.all() if agency.pk else []
        body = next((b for b in rows if b.kind == kind), None)
        return body or cls(agency=agency, kind=kind, **cls.named(agency, kind))

    @staticmethod
    def named(agency: Agency, kind: str) -> dict:
        """How a body of `kind` is called when nobody wrote it down."""
        if kind == BodyKind.POLICE:
            unit = UNIT_NAME.match(agency.ward_name)
            return {
                "name": f"Công an {_lower_unit(agency.ward_name)}",
                "parent_name": f"Công an {_lower_unit(agency.province_name)}",
                "signer_title": f"Trưởng Công an {unit.group(1).lower() if unit else 'xã'}",
            }
        if kind == BodyKind.SOCIAL_INSURANCE:
            return {
                "name": f"Bảo hiểm xã hội {_lower_unit(agency.province_name)}",
                "parent_name": "Bảo hiểm xã hội Việt Nam",
                "signer_title": "Giám đốc",
            }
        # The template's words for the head of the issuing body (Thông tư 01/2018, 03/2025 Phụ lục I).
        return {"name": agency.name, "parent_name": agency.parent_name, "signer_title": "Thủ trưởng cơ quan"}

    @property
    def signer(self) -> str:
        return self.signer_title or self.named(self.agency, self.kind)["signer_title"]

    @property
    def name_on_own_line(self) -> bool:
        """A People's Committee is headed "ỦY BAN NHÂN DÂN / XÃ VĨNH LINH"; other bodies on one line."""
        return self.kind == BodyKind.COMMITTEE
