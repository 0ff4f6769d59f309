"""Text typed without Vietnamese diacritics ("nguyen van an", "thon 3, xa vinh linh").

A name or a place goes onto the legal declaration and the slips as it was typed; one without any
diacritic is almost always a keyboard without a Vietnamese input method, not the name on the CCCD. The
desk sees these answers flagged and corrects them at reception (action `correct_declaration`).
"""

import re
import unicodedata

from motcua.catalog.models import FieldType

__all__ = ["flagged_fields", "lacks_diacritics"]

# Words of two letters or more: "3", "a" or an initial say nothing about how a name was typed.
_WORD = re.compile(r"[^\W\d_]{2,}")
# Free text only: codes, numbers, dates, choices, phones and e-mail addresses have no diacritics to miss.
CHECKED_TYPES = frozenset({FieldType.TEXT, FieldType.TEXTAREA})


def _plain(word: str) -> bool:
    """A word of ASCII letters only (đ/Đ and every accented vowel are not)."""
    return word.isascii()


def lacks_diacritics(text: str) -> bool:
    """True for text of two words or more, none of them with a Vietnamese letter: "nguyen van an",
    "thon 3, xa vinh linh". One word ("Kinh", "Lào") or any accented word ("Nguyen Văn An") is not
    flagged: a single word may well be right without one."""
    words = _WORD.findall(unicodedata.normalize("NFC", str(text or "")))
    return len(words) >= 2 and all(_plain(word) for word in words)


def flagged_fields(specs, form_data: dict) -> set[str]:
    """The names of the declaration's free-text answers typed without any diacritic."""
    return {
        spec.name
        for spec in specs
        if spec.type in CHECKED_TYPES and lacks_diacritics(str(form_data.get(spec.name) or ""))
    }
