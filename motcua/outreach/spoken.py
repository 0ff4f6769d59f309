"""Vietnamese as it is read aloud: what a loudspeaker bulletin says, written the way it is said.

A bulletin's script is shown to the officer who edits it and to the citizen who reads it, and it is what
the speech synthesiser reads, so numbers, money, dates, times, phone numbers, codes and abbreviations are
written out in words: "15.000đ" is "mười lăm nghìn đồng", "UBND" is "Ủy ban nhân dân", "0233 3 000 000"
is "không hai ba ba, ba, không không không, không không không". `speakable` turns any text (a catalogue
line, an officer's edit) into that form; the other functions say one kind of thing.

Reading rules for numbers (those of radio and of forms):
- 10-19 are "mười ...": 15 "mười lăm"; after "mươi" (20 and up) 1 is "mốt", 4 is "tư", 5 is "lăm";
- a zero tens digit between hundreds and units reads "linh": 105 "một trăm linh năm";
- a group below the leading one says its hundreds, even zero: 2 026 "hai nghìn không trăm hai mươi sáu";
  an all-zero group is skipped: 2 000 000 "hai triệu".
"""

import datetime as dt
import re
import unicodedata

from motcua.text import DIGITS, number_to_words

__all__ = [
    "date_words",
    "digits_words",
    "money_words",
    "number_words",
    "speakable",
    "spell",
    "syllables",
    "time_words",
    "unspoken",
]

WEEKDAYS = {2: "thứ Hai", 3: "thứ Ba", 4: "thứ Tư", 5: "thứ Năm", 6: "thứ Sáu", 7: "thứ Bảy"}

# Letter names as Vietnamese say them when they spell an abbreviation nobody wrote out.
LETTERS = {
    "A": "a", "Ă": "á", "Â": "ớ", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "Ê": "ê",
    "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em",
    "N": "en", "O": "o", "Ô": "ô", "Ơ": "ơ", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét",
    "T": "tê", "U": "u", "Ư": "ư", "V": "vê", "W": "vê kép", "X": "ích", "Y": "i dài", "Z": "dét",
}  # fmt: skip

# Abbreviations of public administration, written out. Longest first, so "DVCQG" wins over "DVC".
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQ": "Mặt trận Tổ quốc",
    "CCCD": "căn cước",
    "CMND": "chứng minh nhân dân",
    "TTHC": "thủ tục hành chính",
    "TTHCC": "hành chính công",
    "DVCQG": "dịch vụ công quốc gia",
    "DVC": "dịch vụ công",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "GCN": "giấy chứng nhận",
    "QSDĐ": "quyền sử dụng đất",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "SĐT": "số điện thoại",
    "ĐT": "điện thoại",
    "STK": "số tài khoản",
    "KT-XH": "kinh tế xã hội",
    "NĐ-CP": "nghị định của Chính phủ",
    "NĐ": "nghị định",
    "QĐ": "quyết định",
    "CP": "Chính phủ",
    "TP": "thành phố",
    "CN": "Chủ nhật",
    "VNĐ": "đồng",
    "VND": "đồng",
    "VNeID": "vê en e ai đi",
    "ADN": "a đê en",
}

