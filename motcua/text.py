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
