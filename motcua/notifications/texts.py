"""What the citizen reads: one short SMS and one longer text (in-app, email) per dossier event.

SMS with Vietnamese diacritics is sent as UCS-2: 70 characters in one part, 67 per part once split. Every
SMS here must fit two parts (134 characters), so the one free-text value of a template (the reason, the
list of papers) is shortened with "…" when it would not fit; the full text is in the account.
Text is NFC: a decomposed "ệ" is three UTF-16 units and would triple the cost of a message.
"""

import math
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.dossiers.actions import (
    ACTIONS,
    PAYMENT_METHODS,
    REFUND_METHODS,
    RESULT_METHODS,
    Notice,
    describe_changes,
)
from motcua.text import format_vnd
from motcua.workdays.services import describe_due

__all__ = ["SMS_MAX_PARTS", "Rendered", "fit_sms", "render_event", "sms_parts"]

SMS_MAX_PARTS = 2

# GSM 03.38: the default alphabet, and the extension table whose characters take two septets.
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def sms_parts(text: str) -> int:
    """How many SMS parts `text` costs: GSM-7 (160, or 153 per part) or UCS-2 (70, or 67 per part)."""
    if all(ch in _GSM or ch in _GSM_EXTENDED for ch in text):
        septets = sum(2 if ch in _GSM_EXTENDED else 1 for ch in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fit_sms(pattern: str, params: dict, *, elastic: str | None = None) -> str:
    """`pattern % params`, with `params[elastic]` cut short (ending in "…") until it fits two parts."""
    text = nfc(pattern % params)
    if elastic is None or sms_parts(text) <= SMS_MAX_PARTS:
        return text
    value = nfc(str(params[elastic]))
    # Whole words first (a word cut in half reads as a different word), then characters.
    cuts = [i for i in range(len(value) - 1, 0, -1) if value[i] == " "] + list(range(len(value) - 1, -1, -1))
    for end in cuts:
        shorter = value[:end].rstrip(" ,;.") + "…"
        text = nfc(pattern % {**params, elastic: shorter}).replace("….", "…")
        if sms_parts(text) <= SMS_MAX_PARTS:
            return text
    return text  # the fixed words alone are too long: a test guards every template against this


@dataclass(frozen=True)
class Rendered:
    kind: str
    sms: str | None  # None: told in the account only (the citizen's own action, an internal step)
    long: str
    subject: str
    data: dict = field(default_factory=dict)


def _reason(note: str) -> str:
    return " ".join(note.split()).rstrip(" .;")


def _context(event) -> dict:
    dossier = event.dossier
    amount = event.data.get("amount_vnd") or dossier.fee_vnd
    method = RESULT_METHODS.get(event.data.get("method") or dossier.result_method, "")
    return {
        "code": dossier.code,
        "name": dossier.applicant_name,
        "procedure": dossier.procedure.name,
        "fee": dossier.procedure.fee_word,  # "phí" (certification), "lệ phí", or both
        "agency": dossier.agency.name,
        "address": dossier.agency.address,
        # Where and when a result is collected: short by construction, so never cut (agencies.models).
        "place": dossier.agency.collect_place,
        "hours": dossier.agency.collect_hours,
        # The date this event promised, even if the dossier's due date moved again before we got here.
        "due": describe_due(event.due_at) if event.due_at else "",
        "amount": format_vnd(int(amount)) if amount else "",
        "items": "; ".join(str(i) for i in event.data.get("items") or []),
        "reason": _reason(event.note),
        "method": str(method),
        "paid_by": str(PAYMENT_METHODS.get(event.data.get("payment_method", ""), "")),
        "refund_by": str(REFUND_METHODS.get(event.data.get("refund_method", ""), "")),
        "reference": event.data.get("refund_reference", ""),
        "status": str(event.get_to_status_display()),
        "at": timezone.localtime(event.at).strftime("%H:%M %d/%m/%Y"),
        # A declaration corrected at the desk: the new values (SMS), and each old value with its new one.
        "changes": describe_changes(event.data.get("changes"), with_old=False),
        "corrections": describe_changes(event.data.get("changes"), with_old=True),
    }


def _texts(notice: Notice, c: dict) -> tuple[str | None, str]:
    """(SMS or None, long text) of a notice, in the current language."""
    sms = notice.sms_undated if notice.sms_undated is not None and not c["due"] else notice.sms
    short = fit_sms(str(sms), c, elastic=notice.elastic) if sms is not None else None
    long = str(notice.long) % c
    if notice.with_due and c["due"]:
        long += " " + _("Hẹn trả kết quả: %(due)s.") % c
    return short, long


ZNS_FIELDS = ("code", "name", "status", "due", "amount", "items", "reason")


def render_event(event) -> Rendered | None:
    """The texts for a citizen-visible dossier event: Vietnamese, whatever the current request's language."""
    action = ACTIONS.get(event.action)
    if action is None or action.notice is None:
        return None
    notice = action.notice.for_data(event.data)
    if notice.online is not None and event.data.get("result_file"):
        notice = notice.online  # the result came as a file: the text says where to download it
    with translation.override("vi"):
        context = _context(event)
        sms, long = _texts(notice, context)
        subject = _("Hồ sơ %(code)s: %(what)s") % {"code": context["code"], "what": event.label}
    return Rendered(
        kind=notice.kind,
        sms=sms,
        long=nfc(long),
        subject=nfc(subject),
        data={k: context[k] for k in ZNS_FIELDS if context[k]},
    )
