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

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"

    @cached_property
    def roles(self) -> set[str]:
        return set(self.user.groups.values_list("name", flat=True)) & set(Role.values)
