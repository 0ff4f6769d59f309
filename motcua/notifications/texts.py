"""What the citizen reads: one short SMS and one longer text (in-app, email) per dossier event.

SMS with Vietnamese diacritics is sent as UCS-2: 70 characters in one part, 67 per part once split. Every
SMS here must fit two parts (134 characters), so the one free-text value of a template (the reason, the
list of papers) is shortened with "…" when it would not fit; the full text is in the account.
Text is NFC: a decomposed "ệ" is three UTF-16 units and would triple the cost of a message.
"""

import datetime as dt
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

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


def _describe_due(moment) -> str:
    from motcua.workdays.services import describe_due

    return describe_due(moment) if moment else ""


def _reason(note: str) -> str:
    return " ".join(note.split()).rstrip(" .;")


def _context(event) -> dict:
    from motcua.catalog.text import format_vnd
    from motcua.dossiers.lifecycle import RESULT_METHODS

    dossier = event.dossier
    due = dossier.due_at
    if event.action == "extend" and event.data.get("new_due_date"):
        # The date this event set, even if the dossier's due date moved again before we got here.
        day = dt.date.fromisoformat(event.data["new_due_date"])
        time_of_day = timezone.localtime(due).timetz() if due else dt.time(17, 0)
        due = dt.datetime.combine(day, time_of_day)
        if timezone.is_naive(due):
            due = timezone.make_aware(due)
    amount = event.data.get("amount_vnd") or dossier.fee_vnd
    method = RESULT_METHODS.get(event.data.get("method") or dossier.result_method, "")
    return {
        "code": dossier.code,
        "name": dossier.applicant_name,
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "address": dossier.agency.address,
        "due": _describe_due(due),
        "amount": format_vnd(int(amount)) if amount else "",
        "items": "; ".join(str(i) for i in event.data.get("items") or []),
        "reason": _reason(event.note),
        "method": str(method),
        "status": str(event.get_to_status_display()),
        "at": timezone.localtime(event.at).strftime("%H:%M %d/%m/%Y"),
    }


def _with_due(text: str, c: dict) -> str:
    return text + (" " + _("Hẹn trả kết quả: %(due)s.") % c if c["due"] else "")


# One function per action: (SMS or None, long text). Patterns use %(name)s so translators see whole sentences.
def _submitted(c):
    sms = fit_sms(
        _("Đã nộp hồ sơ %(code)s. Ông/bà dùng mã này để tra cứu. Sẽ có tin báo khi hồ sơ được tiếp nhận."), c
    )
    long = _(
        "Hồ sơ %(code)s (%(procedure)s) đã được nộp đến %(agency)s lúc %(at)s. Mã hồ sơ dùng để tra cứu. "
        "Ông/bà sẽ nhận thông báo khi bộ phận một cửa tiếp nhận hồ sơ."
    )
    return sms, long % c


def _received(c):
    sms = fit_sms(_("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s."), c)
    return sms, _with_due(_("Hồ sơ %(code)s (%(procedure)s) đã được %(agency)s tiếp nhận.") % c, c)


def _refused(c):
    sms = fit_sms(_("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s."), c, elastic="reason")
    long = _(
        "Hồ sơ %(code)s (%(procedure)s) không được tiếp nhận. Lý do: %(reason)s. Ông/bà có thể hoàn thiện "
        "và nộp lại, hoặc liên hệ bộ phận một cửa %(agency)s để được hướng dẫn."
    )
    return sms, long % c


def _supplement_requested(c):
    sms = fit_sms(
        _("Hồ sơ %(code)s cần bổ sung: %(items)s. Nộp bổ sung trực tuyến hoặc tại bộ phận một cửa."),
        c,
        elastic="items",
    )
    long = _(
        "Hồ sơ %(code)s cần bổ sung giấy tờ: %(items)s. Lý do: %(reason)s. Ông/bà nộp bổ sung trực tuyến "
        "trên trang hồ sơ hoặc tại bộ phận một cửa; thời hạn giải quyết tạm dừng trong khi chờ bổ sung."
    )
    return sms, long % c


def _supplemented(c):
    return None, _with_due(
        _("Đã nhận giấy tờ bổ sung của hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết.") % c, c
    )


def _forwarded(c):
    return None, _("Hồ sơ %(code)s đã được chuyển đến chuyên viên giải quyết.") % c


