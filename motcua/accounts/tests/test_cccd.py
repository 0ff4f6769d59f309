"""CCCD numbers: structure only (no check digit exists), and agreement with the stated birth date and sex."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.accounts.cccd import FOREIGN_CODES, PROVINCES, describe_cccd, validate_cccd

D = dt.date


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the province list -----------------------------------------------------------------------------------
def test_the_63_old_province_codes():
    assert len(PROVINCES) == 63
    assert PROVINCES["001"] == "Hà Nội"
    assert PROVINCES["079"] == "TP. Hồ Chí Minh"
    assert PROVINCES["048"] == "Đà Nẵng"
    assert PROVINCES["031"] == "Hải Phòng"
    assert PROVINCES["038"] == "Thanh Hóa"
    assert PROVINCES["044"] == "Quảng Bình"  # merged into Quảng Trị in 2025, the code stays valid
    assert PROVINCES["045"] == "Quảng Trị"
    assert PROVINCES["096"] == "Cà Mau"
    # "0" + the old two-digit province code: never a code that no province had
    for gap in ("000", "003", "005", "007", "009", "013", "016", "018", "021", "023", "028", "029", "032",
                "039", "041", "043", "047", "050", "053", "055", "057", "059", "061", "063", "065", "069",
                "071", "073", "076", "078", "081", "085", "088", "090", "097", "098", "099"):  # fmt: skip
        assert gap not in PROVINCES
    assert all(code.startswith("0") and len(code) == 3 for code in PROVINCES)


# --- valid numbers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "birth_date", "sex"),
    [
        ("045190012345", D(1990, 5, 17), "nu"),  # Quảng Trị, woman born 1990
        ("001085000123", D(1985, 1, 1), "nam"),  # Hà Nội, man born 1985
        ("079200654321", D(2000, 1, 1), "nam"),  # first day of the 2000s: digit 2
        ("038305999999", D(2005, 12, 31), "nu"),  # woman born 2005: digit 3
        ("096099123456", D(1999, 12, 31), "nam"),  # last day of the 1900s: digit 0
        ("044100000001", D(1900, 1, 1), "nu"),  # first day of the 1900s: digit 1
        ("048224000000", D(2024, 2, 29), "nam"),
    ],
)
def test_valid_numbers_agreeing_with_birth_date_and_sex(number, birth_date, sex):
    assert validate_cccd(number, birth_date=birth_date, sex=sex) == number


@pytest.mark.parametrize(
    "typed",
    [
        "045 190 012 345",  # as printed on the card, in groups
        "045.190.012.345",
        "045-190-012-345",
        " 045190012345 ",
        "0451 9001 2345",
        "045\u00a0190\u00a0012\u00a0345",  # a no-break space pasted from a document
        "０４５１９００１２３４５",  # full-width digits from a phone keyboard
    ],
)
def test_spaces_dots_and_dashes_people_type_are_removed(typed):
    assert validate_cccd(typed) == "045190012345"
    assert validate_cccd(typed, birth_date=D(1990, 5, 17), sex="nu") == "045190012345"


def test_sex_may_be_written_with_its_diacritic_or_capitals():
    assert validate_cccd("045190012345", sex="Nữ") == "045190012345"
    assert validate_cccd("045090012345", sex="NAM") == "045090012345"


def test_birth_date_and_sex_are_each_optional():
    assert validate_cccd("045190012345", birth_date=D(1990, 1, 1)) == "045190012345"
    assert validate_cccd("045190012345", sex="nu") == "045190012345"


def test_a_birth_registered_abroad_carries_the_countrys_code():
    assert 175 in FOREIGN_CODES
    assert validate_cccd("175201234567", birth_date=D(2001, 3, 3), sex="nam") == "175201234567"
    facts = describe_cccd("175201234567")
    assert facts["registered_abroad"] is True
    assert "175" in facts["province"]


@time_machine.travel(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC), tick=False)
def test_born_this_year_is_valid_next_year_is_not():
    assert validate_cccd("001326000001", birth_date=D(2026, 11, 1), sex="nu") == "001326000001"
    with pytest.raises(ValidationError) as caught:
        validate_cccd("001327000001")
    assert codes(caught.value) == ["future"]
    assert "2027" in message(caught.value)


# --- invalid numbers: each message says exactly what is wrong ------------------------------------------
@pytest.mark.parametrize(
    ("typed", "count"),
    [("04519001234", 11), ("0451900123456", 13), ("1", 1), ("045 190 012 34", 11)],
)
def test_not_12_digits(typed, count):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(typed)
    assert codes(caught.value) == ["length"]
    assert "12 chữ số" in message(caught.value)
    assert f"có {count} chữ số" in message(caught.value)


def test_an_old_9_digit_identity_card_number_is_named_as_such():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("197 123 456")
    assert codes(caught.value) == ["length"]
    assert "chứng minh nhân dân" in message(caught.value)


@pytest.mark.parametrize("typed", ["04519001234O", "045/190/012/345", "CCCD045190012345", "٠٤٥١٩٠٠١٢٣٤٥"])
def test_letters_and_symbols_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(typed)
    assert codes(caught.value) == ["digits"]
    assert "chỉ gồm chữ số" in message(caught.value)


@pytest.mark.parametrize("typed", ["", "   ", " . - "])
def test_nothing_typed(typed):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(typed)
    assert codes(caught.value) == ["required"]


@pytest.mark.parametrize("code", ["099", "000", "003", "097", "100", "296", "999"])
def test_unknown_province_code(code):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(f"{code}190012345")
    assert codes(caught.value) == ["province"]
    assert f'"{code}"' in message(caught.value)
    assert "không có trong danh mục" in message(caught.value)


def test_female_2000s_digit_but_stated_male():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("045305012345", birth_date=D(2005, 6, 1), sex="nam")
    assert codes(caught.value) == ["sex"]
    text = message(caught.value)
    assert 'Chữ số thứ 4 là "3"' in text
    assert "người nữ sinh từ năm 2000 đến 2099" in text
    assert "giới tính đã khai là nam" in text


def test_male_1900s_digit_but_stated_female():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("045090012345", sex="nu")
    assert codes(caught.value) == ["sex"]
    assert "người nam sinh từ năm 1900 đến 1999" in message(caught.value)
    assert "giới tính đã khai là nữ" in message(caught.value)


def test_2000s_digit_but_born_in_the_1900s():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("045390012345", birth_date=D(1990, 3, 5), sex="nu")  # 3 = woman born 20xx
    assert codes(caught.value) == ["century"]
    text = message(caught.value)
    assert "người nữ sinh từ năm 2000 đến 2099" in text
    assert "ngày sinh đã khai là 05/03/1990" in text


@pytest.mark.parametrize(
    ("number", "birth_date"),
    [
        ("001099000001", D(2000, 1, 1)),  # 1999 vs 2000: the boundary, from both sides
        ("001200000001", D(1999, 12, 31)),
        ("001100000001", D(2000, 6, 1)),  # 1900 read as a woman's 1900, not 2000
    ],
)
def test_century_boundary_years(number, birth_date):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(number, birth_date=birth_date)
    assert "century" in codes(caught.value)


def test_birth_year_digits_disagree():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("045190012345", birth_date=D(1991, 5, 17), sex="nu")
    assert codes(caught.value) == ["birth_year"]
    text = message(caught.value)
    assert 'Chữ số thứ 5 và 6 là "90"' in text
    assert "năm sinh đã khai là 1991" in text


def test_every_disagreement_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        validate_cccd("045190012345", birth_date=D(2001, 1, 1), sex="nam")
    assert sorted(codes(caught.value)) == ["birth_year", "century", "sex"]


@time_machine.travel(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("number", ["001450000001", "001599000001", "001299000001"])
def test_digits_that_would_mean_a_birth_in_the_future(number):
    with pytest.raises(ValidationError) as caught:
        validate_cccd(number)
    assert codes(caught.value) == ["future"]
    assert "chưa tới" in message(caught.value)


def test_an_unknown_sex_value_is_a_programming_error():
    with pytest.raises(ValueError, match="nam"):
        validate_cccd("045190012345", sex="female")


def test_the_validator_works_as_a_form_field_validator():
    from django import forms

    class F(forms.Form):
        cccd = forms.CharField(validators=[validate_cccd])

    form = F(data={"cccd": "099190012345"})
    assert not form.is_valid()
    assert '"099"' in form.errors["cccd"][0]


# --- describe_cccd: for officers ------------------------------------------------------------------------
def test_describe_a_woman_born_in_1990_in_quang_tri():
    assert describe_cccd("045 190 012 345") == {
        "number": "045190012345",
        "province_code": "045",
        "province": "Quảng Trị",
        "registered_abroad": False,
        "century": 20,
        "first_year": 1900,
        "years": "1900–1999",
        "sex": "nu",
        "sex_label": "Nữ",
        "birth_year": 1990,
    }


@pytest.mark.parametrize(
    ("number", "province", "century", "sex", "year"),
    [
        ("079200654321", "TP. Hồ Chí Minh", 21, "nam", 2000),
        ("038305999999", "Thanh Hóa", 21, "nu", 2005),
        ("096099123456", "Cà Mau", 20, "nam", 1999),
        ("044100000001", "Quảng Bình", 20, "nu", 1900),
    ],
)
def test_describe(number, province, century, sex, year):
    facts = describe_cccd(number)
    assert (facts["province"], facts["century"], facts["sex"], facts["birth_year"]) == (
        province,
        century,
        sex,
        year,
    )


def test_describe_refuses_a_malformed_number():
    with pytest.raises(ValidationError) as caught:
        describe_cccd("099190012345")
    assert codes(caught.value) == ["province"]
