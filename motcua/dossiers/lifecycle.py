"""The dossier lifecycle: one table of transitions and one function that performs them.

Every status change in motcua goes through `perform`. Its side effects, in order:
1. locks the dossier row (SELECT ... FOR UPDATE) so that two officers acting at once cannot both win;
2. checks the guard: the action is allowed from the current status (and sub-state) for the actor's role,
   the dossier belongs to the actor (citizen) or to the actor's agency (officer), and a required reason
   or field is present — otherwise `NotAllowed` (HTTP 409) or `Invalid` (HTTP 422), nothing changed;
3. applies the action's own effect (dates, due date, pause and resume of the clock, supplement request);
4. saves the dossier with a bumped `updated_at`, and moves it between the agency's `StatusCount`s;
5. appends an `Event` (actor, role, time, note, data, whether the citizen sees it);
6. after commit, hands the event to `notify` (the notifications app, when installed) so the citizen is told.
Fees: `request_payment` opens a payment request and `confirm_payment` by an officer records cash at the desk
(the payments app); a bank or gateway confirms as `SYSTEM_ACTOR` after the payments app has recorded it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Role
from motcua.catalog.text import clean_text

from .models import Dossier, Event, Status, StatusCount, Substate, SupplementRequest

CITIZEN = "citizen"
SYSTEM = "system"


class _System:
    """The actor for what happens by itself: a bank confirming a payment, a fee due at submission."""

    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return "hệ thống"


SYSTEM_ACTOR = _System()


class NotAllowed(Exception):
    """The action is not possible in the dossier's current status, or not for this person (HTTP 409)."""


class Forbidden(NotAllowed):
    """The person may see the dossier but this action is not for their role (HTTP 403)."""


