"""Small text helpers shared by search, guides and documents."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z.]+")
_DOTS = re.compile(r"(?<![0-9])\.|\.(?![0-9])")  # keep dots only inside codes like 1.001193


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def clean_text(text: str) -> str:
    """NFC, without control characters (a NUL cannot even be stored in PostgreSQL)."""
    return nfc(text).translate(_CONTROLS)


# What clean_text removes, and half of a UTF-16 surrogate pair (JSON can write one as "\ud800"; no
# database stores it): text with any of these is refused where it enters (motcua.middleware, the API).
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def has_controls(text: str) -> bool:
    """True when `text` holds a control character (NUL included, tab and line breaks excepted) or a lone
    surrogate."""
    return _REFUSED.search(text) is not None


def whole_number(text: str) -> int | None:
    """'12' -> 12; None for anything else. str.isdigit() also says yes to '²', which int() refuses."""
    return int(text) if text.isascii() and text.isdigit() else None


def fold(text: str) -> str:
    """Lower case ASCII without diacritics, đ/Đ as d, words separated by one space.

    'Đăng ký KHAI SINH!' -> 'dang ky khai sinh'. Procedure codes keep their dots: '1.001193'.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_DOTS.sub(" ", _NON_WORD.sub(" ", stripped)).split())


def format_vnd(amount: int) -> str:
    """50000 -> '50.000 đồng' (Vietnamese groups thousands with dots)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")


def _three(n: int, *, full: bool) -> list[str]:
    """Words for 0 <= n < 1000. `full`: a lower group, which says "không trăm" and "linh" in full."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 4 and tens >= 2:
            words.append("tư")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def number_to_words(n: int) -> str:
    """A whole number in Vietnamese words, lower case: 105000 -> "một trăm linh năm nghìn"."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("number_to_words takes an int")
    if n < 0:
        return "âm " + number_to_words(-n)
    if n == 0:
        return DIGITS[0]
    billions, rest = divmod(n, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [number_to_words(billions), "tỷ"]
    groups = [rest // 1_000_000, rest // 1000 % 1000, rest % 1000]
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _three(group, full=bool(words))
        if GROUPS[2 - index]:
            words.append(GROUPS[2 - index])
    return " ".join(words)