def _payment_requested(c):
    sms = fit_sms(
        _(
            "Hồ sơ %(code)s cần nộp %(amount)s. Nộp qua ứng dụng ngân hàng (quét mã VietQR) hoặc tại bộ "
            "phận một cửa."
        ),
        c,
    )
    long = _(
        "Hồ sơ %(code)s cần nộp phí, lệ phí %(amount)s. Cách nộp: quét mã VietQR trên trang hồ sơ bằng "
        "ứng dụng của bất kỳ ngân hàng nào, hoặc nộp tiền mặt tại bộ phận một cửa %(agency)s. "
        "Thời hạn giải quyết tạm dừng đến khi nộp xong."
    )
    return sms, long % c


def _paid(c):
    if c["due"]:
        sms = fit_sms(_("Đã nhận %(amount)s cho hồ sơ %(code)s. Hẹn trả kết quả: %(due)s."), c)
    else:
        sms = fit_sms(_("Đã nhận %(amount)s cho hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết."), c)
    long = _("Đã nhận %(amount)s phí, lệ phí của hồ sơ %(code)s. Hồ sơ tiếp tục được giải quyết.") % c
    return sms, _with_due(long, c)


def _approved(c):
    sms = fit_sms(
        _("Hồ sơ %(code)s đã giải quyết xong, kết quả đã sẵn sàng. Nhận tại bộ phận một cửa, %(address)s."),
        c,
        elastic="address",
    )
    long = _(
        "Hồ sơ %(code)s (%(procedure)s) đã giải quyết xong; kết quả đã sẵn sàng. Ông/bà nhận kết quả tại "
        "bộ phận một cửa %(agency)s, %(address)s, nhớ mang theo giấy tờ tùy thân."
    )
    return sms, long % c


def _stopped(c):
    sms = fit_sms(_("Hồ sơ %(code)s bị dừng xử lý. Lý do: %(reason)s."), c, elastic="reason")
    long = _(
        "Hồ sơ %(code)s (%(procedure)s) bị dừng xử lý. Lý do: %(reason)s. Ông/bà liên hệ bộ phận một cửa "
        "%(agency)s nếu cần được hướng dẫn."
    )
    return sms, long % c


def _withdrawn(c):
    # Sent by SMS although the citizen did it: if someone else did it from their account, they must know.
    sms = fit_sms(
        _("Hồ sơ %(code)s đã được rút theo yêu cầu. Nếu ông/bà không yêu cầu, xin báo ngay bộ phận một cửa."),
        c,
    )
    long = _(
        "Hồ sơ %(code)s đã được rút theo yêu cầu của ông/bà. Nếu ông/bà không yêu cầu rút hồ sơ, xin báo "
        "ngay cho bộ phận một cửa %(agency)s."
    )
    return sms, long % c


def _extended(c):
    sms = fit_sms(_("Xin lỗi ông/bà, hồ sơ %(code)s chưa xong đúng hẹn. Hẹn trả mới: %(due)s."), c)
    long = _(
        "Chúng tôi xin lỗi ông/bà: hồ sơ %(code)s không giải quyết được đúng hẹn. Lý do: %(reason)s. "
        "Ngày hẹn trả mới: %(due)s."
    )
    return sms, long % c


def _delivered(c):
    sms = fit_sms(_("Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công."), c)
    return sms, _("Hồ sơ %(code)s đã trả kết quả %(method)s. Cảm ơn ông/bà đã sử dụng dịch vụ công.") % c


TEMPLATES: dict[str, tuple[str, Callable[[dict], tuple[str | None, str]]]] = {
    "submit": ("dossier.submitted", _submitted),
    "receive": ("dossier.received", _received),
    "refuse": ("dossier.refused", _refused),
    "request_supplement": ("dossier.supplement_requested", _supplement_requested),
    "supplement": ("dossier.supplemented", _supplemented),
    "forward": ("dossier.forwarded", _forwarded),
    "request_payment": ("dossier.payment_requested", _payment_requested),
    "confirm_payment": ("dossier.paid", _paid),
    "approve": ("dossier.approved", _approved),
    "stop": ("dossier.stopped", _stopped),
    "withdraw": ("dossier.withdrawn", _withdrawn),
    "extend": ("dossier.extended", _extended),
    "deliver_result": ("dossier.delivered", _delivered),
}
ZNS_FIELDS = ("code", "name", "status", "due", "amount", "items", "reason")


def render_event(event) -> Rendered | None:
    """The texts for a citizen-visible dossier event: Vietnamese, whatever the current request's language."""
    if event.action not in TEMPLATES:
        return None
    kind, template = TEMPLATES[event.action]
    with translation.override("vi"):
        context = _context(event)
        sms, long = template(context)
        subject = _("Hồ sơ %(code)s: %(what)s") % {"code": context["code"], "what": event.label}
    return Rendered(
        kind=kind,
        sms=sms,
        long=nfc(long),
        subject=nfc(subject),
        data={k: context[k] for k in ZNS_FIELDS if context[k]},
    )