class Invalid(Exception):
    """A required field is missing or wrong (HTTP 422). `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[int, ...]
    target: int | None  # None: computed by the effect (back to where the dossier was)
    roles: frozenset[str]
    note_required: bool = False
    substates: tuple[str, ...] | None = None  # allowed sub-states of the source, None = any
    fields: tuple[str, ...] = field(default_factory=tuple)
    citizen_visible: bool = True


S = Status
OFFICERS = frozenset({Role.ONESTOP, Role.SPECIALIST, Role.LEADER})
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("receive", gettext_lazy("Tiếp nhận"), (S.NEW,), S.RECEIVED, frozenset({Role.ONESTOP})),
        Action(
            "refuse", gettext_lazy("Từ chối tiếp nhận"), (S.NEW,), S.REFUSED, frozenset({Role.ONESTOP}), True
        ),
        Action(
            "request_supplement",
            gettext_lazy("Yêu cầu bổ sung"),
            (S.NEW, S.RECEIVED, S.PROCESSING),
            S.SUPPLEMENT,
            frozenset({Role.ONESTOP, Role.SPECIALIST}),
            True,
            fields=("items",),
        ),
        Action("supplement", gettext_lazy("Gửi bổ sung"), (S.SUPPLEMENT,), None, frozenset({CITIZEN})),
        Action(
            "forward",
            gettext_lazy("Chuyển chuyên viên xử lý"),
            (S.RECEIVED,),
            S.PROCESSING,
            frozenset({Role.ONESTOP}),
            fields=("assignee",),
        ),
        Action(
            "request_payment",
            gettext_lazy("Yêu cầu nộp phí, lệ phí"),
            (S.NEW, S.RECEIVED, S.PROCESSING),
            S.PAYMENT,
            frozenset({Role.ONESTOP, Role.SPECIALIST, SYSTEM}),
            fields=("amount_vnd", "reason"),
        ),
        Action(
            "confirm_payment",
            gettext_lazy("Xác nhận đã nộp phí"),
            (S.PAYMENT,),
            None,
            frozenset({Role.ONESTOP, SYSTEM}),
            fields=("receipt_number",),
        ),
        Action(
            "submit_for_approval",
            gettext_lazy("Trình lãnh đạo duyệt"),
            (S.PROCESSING,),
            S.PROCESSING,
            frozenset({Role.SPECIALIST}),
            substates=("", Substate.REWORK, Substate.SUPPLEMENT_SENT),
            citizen_visible=False,
        ),
        Action(
            "approve",
            gettext_lazy("Duyệt"),
            (S.PROCESSING,),
            S.DONE,
            frozenset({Role.LEADER}),
            substates=(Substate.AWAITING_APPROVAL,),
        ),
        Action(
            "return_for_rework",
            gettext_lazy("Trả lại chuyên viên"),
            (S.PROCESSING,),
            S.PROCESSING,
            frozenset({Role.LEADER}),
            True,
            substates=(Substate.AWAITING_APPROVAL,),
            citizen_visible=False,
        ),
        Action(
            "stop",
            gettext_lazy("Dừng xử lý"),
            (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.WITHDRAWN),
            S.STOPPED,
            frozenset({Role.SPECIALIST, Role.LEADER}),
            True,
        ),
        Action(
            "withdraw",
            gettext_lazy("Rút hồ sơ"),
            (S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT),
            S.WITHDRAWN,
            frozenset({CITIZEN}),
        ),
        Action(
            "extend",
            gettext_lazy("Gia hạn, hẹn lại ngày trả"),
            (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT),
            None,
            OFFICERS,
            True,
            fields=("new_due_date",),
        ),
        Action(
            "deliver_result",
            gettext_lazy("Trả kết quả"),
            (S.DONE,),
            S.RETURNED,
            frozenset({Role.ONESTOP}),
            fields=("method",),
        ),
    ]
}
RESULT_METHODS = {
    "counter": gettext_lazy("tại bộ phận một cửa"),
    "post": gettext_lazy("qua bưu điện"),
    "online": gettext_lazy("trực tuyến"),
}


def role_for(user, dossier: Dossier) -> set[str]:
    """The roles `user` may act in on `dossier`: 'citizen' for its applicant, officer roles in its agency."""
    roles: set[str] = set()
    if user is SYSTEM_ACTOR:
        return {SYSTEM}
    if user is None or not user.is_authenticated:
        return roles
    if dossier.applicant_id == user.pk:
        roles.add(CITIZEN)
    officer = getattr(user, "officer", None)
    if officer is not None and officer.agency_id == dossier.agency_id:
        roles |= officer.roles
    return roles


def available(dossier: Dossier, user) -> list[Action]:
    """The actions `user` may perform on `dossier` now, in table order."""
    roles = role_for(user, dossier)
    return [a for a in ACTIONS.values() if _guard_ok(a, dossier) and a.roles & roles]


def _guard_ok(action: Action, dossier: Dossier) -> bool:
    if dossier.status not in action.sources:
        return False
    return action.substates is None or dossier.substate in action.substates


def _validate(action: Action, note: str, data: dict, dossier: Dossier, by=None) -> dict:
    errors: dict[str, str] = {}
    if action.note_required and not note.strip():
        errors["note"] = _("Cần ghi rõ lý do.")
    clean: dict = {}
    if action.name == "supplement" and not note.strip():
        request = dossier.supplement_requests.filter(resolved_at__isnull=True).first()
        if request is None or not request.attachments.exists():
            errors["note"] = _("Bạn cần gửi ít nhất một tệp hoặc ghi lời nhắn cho cán bộ.")
    if "items" in action.fields:
        items = [
            clean_text(str(i)).strip()[:500] for i in data.get("items") or [] if clean_text(str(i)).strip()
        ]
        if not items:
            errors["items"] = _("Cần liệt kê ít nhất một giấy tờ cần bổ sung.")
        clean["items"] = items
    if "amount_vnd" in action.fields:
        try:
            amount = int(data.get("amount_vnd"))
        except (TypeError, ValueError):
            amount = -1
        if amount <= 0:
            errors["amount_vnd"] = _("Số tiền phải là số nguyên dương (đồng).")
        clean["amount_vnd"] = amount
    if "reason" in action.fields:
        clean["reason"] = str(data.get("reason") or "").strip()[:300]
    if "receipt_number" in action.fields:
        receipt = str(data.get("receipt_number") or "").strip()[:40]
        if not receipt and by is not SYSTEM_ACTOR:
            errors["receipt_number"] = _("Ghi số biên lai thu tiền mặt.")
        clean["receipt_number"] = receipt
    if "new_due_date" in action.fields:
        value = data.get("new_due_date")
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            day = None
        if day is None:
            errors["new_due_date"] = _("Ngày hẹn mới phải có dạng YYYY-MM-DD.")
        elif dossier.due_at and day <= timezone.localtime(dossier.due_at).date():
            errors["new_due_date"] = _("Ngày hẹn mới phải sau ngày hẹn hiện tại.")
        clean["new_due_date"] = day
    if "assignee" in action.fields and str(data.get("assignee") or "").strip():
        from motcua.agencies.models import Officer

        officer = Officer.objects.filter(
            user_id=int(data["assignee"]) if str(data["assignee"]).isdigit() else 0,
            agency_id=dossier.agency_id,
            user__groups__name=Role.SPECIALIST,
        ).first()
        if officer is None:
            errors["assignee"] = _("Chọn một chuyên viên của cơ quan.")
        else:
            clean["assignee_id"] = officer.user_id
    if "method" in action.fields:
        if data.get("method") not in RESULT_METHODS:
            errors["method"] = _("Chọn cách trả kết quả: tại bộ phận một cửa, qua bưu điện hoặc trực tuyến.")
        clean["method"] = data.get("method")
    if errors:
        raise Invalid(errors)
    return clean


def perform(dossier: Dossier, action_name: str, *, by, note: str = "", data: dict | None = None) -> Dossier:
    """Perform `action_name` on `dossier` as user `by`. See the module docstring for every side effect."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise NotAllowed(_("Không có thao tác này."))
    data = data or {}
    note = clean_text(note or "")
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure", "agency").get(pk=dossier.pk)
        roles = role_for(by, dossier) & action.roles
        if not roles:
            raise Forbidden(_("Bạn không có quyền “%(action)s” hồ sơ này.") % {"action": action.label})
        if not _guard_ok(action, dossier):
            raise NotAllowed(
                _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {"action": action.label, "status": dossier.status_label}
            )
        clean = _validate(action, note, data, dossier, by)
        now = timezone.now()
        before = dossier.status
        EFFECTS[action.name](dossier, by=by, note=note, now=now, **clean)
        if action.target is not None:
            dossier.status = action.target
        dossier.save()
        count_move(dossier.agency_id, before, dossier.status)
        event = Event.objects.create(
            dossier=dossier,
            action=action.name,
            from_status=before,
            to_status=dossier.status,
            actor=None if by is SYSTEM_ACTOR else by,
            role=sorted(roles)[0],
            note=note.strip(),
            data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in clean.items()},
            citizen_visible=action.citizen_visible,
        )
        transaction.on_commit(lambda: _announce(event.pk))
    return dossier