_WORD = "0-9A-Za-zÀ-ỹĐđ"
_ABBREVIATION = re.compile(
    rf"(?<![{_WORD}])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + rf")(?![{_WORD}])"
)
_WEEKDAY_RANGE = re.compile(r"\bT([2-7])\s*[-–]\s*(?:T([2-7])|(CN))\b")
_WEEKDAY = re.compile(r"\bT([2-7])\b")
_LEGAL_NUMBER = re.compile(r"\b(\d+)/(\d{4})/([A-ZĐ][A-ZĐa-z]*(?:-[A-ZĐ][A-ZĐa-z]*)*)")
_DATE = re.compile(r"(?:\b([Nn]gày)\s+)?\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b(?!/)")
_TIME = re.compile(rf"(?<![\d.,])(\d{{1,2}})(?:h(\d{{2}})?|:(\d{{2}}))(?![{_WORD}])")
_TIME_RANGE_DASH = re.compile(r"(\d{1,2}(?:h|:)\d{0,2})\s*[-–]\s*(?=\d{1,2}(?:h|:))")
_PHONE = re.compile(r"(?<![\d.,])(?:\+84|0)\d{2,3}(?:[ .]?\d){6,8}(?![\d])")
_MONEY = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:\.\d{{3}})+|\d+)\s*(?:đồng|đ|VNĐ|VND|vnđ)(?![{_WORD}])")
_PERCENT = re.compile(r"(\d+(?:,\d+)?)\s*%")
_ORDINAL = re.compile(r"\b(thứ|Thứ)\s+(\d+)\b")
_CODE = re.compile(r"\b\d+(?:\.[0-9A-Za-z]+)+\b")  # 1.001193, 000.20.44.H54
_MIXED = re.compile(rf"(?<![{_WORD}])(?=[{_WORD}]*\d)(?=[{_WORD}]*[A-Za-zĐđ])[{_WORD}]+(?![{_WORD}])")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d,])")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+),(\d+)(?![\d.,])")
_NUMBER = re.compile(r"\d+")
_UPPER_RUN = re.compile(r"(?<![0-9A-Za-zÀ-ỹĐđ])[A-ZĐÀ-Ỹ]{2,}(?![0-9A-Za-zÀ-ỹĐđ])")
_SPACES = re.compile(r"[ \t]+")

# A Vietnamese syllable: an upper-case one ("KHAI SINH") is a shouted word, not an abbreviation to spell.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?"
)


number_words = number_to_words  # a number as it is said: 15000 -> "mười lăm nghìn"


def money_words(amount_vnd: int) -> str:
    """15000 -> "mười lăm nghìn đồng"."""
    return f"{number_words(amount_vnd)} đồng"


def digits_words(text: str) -> str:
    """A phone number or a code read digit by digit, its groups (spaces, dots) as short pauses:
    "0233 3 000 000" -> "không hai ba ba, ba, không không không, không không không"."""
    text = text.replace("+84", "0", 1) if text.startswith("+84") else text
    groups = [g for g in re.split(r"[\s.]+", text) if g]
    return ", ".join(" ".join(DIGITS[int(d)] for d in g if d.isdigit()) for g in groups)


def _day(day: int) -> str:
    return f"mùng {number_words(day)}" if day <= 10 else number_words(day)


def _month(month: int) -> str:
    return "tư" if month == 4 else number_words(month)


def date_words(day: dt.date, *, year: bool = True) -> str:
    """2026-11-05 -> "ngày mùng năm tháng mười một năm hai nghìn không trăm hai mươi sáu"."""
    said = f"ngày {_day(day.day)} tháng {_month(day.month)}"
    return f"{said} năm {number_words(day.year)}" if year else said


def time_words(hour: int, minute: int = 0) -> str:
    """(7, 30) -> "bảy giờ ba mươi", (17, 0) -> "mười bảy giờ"."""
    said = f"{number_words(hour)} giờ"
    return f"{said} {number_words(minute)}" if minute else said


def spell(token: str) -> str:
    """An abbreviation nobody wrote out, letter by letter, its digits one by one: "CT01" -> "xê tê không
    một"."""
    parts = []
    for ch in token:
        if ch.isdigit():
            parts.append(DIGITS[int(ch)])
        elif ch.upper() in LETTERS:
            parts.append(LETTERS[ch.upper()])
    return " ".join(parts)


def _upper_token(match: re.Match) -> str:
    token = match.group(0)
    if not token.isupper():  # "Đà": a capital and a lower-case letter of the wide range
        return token
    lower = token.lower()
    if _SYLLABLE.fullmatch(lower):
        return lower  # a word written in capitals
    return spell(token)


def _mixed_token(match: re.Match) -> str:
    """A token of letters and digits: "CT01" is spelled; "6h" or "15đ" were handled before."""
    return spell(match.group(0))


def _valid_date(d: str, m: str, y: str | None = None) -> dt.date | None:
    try:
        return dt.date(int(y) if y else 2000, int(m), int(d))
    except ValueError:
        return None


def _date(match: re.Match) -> str:
    said, d, m, y = match.groups()
    day = _valid_date(d, m, y)
    if day is None:
        return match.group(0).replace("/", " trên ")
    words = date_words(day, year=bool(y))
    return words.replace("ngày", said, 1) if said else words


