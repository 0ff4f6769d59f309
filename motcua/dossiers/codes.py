"""What a paper receipt carries, and how it is read back: the dossier code as people type it, the signed
token of the receipt's QR code, and the claim code printed for a person who has no phone.

- The QR token is the dossier code signed with Django's signer (HMAC-SHA256, salted; SECRET_KEY, then
  each of SECRET_KEY_FALLBACKS, so a key is rotated by moving it to the fallbacks). Its signature is cut to
  16 base-32 characters (80 bits; guessing one online is hopeless, and lookups are rate-limited), and code
  and signature use only characters of the QR alphanumeric mode, so the receipt's QR code stays as small
  as the old one that carried the bare code (version 5-M for a 43-character site address). It opens the
  dossier's public status, which names no person; it never expires, as paper does not.
- A claim code is 8 characters of Crockford's base 32 (no I, L, O, U; typed O, I, L are read as 0, 1, 1),
  random, about 40 bits. Only its keyed hash is stored: the desk sees it once, on the page and the receipt
  printed right after issuing it (a signed cookie in the officer's browser carries it for 30 minutes, so
  the server never keeps it in clear); a lost one is re-issued, which makes the old one useless.
"""

import base64
import hmac
import re
import secrets
import unicodedata

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

__all__ = [
    "CLAIM_COOKIE",
    "CODE_PATTERN",
    "claim_code_hash",
    "claim_code_matches",
    "claim_code_to_print",
    "code_from_token",
    "code_in_token",
    "format_claim_code",
    "keep_claim_code_for_printing",
    "lookup_token",
    "new_claim_code",
    "normalize_claim_code",
    "normalize_code",
]

CODE_PATTERN = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4,}$")  # <agency ID>-<yyMMdd>-<NNNN>
CODE_PARTS = re.compile(r"^(\d{3})(\d{2})(\d{2})([A-Z]\d{2})(\d{6})(\d{4,7})$")
# Every dash a phone keyboard or a word processor may put in place of "-".
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")

QR_SALT = "motcua.dossiers.lookup-token"
QR_SEP = "."
SIGNATURE_LENGTH = 16  # base-32 characters: 80 bits
MAX_TOKEN = 80

CLAIM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
CLAIM_LENGTH = 8
CLAIM_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
CLAIM_SALT = "motcua.dossiers.claim-code"
CLAIM_COOKIE = "ma-nhan"
CLAIM_PRINT_WINDOW = 30 * 60  # seconds the issuing officer's browser keeps a new claim code for printing


# --- the dossier code as typed ----------------------------------------------------------------------------


def normalize_code(text: str) -> str:
    """A dossier code as people type it back from paper, in its one written form.

    Case, spaces (the no-break space too), full-width characters and any kind of dash or dot between the
    parts do not matter: "000 20 44 h54 – 261120 – 0001" is 000.20.44.H54-261120-0001. A text that is not
    a code of that form comes back upper-cased, without spaces, its dashes made "-"."""
    text = unicodedata.normalize("NFKC", str(text or "")[:80]).upper().translate(DASHES)
    compact = "".join(ch for ch in text if ch.isascii() and ch.isalnum())
    if match := CODE_PARTS.match(compact):
        office, province, district, unit, day, number = match.groups()
        return f"{office}.{province}.{district}.{unit}-{day}-{number}"
    return "".join(text.split())[:40]


# --- the QR token -----------------------------------------------------------------------------------------


class _TokenSigner(signing.Signer):
    """Django's signer with a short signature in upper-case base 32, which a QR code holds in its compact
    alphanumeric mode. Checking still tries SECRET_KEY and then every key of SECRET_KEY_FALLBACKS."""

    def signature(self, value, key=None):
        digest = salted_hmac(self.salt + "signer", value, key or self.key, algorithm="sha256").digest()
        return base64.b32encode(digest).decode()[:SIGNATURE_LENGTH]


def _signer() -> signing.Signer:
    return _TokenSigner(salt=QR_SALT, sep=QR_SEP)


def lookup_token(code: str) -> str:
    """The token of the receipt's QR code: '000.20.44.H54-261120-0001.ABCDEFGHIJKLMNOP'."""
    return _signer().sign(code)


def code_from_token(token: str) -> str | None:
    """The dossier code a token was signed for; None for a token that was not signed by us or was altered."""
    token = "".join(str(token or "").split()).upper()
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        return _signer().unsign(token)
    except signing.BadSignature:
        return None


def code_in_token(token: str) -> str:
    """The code part of a token, signed or not: enough to fill in the typed lookup form after a bad scan."""
    head = str(token or "")[:MAX_TOKEN].rsplit(QR_SEP, 1)[0]
    code = normalize_code(head)
    return code if CODE_PATTERN.match(code) else ""


# --- the claim code ---------------------------------------------------------------------------------------


def new_claim_code() -> str:
    return "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))


def format_claim_code(claim_code: str) -> str:
    """As printed and shown: two groups of four, 'K7M2-9QXD'."""
    return f"{claim_code[:4]}-{claim_code[4:]}"


def normalize_claim_code(text: str) -> str:
    """A claim code as typed (any case, spaces or dashes, O for 0, I or L for 1); '' when it cannot be one."""
    text = unicodedata.normalize("NFKC", str(text or "")[:40]).upper().translate(CLAIM_LOOKALIKES)
    compact = "".join(ch for ch in text if ch.isascii() and ch.isalnum())
    if len(compact) != CLAIM_LENGTH or any(ch not in CLAIM_ALPHABET for ch in compact):
        return ""
    return compact


def claim_code_hash(code: str, claim_code: str, *, key: str | None = None) -> str:
    """The keyed hash stored for the claim code of dossier `code` (a stolen table alone gives nothing)."""
    secret = key or settings.SECRET_KEY
    return salted_hmac(CLAIM_SALT, f"{code}:{claim_code}", secret, algorithm="sha256").hexdigest()


def claim_code_matches(code: str, typed: str, stored: str) -> bool:
    claim_code = normalize_claim_code(typed)
    if not (stored and claim_code):
        return False
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(stored, claim_code_hash(code, claim_code, key=key)) for key in keys)


# --- the new claim code, from the page that issued it to the receipt printed next ------------------------


def keep_claim_code_for_printing(response, dossier) -> None:
    """After an action issued a claim code (`dossier.issued_claim_code`), let the officer's browser carry it
    to the dossier page and the receipt for half an hour: signed, in a cookie, never stored on the server."""
    claim_code = getattr(dossier, "issued_claim_code", "")
    if not claim_code:
        return
    response.set_signed_cookie(
        CLAIM_COOKIE,
        f"{dossier.code} {claim_code}",
        salt=CLAIM_SALT,
        max_age=CLAIM_PRINT_WINDOW,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def claim_code_to_print(request, dossier) -> str:
    """The claim code this browser was given for `dossier` less than half an hour ago, while it is still the
    dossier's (not re-issued since by someone else); else ''."""
    value = request.get_signed_cookie(CLAIM_COOKIE, default="", salt=CLAIM_SALT, max_age=CLAIM_PRINT_WINDOW)
    kept_code, _sep, claim_code = value.partition(" ")
    if kept_code != dossier.code or not claim_code_matches(dossier.code, claim_code, dossier.claim_code_hash):
        return ""
    return claim_code
