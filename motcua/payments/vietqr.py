"""VietQR payloads: EMVCo merchant-presented QR codes for NAPAS 247 transfers to an account.

Protocol sources: EMVCo QR Code Specification for Payment Systems, Merchant-Presented Mode (TLV layout,
CRC-16/CCITT-FALSE over the payload including the "6304" prefix, 62/08 purpose of at most 25 characters)
and the NAPAS VietQR profile (GUID A000000727 in template 38, service QRIBFTTA/QRIBFTTC), as summarised
and re-verified in shared/reference/domain.md §5.2 and shared/reference/stack.md §4 and Appendix A.
The vietqr-emvco package is deliberately not used (stack.md §4: wrong lengths, fake merchant name).

A VietQR code only pre-fills a transfer; NAPAS does not tell the payee, so payments made this way are
confirmed by reconciliation (statements.py, or a bank webhook), never by the QR itself.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

__all__ = [
    "MAX_PURPOSE",
    "NAPAS_GUID",
    "SERVICES",
    "build_payload",
    "crc16_ccitt_false",
    "fold_ascii",
    "make_qr",
    "parse_payload",
    "purpose_for",
    "qr_svg",
]

NAPAS_GUID = "A000000727"
SERVICES = ("QRIBFTTA", "QRIBFTTC")  # transfer to an account, to a card
MAX_PURPOSE = 25  # EMVCo limit for 62/08 "Purpose of Transaction"
MAX_AMOUNT_DIGITS = 13  # EMVCo limit for tag 54

_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]+")
_NOT_PURPOSE = re.compile(r"[^A-Z0-9.\- ]+")
# EMVCo templates whose value is itself a TLV list: merchant account templates, additional data,
# language template, unreserved templates.
_TEMPLATES = {f"{n:02d}" for n in (*range(26, 52), 62, 64, *range(80, 100))}


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    # Lengths count characters, which equal bytes only because every value is checked to be ASCII.
    if not value.isascii():
        raise ValueError(f"VietQR field {tag}: values must be ASCII (fold Vietnamese first): {value!r}")
    if not 1 <= len(value) <= 99:
        raise ValueError(f"VietQR field {tag}: a value must be 1 to 99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def build_payload(
    *,
    bin: str,
    account: str,
    amount: int | None,
    purpose: str | None,
    service: str = "QRIBFTTA",
    strict_purpose: bool = True,
) -> str:
    """The EMVCo payload for a transfer to `account` at the bank `bin` (6-digit NAPAS BIN).

    With an amount the code is dynamic (01 = "12", single use, amount fixed); without one it is static
    ("11") and the payer types the amount. `purpose` goes into 62/08 and must be printable ASCII of at
    most 25 characters (use `purpose_for`); `strict_purpose=False` lifts the 25-character limit only so
    that longer published vectors can be reproduced — bank apps may cut or refuse such a purpose.
    """
    if not isinstance(bin, str) or not _BIN.fullmatch(bin):
        raise ValueError(f"VietQR bank BIN must be 6 digits, got {bin!r}")
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise ValueError(f"VietQR account must be 1 to 19 letters or digits, got {account!r}")
    if service not in SERVICES:
        raise ValueError(f"VietQR service must be one of {', '.join(SERVICES)}, got {service!r}")
    if amount is not None:
        # bool is an int subclass; True would otherwise become a 1 VND dynamic QR.
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"VietQR amount must be a whole number of VND, got {amount!r}")
        if amount <= 0:
            raise ValueError(f"VietQR amount must be positive, got {amount}")
        if len(str(amount)) > MAX_AMOUNT_DIGITS:
            raise ValueError(f"VietQR amount has more than {MAX_AMOUNT_DIGITS} digits: {amount}")
    if purpose is not None:
        if not isinstance(purpose, str) or not purpose:
            raise ValueError("VietQR purpose must be a non-empty string, or None for no purpose")
        if not _PRINTABLE_ASCII.fullmatch(purpose):
            raise ValueError(f"VietQR purpose must be printable ASCII (use purpose_for): {purpose!r}")
        if strict_purpose and len(purpose) > MAX_PURPOSE:
            raise ValueError(f"VietQR purpose is {len(purpose)} characters; EMVCo allows {MAX_PURPOSE}")

    beneficiary = _tlv("00", bin) + _tlv("01", account)
    payload = _tlv("00", "01") + _tlv("01", "11" if amount is None else "12")
    payload += _tlv("38", _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service))
    payload += _tlv("53", "704")
    if amount is not None:
        payload += _tlv("54", str(amount))
    payload += _tlv("58", "VN")
    if purpose is not None:
        payload += _tlv("62", _tlv("08", purpose))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


def fold_ascii(text: str) -> str:
    """Vietnamese text as ASCII without diacritics: 'Lệ phí Đăng ký' -> 'Le phi Dang ky'.

    đ/Đ have no decomposition in Unicode, so they are mapped by hand; other non-ASCII letters are dropped.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if ch.isascii())