def count_move(agency_id: int, before: int, after: int) -> None:
    """Keep `StatusCount` in step with a status change (inside the transition's transaction)."""
    if before == after:
        return
    if before != Status.DRAFT:
        StatusCount.objects.filter(agency_id=agency_id, status=before).update(count=F("count") - 1)
    if not StatusCount.objects.filter(agency_id=agency_id, status=after).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                StatusCount.objects.create(agency_id=agency_id, status=after, count=1)
        except IntegrityError:  # created by a concurrent transition a moment ago
            StatusCount.objects.filter(agency_id=agency_id, status=after).update(count=F("count") + 1)


def _announce(event_id: int) -> None:
    if apps.is_installed("motcua.notifications"):
        from motcua.notifications.services import notify_event

        notify_event(event_id)


# --- effects: what each action changes besides the status ------------------------------------------------


def _due_for(dossier: Dossier, received_at):
    from motcua.workdays.services import due_at

    procedure = dossier.procedure
    return due_at(received_at, kind=procedure.time_kind, value=procedure.time_value)


def _pause(dossier: Dossier, now) -> None:
    dossier.resume_status = dossier.status
    if dossier.due_at and dossier.paused_at is None:
        dossier.paused_at = now


def _resume(dossier: Dossier, now) -> None:
    from motcua.workdays.services import shift_for_pause

    dossier.status = dossier.resume_status or Status.PROCESSING
    dossier.resume_status = None
    if dossier.paused_at and dossier.due_at:
        dossier.due_at = shift_for_pause(dossier.due_at, paused_at=dossier.paused_at, resumed_at=now)
    dossier.paused_at = None