def _time(match: re.Match) -> str:
    hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    if hour > 24 or minute > 59:
        return match.group(0)
    return time_words(hour, minute)


def _weekday_range(match: re.Match) -> str:
    first = WEEKDAYS[int(match.group(1))]
    last = WEEKDAYS[int(match.group(2))] if match.group(2) else "Chủ nhật"
    return f"{first} đến {last}"


def _ordinal(match: re.Match) -> str:
    n = int(match.group(2))
    word = {1: "nhất", 4: "tư"}.get(n, number_words(n))
    return f"{match.group(1)} {word}"


def _decimal(match: re.Match) -> str:
    whole, fraction = match.groups()
    return f"{number_words(int(whole))} phẩy {' '.join(DIGITS[int(d)] for d in fraction)}"


def speakable(text: str) -> str:
    """`text` as it is read aloud: numbers, money, dates, times, phone numbers, codes and abbreviations in
    words; brackets, slashes and dashes as the pauses and words they stand for. Idempotent."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" else ch for ch in text)
    text = _WEEKDAY_RANGE.sub(_weekday_range, text)
    text = _WEEKDAY.sub(lambda m: WEEKDAYS[int(m.group(1))], text)
    text = _LEGAL_NUMBER.sub(lambda m: f"số {number_words(int(m.group(1)))} năm {m.group(2)}", text)
    text = _DATE.sub(_date, text)
    text = _PHONE.sub(lambda m: digits_words(m.group(0)), text)
    text = _TIME_RANGE_DASH.sub(r"\1 đến ", text)
    text = _TIME.sub(_time, text)
    text = _MONEY.sub(lambda m: money_words(int(m.group(1).replace(".", ""))), text)
    text = _PERCENT.sub(lambda m: f"{m.group(1)} phần trăm", text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = _ORDINAL.sub(_ordinal, text)
    text = _GROUPED.sub(lambda m: number_words(int(m.group(0).replace(".", ""))), text)
    text = _CODE.sub(lambda m: " chấm ".join(spell(part) for part in m.group(0).split(".")), text)
    text = _MIXED.sub(_mixed_token, text)
    text = _DECIMAL.sub(_decimal, text)
    text = re.sub(r"(\d+)\s*[-–]\s*(\d+)", r"\1 đến \2", text)
    text = _NUMBER.sub(lambda m: number_words(int(m.group(0))), text)
    text = _UPPER_RUN.sub(_upper_token, text)
    return _punctuation(text)


def _punctuation(text: str) -> str:
    """Symbols as words or pauses, and tidy spacing."""
    text = text.replace("&", " và ").replace("+", " cộng ").replace("…", "...")
    text = re.sub(r"\bđồng\s*/\s*(?=\w)", "đồng một ", text)
    text = re.sub(r"(?<=\w)\s*/\s*(?=\w)", " hoặc ", text)
    text = re.sub(r"\s+[-–—]\s+", ", ", text)
    text = re.sub(r"\s*[(\[]\s*", ", ", text)
    text = re.sub(r"\s*[)\]]\s*(?=[.,;:!?]|$)", "", text)
    text = re.sub(r"\s*[)\]]\s*", ", ", text)
    text = re.sub(r"[\"“”«»*_#|<>{}~^`]", "", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        line = re.sub(r"\s+([.,;:!?])", r"\1", line)
        line = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", line)
        line = re.sub(r"[,;:]\s*([.!?])", r"\1", line)
        line = re.sub(r"^[,;:]\s*", "", line)
        lines.append(line)
    return "\n".join(lines).strip()


def syllables(text: str) -> int:
    """How many syllables a script has: Vietnamese writes one syllable a word."""
    return len(re.findall(rf"[{_WORD}]+", text))


def unspoken(text: str) -> list[str]:
    """What in `text` would not be read as written: digits, currency signs, symbols and abbreviations.
    Empty for a good script."""
    found = re.findall(r"\S*\d\S*", text)
    found += [t for t in _UPPER_RUN.findall(text) if t.isupper()]
    found += [m.group(0) for m in _ABBREVIATION.finditer(text)]
    found += re.findall(r"[%&/+@#*()\[\]<>]|\bđ\b", text)
    return found
