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