def _receive(dossier, *, by, note, now):
    dossier.received_at = now
    dossier.due_at = _due_for(dossier, now)


def _refuse(dossier, *, by, note, now):
    dossier.closed_at = now


def _request_supplement(dossier, *, by, note, now, items):
    SupplementRequest.objects.create(dossier=dossier, items=items, reason=note.strip(), requested_by=by)
    dossier.supplement_count += 1
    _pause(dossier, now)
    dossier.substate = ""


def _supplement(dossier, *, by, note, now):
    dossier.supplement_requests.filter(resolved_at__isnull=True).update(resolved_at=now, answer=note.strip())
    _resume(dossier, now)
    dossier.substate = Substate.SUPPLEMENT_SENT if dossier.status == Status.PROCESSING else ""


def _forward(dossier, *, by, note, now, assignee_id=None):
    dossier.substate = ""
    dossier.assigned_to_id = assignee_id


def _request_payment(dossier, *, by, note, now, amount_vnd, reason=""):
    dossier.fee_vnd = amount_vnd
    _pause(dossier, now)
    if apps.is_installed("motcua.payments"):
        from motcua.payments.services import open_request

        open_request(
            dossier, amount_vnd=amount_vnd, reason=reason or note, by=None if by is SYSTEM_ACTOR else by
        )


def _confirm_payment(dossier, *, by, note, now, receipt_number=""):
    _resume(dossier, now)
    if by is not SYSTEM_ACTOR and apps.is_installed("motcua.payments"):
        from motcua.payments.services import settle_in_cash

        settle_in_cash(dossier, receipt_number=receipt_number, by=by)


def _submit_for_approval(dossier, *, by, note, now):
    dossier.substate = Substate.AWAITING_APPROVAL
    dossier.assigned_to_id = dossier.assigned_to_id or by.pk


def _approve(dossier, *, by, note, now):
    dossier.substate = ""
    dossier.completed_at = now


def _return_for_rework(dossier, *, by, note, now):
    dossier.substate = Substate.REWORK


def _stop(dossier, *, by, note, now):
    dossier.closed_at = now
    dossier.paused_at = None


def _withdraw(dossier, *, by, note, now):
    dossier.substate = ""


def _extend(dossier, *, by, note, now, new_due_date):
    current = timezone.localtime(dossier.due_at) if dossier.due_at else None
    time_of_day = current.timetz() if current else dt.time(17, 0, tzinfo=timezone.get_current_timezone())
    dossier.due_at = dt.datetime.combine(new_due_date, time_of_day)


def _deliver_result(dossier, *, by, note, now, method):
    dossier.returned_at = now
    dossier.result_method = method


EFFECTS: dict[str, Callable] = {
    "receive": _receive,
    "refuse": _refuse,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "forward": _forward,
    "request_payment": _request_payment,
    "confirm_payment": _confirm_payment,
    "submit_for_approval": _submit_for_approval,
    "approve": _approve,
    "return_for_rework": _return_for_rework,
    "stop": _stop,
    "withdraw": _withdraw,
    "extend": _extend,
    "deliver_result": _deliver_result,
}
