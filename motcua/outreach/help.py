"""Help on request: someone who cannot manage alone asks on /ho-tro/ (no account), and the desk or the
community digital team answers — picks the request up (the person gets a text), calls back, visits, files
for them at the counter or with their consent (the existing assisted filing), and closes it with an
outcome. Each step is a line of the request's history.

The queue: requests of poor households, old people and people with disabilities first, then the oldest.
A request must be picked up within one working day of the commune's calendar (`pick_up_deadline`), else
it is shown late. A request from a village that a team member covers goes to that member; any other waits
for the desk. A member of the team sees only the requests given to them (`motcua.policy.own_work_only`).

Scripts are held back: more than `PER_PHONE` requests for one phone, or `PER_ADDRESS` from one client
address, in an hour are refused (`TooMany`, HTTP 429).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua import policy
from motcua.accounts.phones import national
from motcua.dossiers.services import dossier_for
from motcua.notifications.services import SmsRefused, send_sms
from motcua.notifications.texts import fit_sms
from motcua.ratelimit import retry_after, too_many
from motcua.workdays.services import WORKING_DAYS, due_at

from .models import Entry, HelpRequest, HelpState, Outcome, Village
from .team import is_member, member_of, members

__all__ = [
    "PER_ADDRESS",
    "PER_PHONE",
    "HelpRefused",
    "TooMany",
    "ask",
    "assign",
    "close",
    "is_late",
    "limit",
    "pick_up",
    "pick_up_deadline",
    "pickup_text",
    "queue",
    "record",
    "request_for",
]

PER_PHONE = 3  # requests for one phone number in an hour
PER_ADDRESS = 5  # requests from one client address in an hour (a village meeting shares one hotspot)
WINDOW = 3600
SMS_KIND = "help"
Kind = Entry.Kind
RECORDED = (Kind.CALL, Kind.VISIT, Kind.FILED, Kind.NOTE)


class HelpRefused(Exception):
    """A step the rules refuse; the message says why, in words an officer reads."""


class TooMany(Exception):
    """Too many requests for one phone or from one address: HTTP 429, come back in `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(
            _(
                "Bạn đã gửi nhiều yêu cầu trong một giờ. Cán bộ sẽ liên hệ theo yêu cầu đã gửi; nếu cần gửi "
                "thêm, bạn hãy thử lại sau khoảng %(minutes)d phút, hoặc gọi bộ phận một cửa của xã."
            )
            % {"minutes": max(1, -(-retry_after // 60))}
        )
        self.retry_after = retry_after


def limit(*, phone: str, address: str) -> None:
    """Count one request for `phone` (E.164) and from `address`; raise `TooMany` past either limit."""
    for scope, key, most in (("help-address", address, PER_ADDRESS), ("help-phone", phone, PER_PHONE)):
        if too_many(scope, key, limit=most, window=WINDOW):
            raise TooMany(retry_after(scope, key, window=WINDOW))


def pick_up_deadline(sent_at: dt.datetime) -> dt.datetime:
    """A request must be picked up within one working day: by 17:00 of the working day after the one it
    was sent on (sent on a day off, it counts from the next working day), as the workdays calendar says."""
    return due_at(sent_at, kind=WORKING_DAYS, value=1)


def is_late(request: HelpRequest, *, now: dt.datetime | None = None) -> bool:
    return request.state == HelpState.NEW and (now or timezone.now()) > request.pick_up_by


# --- asking -------------------------------------------------------------------------------------------------


def ask(
    agency,
    *,
    name: str,
    phone: str,
    phone_owner: str = "",
    village: Village | None = None,
    procedure_code: str = "",
    need: str = "",
    priority: bool = False,
) -> HelpRequest:
    """Store one help request (text already cleaned and NFC by the form), given to the member who covers
    its village, if any. `phone` is E.164."""
    if village is not None and village.agency_id != agency.pk:
        raise HelpRefused(_("Thôn này không thuộc xã."))
    with transaction.atomic():
        request = HelpRequest(
            agency=agency,
            name=name,
            phone=phone,
            phone_owner=phone_owner,
            village=village,
            procedure_code=procedure_code,
            need=need,
            priority=priority,
        )
        request.pick_up_by = pick_up_deadline(timezone.now())
        request.assigned_to = member_of(village) if village is not None else None
        request.save()
        Entry.objects.create(request=request, kind=Kind.SENT)
        if request.assigned_to is not None:
            Entry.objects.create(request=request, kind=Kind.ASSIGNED, member=request.assigned_to)
    return request


# --- who sees what ------------------------------------------------------------------------------------------


def queue(user, *, closed: bool = False, late_only: bool = False, now: dt.datetime | None = None) -> QuerySet:
    """The help requests `user` sees: their agency's, a team member only those given to them. Open ones:
    priority first, then the oldest; closed ones: the latest closed first."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return HelpRequest.objects.none()
    requests = HelpRequest.objects.filter(agency_id=officer.agency_id)
    if policy.own_work_only(officer.roles):
        requests = requests.filter(assigned_to=user)
    requests = requests.select_related("village", "assigned_to").annotate(
        late=Case(
            When(Q(state=HelpState.NEW, pick_up_by__lt=now or timezone.now()), then=Value(True)),
            default=Value(False),
        )
    )
    if closed:
        return requests.filter(state=HelpState.CLOSED).order_by("-closed_at", "-pk")
    requests = requests.exclude(state=HelpState.CLOSED)
    if late_only:
        requests = requests.filter(late=True)
    return requests.order_by("-priority", "created_at", "pk")


def request_for(user, pk: int) -> HelpRequest | None:
    """One request `user` may see, or None — the caller answers 404 either way (another member's request
    and another commune's are as unknown as a wrong number)."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return None
    requests = HelpRequest.objects.select_related("village", "assigned_to", "agency").filter(
        pk=pk, agency_id=officer.agency_id
    )
    if policy.own_work_only(officer.roles):
        requests = requests.filter(assigned_to=user)
    return requests.first()


# --- answering ----------------------------------------------------------------------------------------------


def _locked(request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().get(pk=request.pk)


def assign(request: HelpRequest, *, member, by) -> HelpRequest:
    """Give a request to a member of the agency's community digital team."""
    if not is_member(member, request.agency):
        raise HelpRefused(_("Người này không phải thành viên Tổ công nghệ số cộng đồng của xã."))
    with transaction.atomic():
        request = _locked(request)
        if request.state == HelpState.CLOSED:
            raise HelpRefused(_("Yêu cầu này đã kết thúc."))
        if request.assigned_to_id == member.pk:
            return request
        request.assigned_to = member
        request.save(update_fields=["assigned_to"])
        Entry.objects.create(request=request, kind=Kind.ASSIGNED, by=by, member=member)
    return request


def pickup_text(officer_name: str, agency_phone: str) -> str:
    """The text the person gets when someone picks their request up: at most two SMS parts."""
    with translation.override("vi"):
        params = {"officer": officer_name, "phone": agency_phone}
        if agency_phone:
            pattern = _(
                "Cán bộ %(officer)s đã nhận yêu cầu hỗ trợ của bạn và sẽ liên hệ sớm. Cần gấp, gọi %(phone)s."
            )
        else:
            pattern = _("Cán bộ %(officer)s đã nhận yêu cầu hỗ trợ của bạn và sẽ liên hệ sớm.")
        return fit_sms(pattern, params, elastic="officer")


def pick_up(request: HelpRequest, *, by) -> tuple[HelpRequest, str]:
    """Someone takes the request on: it is theirs now, and the person is texted on the phone they gave
    (within the agency's SMS budget and the phone's hourly throttle). Returns the request and, when no
    text could be sent, why (the pick-up stands: the officer calls instead)."""
    with transaction.atomic():
        request = _locked(request)
        if request.state != HelpState.NEW:
            raise HelpRefused(_("Yêu cầu này đã có người nhận."))
        request.state, request.picked_at = HelpState.PICKED, timezone.now()
        request.assigned_to = by
        request.save(update_fields=["state", "picked_at", "assigned_to"])
        Entry.objects.create(request=request, kind=Kind.PICKED, by=by)
        text = pickup_text(by.full_name or by.username, request.agency.phone)
        problem = ""
        try:
            with transaction.atomic():
                send_sms(request.phone, text, agency=request.agency, kind=SMS_KIND, key=f"help:{request.pk}")
        except SmsRefused as refused:
            problem = str(refused)
            Entry.objects.create(
                request=request,
                kind=Kind.NOTE,
                by=by,
                note=_("Chưa nhắn tin được: %(why)s") % {"why": problem},
            )
    return request, problem


def record(request: HelpRequest, *, by, kind: str, note: str = "", dossier_code: str = "") -> Entry:
    """A call back, a visit, a filing on behalf (the dossier's code, one `by` may see) or a note."""
    if kind not in RECORDED:
        raise HelpRefused(_("Không rõ việc cần ghi."))
    dossier_code = dossier_code.strip().upper()
    if kind == Kind.FILED:
        if not dossier_code:
            raise HelpRefused(_("Ghi mã hồ sơ đã nộp giúp."))
        if dossier_for(by, dossier_code) is None:
            raise HelpRefused(
                _("Không tìm thấy hồ sơ %(code)s trong các hồ sơ bạn xem được.") % {"code": dossier_code}
            )
    elif dossier_code:
        raise HelpRefused(_("Chỉ ghi mã hồ sơ khi nộp hồ sơ giúp."))
    if kind == Kind.NOTE and not note:
        raise HelpRefused(_("Ghi chú đang để trống."))
    with transaction.atomic():
        request = _locked(request)
        if request.state == HelpState.NEW:
            raise HelpRefused(_("Nhận yêu cầu trước, rồi ghi lại việc đã làm."))
        if request.state == HelpState.CLOSED:
            raise HelpRefused(_("Yêu cầu này đã kết thúc."))
        return Entry.objects.create(request=request, kind=kind, by=by, note=note, dossier_code=dossier_code)


def close(request: HelpRequest, *, by, outcome: str, note: str = "") -> HelpRequest:
    """End a request with its outcome."""
    if outcome not in Outcome.values:
        raise HelpRefused(_("Chọn kết quả hỗ trợ."))
    with transaction.atomic():
        request = _locked(request)
        if request.state == HelpState.CLOSED:
            raise HelpRefused(_("Yêu cầu này đã kết thúc."))
        if outcome == Outcome.FILED and not request.entries.filter(kind=Kind.FILED).exists():
            raise HelpRefused(_("Ghi mã hồ sơ đã nộp giúp trước khi kết thúc với kết quả này."))
        request.state, request.closed_at, request.outcome = HelpState.CLOSED, timezone.now(), outcome
        if request.assigned_to_id is None:
            request.assigned_to = by
        request.save(update_fields=["state", "closed_at", "outcome", "assigned_to"])
        Entry.objects.create(request=request, kind=Kind.CLOSED, by=by, note=note)
    return request


def shown_phone(request: HelpRequest) -> str:
    return national(request.phone)


def assignable(agency):
    return members(agency)
