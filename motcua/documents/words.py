"""Vietnamese as printed on forms: clean text, numbers and dates in words, dates and times in figures.

Reading rules for numbers (as in accounting and civil-status practice):
- 10-19 are "mười ...": 11 "mười một", 14 "mười bốn", 15 "mười lăm";
- after "mươi" (20 and more): 1 is "mốt", 4 is "tư", 5 is "lăm": 21 "hai mươi mốt", 24 "hai mươi tư";
- a zero tens digit between hundreds and units reads "linh": 105 "một trăm linh năm";
- groups are "nghìn", "triệu", "tỷ", and "nghìn tỷ" and so on above; a group below the leading one
  always says its hundreds, even zero: 1 005 "một nghìn không trăm linh năm", 2 026 "hai nghìn
  không trăm hai mươi sáu"; an all-zero group is skipped: 2 000 000 "hai triệu".
"""

import datetime as dt
import re
import unicodedata

from motcua.text import number_to_words

__all__ = [
    "amount_in_words",
    "clean_text",
    "date_in_figures",
    "date_to_words",
    "number_to_words",
    "place_and_date",
    "time_and_date",
]


# Characters that XML 1.0 forbids (C0 controls except tab, newline and carriage return; the two
# non-characters U+FFFE and U+FFFF; unpaired surrogates): neither a DOCX nor an HTML page can hold them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value) -> str:
    """Any value as text fit for a document: NFC, XML-illegal characters removed, one kind of newline.

    Everything else (emoji, right-to-left marks, ``& < > " '``) is kept exactly. A tab becomes a space,
    because in a DOCX a tab would jump to the dotted leader's tab stop in the middle of the value.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _XML_ILLEGAL.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def amount_in_words(amount_vnd: int) -> str:
    """An amount as written on a receipt: 50000 -> "Năm mươi nghìn đồng"."""
    return _capitalised(number_to_words(amount_vnd) + " đồng")


def _day_words(day: int) -> str:
    # Days 1-10 are read with "mùng" ("mùng năm"), as on civil-status registers.
    return f"mùng {number_to_words(day)}" if day <= 10 else number_to_words(day)


def _month_words(month: int) -> str:
    return "tư" if month == 4 else number_to_words(month)


def date_to_words(day: dt.date) -> str:
    """A date for a "ghi bằng chữ" line.

    2026-11-21 -> "Ngày hai mươi mốt tháng mười một năm hai nghìn không trăm hai mươi sáu".
    """
    return f"Ngày {_day_words(day.day)} tháng {_month_words(day.month)} năm {number_to_words(day.year)}"


def date_in_figures(day: dt.date) -> str:
    """dd/mm/yyyy, as forms print a date: 05/01/2026."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": leading zeros on the day and on months 1 and 2 (Decree 30)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: dt.date) -> str:
    """The place-and-date line: "Vĩnh Linh, ngày 05 tháng 01 năm 2026"."""
    return f"{clean_text(place)}, {long_date(day)}"


def time_and_date(moment: dt.datetime) -> str:
    """A local moment on a slip: "09 giờ 05 phút, ngày 20 tháng 11 năm 2026"."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {long_date(moment.date())}"
