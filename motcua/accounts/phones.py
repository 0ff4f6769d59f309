"""Vietnamese phone numbers in any usual form -> E.164 (+849...)."""

import phonenumbers

# Mobile prefixes renumbered in 2018: people still type the old 11-digit numbers.
OLD_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
    "0168": "038", "0169": "039", "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


def normalize_phone(text: str) -> str | None:
    """'0912 345 678', '+84 912345678', '84912345678' -> '+84912345678'; None when it is not a VN number."""
    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if len(digits) == 11 and digits[:4] in OLD_PREFIXES:
        digits = OLD_PREFIXES[digits[:4]] + digits[4:]
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """'+84912345678' -> '0912 345 678' for display."""
    return phonenumbers.format_number(phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL)


def login_key(username: str) -> str:
    """One key for one account however its name is typed ('0912 345 678', '+84912345678', 'MotCua')."""
    return normalize_phone(username) or username.strip().lower()[:150]
