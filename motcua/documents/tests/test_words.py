"""Vietnamese as forms print it: numbers and dates in words, dates in figures, clean text."""

import datetime as dt
import unicodedata

import pytest

from motcua.documents.layout import Run, contain_bidi
from motcua.documents.words import (
    amount_in_words,
    clean_text,
    date_in_figures,
    date_to_words,
    long_date,
    number_to_words,
    place_and_date,
    time_and_date,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (31, "ba mươi mốt"),
        (44, "bốn mươi tư"),
        (55, "năm mươi lăm"),
        (90, "chín mươi"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (111, "một trăm mười một"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một nghìn"),
        (1001, "một nghìn không trăm linh một"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1015, "một nghìn không trăm mười lăm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (50_000, "năm mươi nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (200_000, "hai trăm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),
        (1_050_000, "một triệu không trăm năm mươi nghìn"),
        (2_500_000, "hai triệu năm trăm nghìn"),
        (1_234_567, "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_005, "một tỷ không trăm linh năm"),
        (2_000_021_000, "hai tỷ không trăm hai mươi mốt nghìn"),
        (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_number_to_words_reads_as_vietnamese_accounting_does(n, words):
    assert number_to_words(n) == words


def test_number_to_words_negative_is_am():
    assert number_to_words(-15) == "âm mười lăm"


def test_number_to_words_refuses_anything_but_an_int():
    with pytest.raises(TypeError):
        number_to_words(1.5)
    with pytest.raises(TypeError):
        number_to_words(True)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (2_000, "Hai nghìn đồng"),
        (8_000, "Tám nghìn đồng"),
        (10_000, "Mười nghìn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (105_000, "Một trăm linh năm nghìn đồng"),
        (1_500_000, "Một triệu năm trăm nghìn đồng"),
    ],
)
def test_amount_in_words_starts_with_a_capital_and_ends_in_dong(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (
            dt.date(2026, 11, 21),
            "Ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi sáu",
        ),
        (dt.date(2026, 1, 5), "Ngày mùng năm tháng một năm hai nghìn không trăm hai mươi sáu"),
        (dt.date(2025, 4, 14), "Ngày mười bốn tháng tư năm hai nghìn không trăm hai mươi lăm"),
        (dt.date(2024, 2, 29), "Ngày hai mươi chín tháng hai năm hai nghìn không trăm hai mươi tư"),
        (dt.date(2005, 10, 10), "Ngày mùng mười tháng mười năm hai nghìn không trăm linh năm"),
        (dt.date(1990, 12, 15), "Ngày mười lăm tháng mười hai năm một nghìn chín trăm chín mươi"),
        (dt.date(2010, 5, 24), "Ngày hai mươi tư tháng năm năm hai nghìn không trăm mười"),
        (dt.date(2031, 3, 31), "Ngày ba mươi mốt tháng ba năm hai nghìn không trăm ba mươi mốt"),
    ],
)
def test_date_to_words_for_the_ghi_bang_chu_line(day, words):
    assert date_to_words(day) == words


def test_dates_in_figures_have_leading_zeros():
    assert date_in_figures(dt.date(2026, 1, 5)) == "05/01/2026"
    assert date_in_figures(dt.date(2026, 11, 21)) == "21/11/2026"


def test_place_and_date_line_pads_days_below_10_and_months_1_and_2_only():
    assert place_and_date("Vĩnh Linh", dt.date(2026, 1, 5)) == "Vĩnh Linh, ngày 05 tháng 01 năm 2026"
    assert long_date(dt.date(2026, 2, 28)) == "ngày 28 tháng 02 năm 2026"
    assert long_date(dt.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert long_date(dt.date(2026, 11, 20)) == "ngày 20 tháng 11 năm 2026"


def test_time_and_date_for_slips():
    moment = dt.datetime(2026, 1, 5, 9, 5)
    assert time_and_date(moment) == "09 giờ 05 phút, ngày 05 tháng 01 năm 2026"


def test_clean_text_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
    assert decomposed != "Nguyễn Thị Hường"
    assert clean_text(decomposed) == "Nguyễn Thị Hường"


def test_clean_text_removes_only_xml_illegal_characters():
    assert clean_text("A\x00B\x07C\x0bD\x1fE\ufffeF") == "ABCDEF"
    kept = "A & B <c> \"d\" 'e' 👶🏻 \u200f ש \u00a0 \x85"
    assert clean_text(kept) == kept


def test_clean_text_unifies_newlines_and_turns_tabs_into_spaces():
    assert clean_text("a\r\nb\rc\td") == "a\nb\nc d"


def test_clean_text_of_none_and_numbers():
    assert clean_text(None) == ""
    assert clean_text(1990) == "1990"


def test_a_right_to_left_override_is_closed_at_the_end_of_its_run():
    assert contain_bidi("abc\u202edef") == "abc\u202edef\u202c"
    assert contain_bidi("\u2067x") == "\u2067x\u2069"
    assert contain_bidi("ok\u202e\u202c") == "ok\u202e\u202c"
    assert Run("\u202eabc").text == "\u202eabc\u202c"
