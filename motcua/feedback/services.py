"""Feedback (phản ánh, kiến nghị) and the satisfaction rating of a delivered dossier.

Feedback: anyone sends it from `/phan-anh/`; it goes to the dossier's agency (found by the code typed, else
by the agency ID the code starts with, else the site's agency), an officer is assigned, and it must be
answered within 15 working days of its receipt (ANSWER_WITHIN). The sender is texted when it is received and
when it is answered; an answer the sender agreed to publish is shown on `/phan-anh/` with the question as an
officer rewrote it without personal details.

Rating: the lifecycle action `rate` (dossiers/actions.py), performed here for the citizen's page and the
counter tablet; the criteria are in dossiers/satisfaction.py.
"""

import logging
import re

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.phones import normalize_phone
from motcua.agencies.services import default_agency
from motcua.dossiers import lifecycle
from motcua.dossiers.files import BadFile, inspect
from motcua.dossiers.models import Dossier, Event
from motcua.notifications.services import SmsRefused, send_sms
from motcua.notifications.texts import SMS_MAX_PARTS, sms_parts
from motcua.ratelimit import too_many
from motcua.text import clean_text
from motcua.workdays import services as workdays

from .models import Feedback, Kind

__all__ = [
    "ANSWER_WITHIN",
    "BadFeedback",
    "answer",
    "assign",
    "assignable_officers",
    "can_rate",
    "flooding",
    "queue",
    "rate",
    "rating_of",
    "send_feedback",
]

log = logging.getLogger("motcua.feedback")

# Nghị định 20/2008/NĐ-CP on receiving and handling people's feedback on administrative regulations (as
# amended by Nghị định 92/2017/NĐ-CP): an item is handled within 15 working days of its receipt — the time
# Decision 766/QĐ-TTg's satisfaction group counts feedback "answered on time" against. Working days are the
# calendar's (motcua.workdays: weekends, public holidays, announced swaps).
ANSWER_WITHIN = 15
MAX_TEXT = 2000
MAX_NAME = 100
MAX_FILE = 5 * 1024 * 1024
# A dossier code as printed: <agency ID>-<yyMMdd>-<NNNN>; the agency ID alone routes a code we do not hold.
CODE = re.compile(r"^(?P<agency>[0-9A-Z.]{3,20})-\d{6}-\d{4,6}$")
# Floods: a person sends a few; a script sends many. Per phone a day, per client network an hour.
PER_PHONE_PER_DAY = 5
PER_NETWORK_PER_HOUR = 20


class BadFeedback(ValueError):
    """Bad input: `errors` maps each field to a message in Vietnamese."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def flooding(*, phone: str, network: str) -> bool:
    """Count one sending for the phone and the client's network; True once either went past its limit."""
    by_phone = too_many("feedback-phone", phone, limit=PER_PHONE_PER_DAY, window=86400)
    by_network = bool(network) and too_many(
        "feedback-network", network, limit=PER_NETWORK_PER_HOUR, window=3600
    )
    return by_phone or by_network


def _route(code: str):
    """(the dossier the code names or None, the agency that answers)."""
    from motcua.agencies.models import Agency

    if code:
        dossier = Dossier.objects.select_related("agency").filter(code=code).first()
        if dossier is not None:
            return dossier, dossier.agency
        match = CODE.match(code)
        agency = Agency.objects.filter(agency_id=match["agency"], is_active=True).first() if match else None
        if agency is not None:
            return None, agency
    return None, default_agency()


def _check_upload(upload) -> tuple[str, str, int]:
    try:
        content_type, ext, size, _sha = inspect(upload)
    except BadFile as error:
        raise BadFeedback({"file": str(error)}) from None
    if size > MAX_FILE:
        raise BadFeedback({"file": _("Tệp đính kèm tối đa 5 MB: bạn chụp lại với độ phân giải thấp hơn.")})
    return content_type, ext, size


