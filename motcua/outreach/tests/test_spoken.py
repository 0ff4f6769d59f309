"""What the loudspeaker says is written as it is said: numbers, money, dates, phones, codes, abbreviations."""

import datetime as dt

import pytest

from motcua.outreach.spoken import (
    date_words,
    digits_words,
    money_words,
    number_words,
    speakable,
    spell,
    time_words,
    unspoken,
)


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (8000, "tám nghìn"),
        (15000, "mười lăm nghìn"),
        (200000, "hai trăm nghìn"),
        (1_500_000, "một triệu năm trăm nghìn"),
        (2_000_000, "hai triệu"),
        (1_000_000_000, "một tỷ"),
    ],
)
def test_numbers_are_read_as_vietnamese_says_them(n, said):
    assert number_words(n) == said


def test_money_is_read_in_dong():
    assert money_words(15000) == "mười lăm nghìn đồng"


def test_a_phone_number_is_read_digit_by_digit_in_its_groups():
    assert digits_words("0233 3 000 000") == "không hai ba ba, ba, không không không, không không không"
    assert digits_words("+84912345678") == "không chín một hai ba bốn năm sáu bảy tám"


def test_dates_and_times_are_read_with_their_words():
    assert date_words(dt.date(2026, 11, 5)) == (
        "ngày mùng năm tháng mười một năm hai nghìn không trăm hai mươi sáu"
    )
    assert date_words(dt.date(2026, 4, 21), year=False) == "ngày hai mươi mốt tháng tư"
    assert time_words(7, 30) == "bảy giờ ba mươi"
    assert time_words(17) == "mười bảy giờ"


def test_an_abbreviation_nobody_wrote_out_is_spelled():
    assert spell("CT01") == "xê tê không một"


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Lệ phí 15.000đ", "Lệ phí mười lăm nghìn đồng"),
        ("Lệ phí 8.000 đồng", "Lệ phí tám nghìn đồng"),
        ("50.000 VNĐ", "năm mươi nghìn đồng"),
        ("UBND xã, mang CCCD", "Ủy ban nhân dân xã, mang căn cước"),
        ("Hồ sơ TTHC trên Cổng DVCQG", "Hồ sơ thủ tục hành chính trên Cổng dịch vụ công quốc gia"),
        ("Đăng nhập VNeID", "Đăng nhập vê en e ai đi"),
        ("Ngày 20/11/2026", "Ngày hai mươi tháng mười một năm hai nghìn không trăm hai mươi sáu"),
        ("hạn 05/01/2027", "hạn ngày mùng năm tháng một năm hai nghìn không trăm hai mươi bảy"),
        ("ngày 5/4", "ngày mùng năm tháng tư"),
        (
            "7h30-11h30, 13h30-17h, T2-T6",
            "bảy giờ ba mươi đến mười một giờ ba mươi, mười ba giờ ba mươi đến mười bảy giờ, "
            "thứ Hai đến thứ Sáu",
        ),
        ("lúc 17:00", "lúc mười bảy giờ"),
        ("Gọi 0233 3 000 000", "Gọi không hai ba ba, ba, không không không, không không không"),
        ("Mã thủ tục 1.001193", "Mã thủ tục một chấm không không một một chín ba"),
        ("tờ khai mẫu CT01 (nếu có)", "tờ khai mẫu xê tê không một, nếu có"),
        ("Nghị định 20/2021/NĐ-CP", "Nghị định số hai mươi năm hai nghìn không trăm hai mươi mốt"),
        ("2.000 đồng/trang, từ trang thứ 3", "hai nghìn đồng một trang, từ trang thứ ba"),
        ("thứ 4", "thứ tư"),
        ("Người cao tuổi (từ đủ 60 tuổi)", "Người cao tuổi, từ đủ sáu mươi tuổi"),
        ("kinh tế - xã hội", "kinh tế, xã hội"),
        ("căn cước của cha/mẹ", "căn cước của cha hoặc mẹ"),
        ("giảm 50%", "giảm năm mươi phần trăm"),
        ("1,5 triệu", "một phẩy năm triệu"),
        ("Bước 1: Lấy giấy", "Bước một: Lấy giấy"),
        ("ĐĂNG KÝ KHAI SINH tại Đà Nẵng", "đăng ký khai sinh tại Đà Nẵng"),
        ("Cơ quan 000.20.44.H54", "Cơ quan không không không chấm hai không chấm bốn bốn chấm hát năm bốn"),
    ],
)
def test_speakable_writes_text_as_it_is_read(written, said):
    assert speakable(written) == said


@pytest.mark.parametrize(
    "written",
    ["UBND 15.000đ CT01 20/11/2026 7h30 0912345678", "Thủ tục 1.001193 (mẫu CT01) & HĐND", "a / b - c"],
)
def test_speakable_leaves_nothing_unspoken_and_is_idempotent(written):
    said = speakable(written)
    assert unspoken(said) == []
    assert speakable(said) == said


def test_unspoken_finds_what_a_voice_would_stumble_on():
    assert unspoken("UBND thu 15.000đ (mẫu CT01)") == ["15.000đ", "CT01)", "UBND", "UBND", "(", ")"]
    assert unspoken("Ủy ban nhân dân xã Vĩnh Linh, Đà Nẵng") == []


def test_text_is_stored_nfc_and_without_control_characters():
    assert speakable("Ủy ban\u200b nhân dân\x07") == "Ủy ban nhân dân"
    assert speakable("Hô\u0323 nghe\u0300o") == "Hộ nghèo"
