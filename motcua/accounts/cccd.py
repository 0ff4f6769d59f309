"""Personal ID numbers (số định danh cá nhân, printed on the CCCD card): `PPP G YY RRRRRR`.

- `PPP`: where the birth was registered: the old 63-province code (001 Hà Nội … 096 Cà Mau), which a
  number keeps after the 2025 merger of provinces, or for a birth registered abroad the country's code;
- `G`: century and sex: 1900–1999 male 0 / female 1; 2000–2099: 2 / 3; 2100–2199: 4 / 5; and so on;
- `YY`: the last two digits of the birth year;
- `RRRRRR`: six random digits.

There is no check digit (Thông tư 07/2016/TT-BCA; shared/reference/domain.md §6): a number can only be
checked for its structure and for agreeing with the birth date and sex the person states.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["FOREIGN_CODES", "PROVINCES", "describe_cccd", "validate_cccd"]

# The 63 provinces' codes for the place of birth registration, as they were before 1/7/2025 ("0" + the
# province's two-digit statistics code). The numbers already issued keep them after the merger.
PROVINCES = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "TP. Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
# A birth registered at a Vietnamese mission abroad carries the country's code (Afghanistan 101 …
# Zimbabwe 295 in Thông tư 07/2016's list).
FOREIGN_CODES = range(101, 296)

SEXES = {"nam": "nam", "nu": "nu", "nữ": "nu"}  # the catalogue's forms use "nam" / "nu"
SEPARATORS = re.compile(r"[\s.\-]+")  # what people type between groups: "045 190 012 345", "045.190..."


def _sex_label(sex: str) -> str:
    return _("nam") if sex == "nam" else _("nữ")


def _normalise(number: str) -> str:
    text = SEPARATORS.sub("", unicodedata.normalize("NFKC", str(number)))  # NFKC: full-width digits
    if not text:
        raise ValidationError(_("Bạn chưa nhập số căn cước."), code="required")
    if not text.isascii() or not text.isdigit():
        raise ValidationError(
            _("Số căn cước chỉ gồm chữ số (12 chữ số), không có chữ cái hay ký hiệu."), code="digits"
        )
    if len(text) == 9:
        raise ValidationError(
            _(
                "Số bạn nhập có 9 chữ số, giống số chứng minh nhân dân cũ. Vui lòng nhập số căn cước "
                "12 chữ số in trên thẻ căn cước."
            ),
            code="length",
        )
    if len(text) != 12:
        raise ValidationError(
            _("Số căn cước phải có đúng 12 chữ số; số bạn nhập có %(count)d chữ số.") % {"count": len(text)},
            code="length",
        )
    return text


def _place(code: str) -> tuple[str, bool] | None:
    """(name, registered abroad) of a place-of-birth code, or None when the code does not exist."""
    if code in PROVINCES:
        return PROVINCES[code], False
    if int(code) in FOREIGN_CODES:
        return _("nước ngoài (mã quốc gia %(code)s)") % {"code": code}, True
    return None


def _decode(number: str) -> dict:
    """The facts a well-formed 12-digit number states; raises for an unknown place of birth."""
    code, digit, yy = number[:3], int(number[3]), int(number[4:6])
    place = _place(code)
    if place is None:
        raise ValidationError(
            _(
                'Mã nơi đăng ký khai sinh "%(code)s" (3 chữ số đầu) không có trong danh mục mã tỉnh, '
                "thành phố. Vui lòng kiểm tra lại số trên thẻ căn cước."
            )
            % {"code": code},
            code="province",
        )
    first_year = 1900 + 100 * (digit // 2)
    birth_year = first_year + yy
    sex = "nu" if digit % 2 else "nam"
    return {
        "number": number,
        "province_code": code,
        "province": place[0],
        "registered_abroad": place[1],
        "century": first_year // 100 + 1,  # the law's "thế kỷ 20" is 1900–1999
        "first_year": first_year,
        "sex": sex,
        "birth_year": birth_year,
    }


def _future_error(number: str, facts: dict) -> ValidationError:
    return ValidationError(
        _(
            'Chữ số thứ 4 là "%(digit)s" (người %(sex)s sinh từ năm %(first)d đến %(last)d) và hai chữ số '
            'tiếp theo là "%(yy)s", tức năm sinh %(year)d: năm này chưa tới. Vui lòng kiểm tra lại số trên '
            "thẻ căn cước."
        )
        % {
            "digit": number[3],
            "sex": _sex_label(facts["sex"]),
            "first": facts["first_year"],
            "last": facts["first_year"] + 99,
            "yy": number[4:6],
            "year": facts["birth_year"],
        },
        code="future",
    )


def validate_cccd(number: str, *, birth_date: dt.date | None = None, sex: str | None = None) -> str:
    """The 12 digits of `number` ('045 190 012 345' -> '045190012345'), or a ValidationError saying exactly
    what is wrong. With `birth_date` and `sex` ("nam"/"nu"), the 4th digit and the birth year digits must
    agree with them."""
    if sex is not None:
        if sex.strip().lower() not in SEXES:
            raise ValueError(f"sex must be 'nam' or 'nu', not {sex!r}")
        sex = SEXES[sex.strip().lower()]
    number = _normalise(number)
    facts = _decode(number)
    digit = number[3]
    says = _('Chữ số thứ 4 là "%(digit)s": người %(sex)s sinh từ năm %(first)d đến %(last)d') % {
        "digit": digit,
        "sex": _sex_label(facts["sex"]),
        "first": facts["first_year"],
        "last": facts["first_year"] + 99,
    }
    errors = []
    if sex is not None and sex != facts["sex"]:
        errors.append(
            ValidationError(
                _("%(says)s, nhưng giới tính đã khai là %(sex)s.") % {"says": says, "sex": _sex_label(sex)},
                code="sex",
            )
        )
    if birth_date is not None:
        if birth_date.year // 100 * 100 != facts["first_year"]:
            errors.append(
                ValidationError(
                    _("%(says)s, nhưng ngày sinh đã khai là %(date)s.")
                    % {"says": says, "date": birth_date.strftime("%d/%m/%Y")},
                    code="century",
                )
            )
        if birth_date.year % 100 != int(number[4:6]):
            errors.append(
                ValidationError(
                    _(
                        'Chữ số thứ 5 và 6 là "%(yy)s" (năm sinh có hai số cuối là %(yy)s), nhưng năm sinh '
                        "đã khai là %(year)d."
                    )
                    % {"yy": number[4:6], "year": birth_date.year},
                    code="birth_year",
                )
            )
    if birth_date is None and facts["birth_year"] > timezone.localdate().year:
        errors.append(_future_error(number, facts))
    if errors:
        raise ValidationError(errors)
    return number


def describe_cccd(number: str) -> dict:
    """What a number says, for an officer checking a card: place of birth registration, century, sex and
    birth year. Raises ValidationError like `validate_cccd` when the number is malformed.

    `province` is the name of the province as it was before 1/7/2025, the one the code stands for.
    """
    number = _normalise(number)
    facts = _decode(number)
    if facts["birth_year"] > timezone.localdate().year:
        raise _future_error(number, facts)
    facts["sex_label"] = _("Nam") if facts["sex"] == "nam" else _("Nữ")
    facts["years"] = f"{facts['first_year']}–{facts['first_year'] + 99}"
    return facts