def _clean(*, kind, text, name, phone, dossier_code) -> dict:
    errors = {}
    text = clean_text(text or "").strip()
    name = " ".join(clean_text(name or "").split())
    code = clean_text(dossier_code or "").strip().upper().replace(" ", "")
    e164 = normalize_phone(phone or "")
    if kind not in Kind.values:
        errors["kind"] = _("Chọn phản ánh hoặc kiến nghị.")
    if len(text) < 10:
        errors["text"] = _("Bạn ghi rõ nội dung phản ánh, kiến nghị (ít nhất 10 ký tự).")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Nội dung không quá %(n)s ký tự.") % {"n": f"{MAX_TEXT:,}".replace(",", ".")}
    if not name:
        errors["name"] = _("Cần ghi họ tên để cơ quan trả lời bạn.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("Họ tên không quá %(n)s ký tự.") % {"n": MAX_NAME}
    if e164 is None:
        errors["phone"] = _("Số điện thoại không đúng. Ví dụ: 0912 345 678.")
    if code and not CODE.match(code):
        errors["dossier_code"] = _(
            "Mã hồ sơ không đúng dạng. Mã in trên giấy hẹn, ví dụ 000.20.44.H54-261120-0001; không có mã thì "
            "để trống."
        )
    if errors:
        raise BadFeedback(errors)
    return {"kind": kind, "text": text, "name": name, "phone": e164, "dossier_code": code}


def send_feedback(
    *, kind: str, text: str, name: str, phone: str, dossier_code: str = "", consent: bool, upload=None
) -> tuple[Feedback, bool]:
    """Record a feedback item and text the sender that it was received (with the deadline).

    Returns (the item, whether the text was queued). BadFeedback names each bad field. Whether the code
    names a dossier is never said back: the item is routed all the same."""
    clean = _clean(kind=kind, text=text, name=name, phone=phone, dossier_code=dossier_code)
    file_info = _check_upload(upload) if upload else None
    dossier, agency = _route(clean["dossier_code"])
    if agency is None:
        raise BadFeedback({"text": _("Hệ thống chưa có cơ quan tiếp nhận phản ánh.")})
    now = timezone.now()
    item = Feedback(
        agency=agency,
        dossier=dossier,
        consent_publish=bool(consent),
        received_at=now,
        due_at=workdays.due_at(now, kind=workdays.WORKING_DAYS, value=ANSWER_WITHIN),
        public_question=clean["text"],
        **clean,
    )
    with transaction.atomic():
        if file_info:
            content_type, ext, size = file_info
            item.file_name = clean_text(str(upload.name or "")).rsplit("/", 1)[-1][:150] or f"tep.{ext}"
            item.file_type, item.file_size = content_type, size
            upload.name = f"tep.{ext}"
            item.file.save(upload.name, upload, save=False)
        try:
            item.save()
        except BaseException:
            if item.file:
                item.file.delete(save=False)
            raise
    texted = _text(item, received_text(item), key=f"feedback:{item.pk}:received")
    return item, texted


def received_text(item: Feedback) -> str:
    return _("Đã nhận phản ánh %(number)s của ông/bà. Hạn trả lời: %(due)s. Cảm ơn ông/bà đã góp ý.") % {
        "number": item.number,
        "due": timezone.localtime(item.due_at).strftime("%d/%m/%Y"),
    }


def answered_text(item: Feedback, *, site: str) -> str:
    """The answer's notice: with the link to read it when that fits two parts, else where to ask."""
    link = f"{site}/phan-anh/xem/{item.key}/"
    text = _("Phản ánh %(number)s đã có trả lời, xem tại: %(link)s") % {"number": item.number, "link": link}
    if site and sms_parts(text) <= SMS_MAX_PARTS:
        return text
    return _("Phản ánh %(number)s đã có trả lời. Ông/bà hỏi bộ phận một cửa để nhận câu trả lời.") % {
        "number": item.number
    }


def _text(item: Feedback, text: str, *, key: str) -> bool:
    try:
        send_sms(item.phone, text, agency=item.agency, kind="feedback", key=key)
    except (SmsRefused, ValueError) as refused:
        log.warning("Feedback %s: no text (%s)", item.pk, refused)
        return False
    return True


def queue(agency) -> QuerySet[Feedback]:
    """The agency's feedback: unanswered first, nearest deadline first; then the answered, newest first."""
    return (
        Feedback.objects.filter(agency=agency)
        .select_related("assigned_to", "dossier")
        .annotate(
            done=Case(
                When(answered_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("done", "due_at", "-answered_at", "pk")
    )


def assignable_officers(agency):
    """Who an item may be given to: the agency's desk, specialists and leaders."""
    from motcua.agencies.models import Officer

    return (
        Officer.objects.filter(agency=agency, user__groups__name__in=["onestop", "specialist", "leader"])
        .select_related("user")
        .distinct()
        .order_by("user__first_name", "user__last_name", "pk")
    )


def assign(item: Feedback, *, user_id, by) -> Feedback:
    officer = assignable_officers(item.agency).filter(user_id=user_id).first()
    if officer is None:
        raise BadFeedback({"assignee": _("Chọn một cán bộ của cơ quan.")})
    Feedback.objects.filter(pk=item.pk).update(assigned_to=officer.user)
    item.assigned_to = officer.user
    return item


def answer(item: Feedback, *, by, text: str, public_question: str, publish: bool, site: str) -> Feedback:
    """Record the answer (once), publish it if the sender agreed and the officer chose to, text the sender."""
    errors = {}
    text = clean_text(text or "").strip()
    question = clean_text(public_question or "").strip()
    publish = bool(publish) and item.consent_publish
    if item.answered_at is not None:
        errors["answer"] = _("Phản ánh này đã được trả lời.")
    elif len(text) < 10:
        errors["answer"] = _("Ghi câu trả lời (ít nhất 10 ký tự).")
    elif len(text) > 5000:
        errors["answer"] = _("Câu trả lời không quá 5.000 ký tự.")
    if publish and len(question) < 10:
        errors["public_question"] = _("Ghi câu hỏi để công khai, đã bỏ họ tên, số điện thoại, địa chỉ.")
    elif len(question) > MAX_TEXT:
        errors["public_question"] = _("Câu hỏi công khai không quá 2.000 ký tự.")
    if errors:
        raise BadFeedback(errors)
    now = timezone.now()
    with transaction.atomic():
        updated = Feedback.objects.filter(pk=item.pk, answered_at__isnull=True).update(
            answer=text,
            answered_at=now,
            answered_by=by,
            public_question=question or item.public_question,
            published=publish,
            assigned_to=item.assigned_to or by,
        )
        if not updated:  # answered a moment ago by someone else
            raise BadFeedback({"answer": _("Phản ánh này đã được trả lời.")})
    item.refresh_from_db()
    _text(
        item,
        answered_text(item, site=site or getattr(settings, "SITE_URL", "")),
        key=f"feedback:{item.pk}:answered",
    )
    return item


# --- the rating --------------------------------------------------------------------------------------------


def rating_of(dossier) -> Event | None:
    """The dossier's rating event, if it was rated."""
    return Event.objects.filter(dossier=dossier, action="rate").first()


def can_rate(dossier, user) -> bool:
    return lifecycle.may(dossier, user, "rate")


def rate(dossier, *, by, score, criteria: dict, comment: str = "") -> Dossier:
    """Perform `rate` (NotAllowed once rated or not delivered, Forbidden for anyone but its citizen or the
    desk, Invalid naming a bad field)."""
    return lifecycle.perform(
        dossier, "rate", by=by, note=comment, data={"score": score, "criteria": criteria}
    )