def purpose_for(reference: str) -> str:
    """A 62/08 purpose carrying `reference`: ASCII upper case, at most 25 characters.

    Only letters, digits, '.', '-' and single spaces are kept: that is all a dossier code or payment
    reference needs, every bank app keeps these in the transfer memo, and they keep the QR in the compact
    alphanumeric mode. Longer text is cut at a word boundary (a long single word is cut hard) and never
    ends in a separator; keep references at most 25 characters so that they survive whole.
    """
    folded = _NOT_PURPOSE.sub(" ", fold_ascii(reference).upper())
    purpose = " ".join(folded.split())
    if len(purpose) > MAX_PURPOSE:
        cut = purpose[:MAX_PURPOSE]
        if purpose[MAX_PURPOSE] != " " and " " in cut:
            cut = cut[: cut.rindex(" ")]
        purpose = cut
    purpose = purpose.rstrip(" .-")
    if not purpose:
        raise ValueError(f"nothing in {reference!r} can go into a VietQR purpose")
    return purpose


def _parse_tlv(text: str, where: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValueError(f"VietQR {where}: malformed tag/length at position {position}: {header!r}")
        tag, length = header[:2], int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if length == 0 or len(value) != length:
            raise ValueError(f"VietQR {where}: field {tag} declares {length} characters, has {len(value)}")
        if tag in fields:
            raise ValueError(f"VietQR {where}: field {tag} appears twice")
        fields[tag] = value
        position += 4 + length
    return fields


def parse_payload(payload: str) -> dict:
    """The fields of a VietQR/EMVCo payload by tag, templates (26-51, 62, 64, 80-99) parsed as nested dicts.

    In the NAPAS template 38, sub-field 01 (bank BIN and account) is nested as well. Raises ValueError on
    malformed TLV, a missing or misplaced CRC field, or a CRC that does not match.
    """
    if not isinstance(payload, str) or not payload.isascii():
        raise ValueError("VietQR payload must be an ASCII string")
    fields = _parse_tlv(payload, "payload")
    if next(iter(fields), None) != "00" or fields["00"] != "01":
        raise ValueError("VietQR payload must start with the payload format indicator 000201")
    if list(fields)[-1] != "63" or len(fields["63"]) != 4:
        raise ValueError("VietQR payload must end with the CRC field 63 of 4 characters")
    try:
        declared = int(fields["63"], 16)
    except ValueError:
        raise ValueError(f"VietQR CRC is not hexadecimal: {fields['63']!r}") from None
    computed = crc16_ccitt_false(payload[:-4].encode("ascii"))
    if declared != computed:
        raise ValueError(f"VietQR CRC mismatch: payload says {fields['63']}, content gives {computed:04X}")

    parsed: dict = {}
    for tag, value in fields.items():
        if tag in _TEMPLATES:
            template: dict = _parse_tlv(value, f"template {tag}")
            if tag == "38" and template.get("00") == NAPAS_GUID and "01" in template:
                template["01"] = _parse_tlv(template["01"], "template 38/01")
            parsed[tag] = template
        else:
            parsed[tag] = value
    return parsed


def make_qr(payload: str) -> segno.QRCode:
    """The QR symbol for a payload: error correction M exactly (no silent boost), as tested with zbarimg."""
    import segno  # only pages that show a QR pay for the import

    return segno.make(payload, error="m", boost_error=False)


def qr_svg(payload: str) -> str:
    """The QR as a standalone SVG document (with its xmlns, no XML declaration) at 4 px per module.

    Browsers render an SVG loaded through <img src> (a URL or a data: URI) only when it declares the SVG
    namespace; the XML declaration would only get in the way of embedding it.
    """
    import io

    buffer = io.BytesIO()
    make_qr(payload).save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")
