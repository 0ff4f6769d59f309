"""The dossier lifecycle: one table of actions (`actions.ACTIONS`) and one function that performs them.

Every change of a dossier's status, sub-state, owner or fee state goes through `perform` — filing
(online, at the counter, by the community team), payment, claiming — and no other code creates an
`Event` or moves a `StatusCount`. `perform`, in order:
1. locks the dossier row (SELECT ... FOR UPDATE) so that two people acting at once cannot both win;
2. checks the guard: the action is allowed from the current status (and sub-state, and fee state) for the
   actor's role, the dossier is the actor's own (citizen) or their agency's (officer), and a specialist or
   leader works for the body that decides the procedure (`acting_roles`) — else `NotAllowed` (HTTP 409,
   `Forbidden` 403 for a role that may see but not act); nothing changed;
3. cleans the action's fields with their cleaners and checks a required reason — else `Invalid` (422)
   naming each bad field;
4. applies the action's effect (code and fee at filing, dates, due date, pause and resume of the clock,
   supplement request, owner, the claim code of a person without a phone at receipt, the declaration
   corrected at reception);
5. saves the dossier and moves it between the agency's `StatusCount`s;
6. appends an `Event` that records what followed from it: the status, the due date after it (`due_at`),
   the cleaned fields (amount, method, items, new date; a corrected declaration's changes, old and new)
   and whether the citizen sees it;
7. calls the subscribers of the action inside the same transaction (payments opens a fee request, or on
   a refusal, a stop or a withdrawal cancels the fee still asked and opens the refund of one paid;
   notifications writes its outbox rows): if one raises, nothing happened at all;
8. after commit, calls the after-commit subscribers (notifications enqueues delivery).
A file an action brings (`Field(file=True)`: the result file of approve and attach_result) is checked in
step 3 as every upload is (sniffed type, size), then by its cleaner; the effect writes it inside the
transaction, and when the transition fails after that, `perform` removes the file again.
The lifecycle knows nothing of payments, notifications, documents or statistics: they `subscribe` from
their `AppConfig.ready`.

Lock order, everywhere: dossier → payment request → payment attempt (→ SMS budget). Code that starts from
a payment (an IPN, a bank credit, a status query) looks its rows up without locks, then locks in this
order — the dossier first — so that two writers never wait for each other in a circle.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.text import clean_text
from motcua.workdays.services import due_at, shift_for_pause

from .actions import (
    ACTIONS,
    CITIZEN,
    CLAIMANT,
    OFFICERS,
    OWN_PATHS,
    PAYMENT_METHODS,
    RESULT_METHODS,
    RESULT_READERS,
    SYSTEM,
    Action,
    Context,
    FieldError,
    Upload,
    catalogue_fee,
)
from .codes import claim_code_hash, new_claim_code
from .declaration import clean_form
from .errors import Forbidden, Invalid, NotAllowed
from .files import BadFile, StorageFailed, inspect, store
from .models import (
    DailyCounter,
    Dossier,
    Event,
    ResultFile,
    Status,
    StatusCount,
    Substate,
    SupplementRequest,
)
from .states import CLOCK_STOPS

__all__ = [
    "ACTIONS",
    "CITIZEN",
    "CLAIMANT",
    "OFFICERS",
    "OWN_PATHS",
    "PAYMENT_METHODS",
    "RESULT_METHODS",
    "RESULT_READERS",
    "SYSTEM",
    "SYSTEM_ACTOR",
    "Forbidden",
    "Invalid",
    "NotAllowed",
    "Transition",
    "acting_roles",
    "available",
    "issue_code",
    "locked_dossiers",
    "may",
    "perform",
    "recount",
    "role_for",
    "subscribe",
]


class _System:
    """The actor for what happens by itself: a bank confirming a payment, a fee due at submission."""

    pk = None
    is_authenticated = False

    def __str__(self) -> str:
        return "hệ thống"


SYSTEM_ACTOR = _System()
MAX_NOTE = 5000  # a reason or a message to the officer; the same bound as a declaration's answer


@dataclass(frozen=True)
class Transition:
    """What a subscriber is told: the dossier after the action, its event, the action, who did it."""

    dossier: Dossier
    event: Event
    action: Action
    by: object


Subscriber = Callable[[Transition], None]
_subscribers: list[tuple[frozenset[str] | None, bool, Subscriber]] = []


def subscribe(
    handler: Subscriber, *, actions: Iterable[str] | None = None, after_commit: bool = False
) -> None:
    """Call `handler(transition)` on every performed action (or only on `actions`): inside the transition's
    transaction, or after it commits. Subscribing the same handler twice changes nothing."""
    names = frozenset(actions) if actions is not None else None
    unknown = (names or frozenset()) - ACTIONS.keys()
    if unknown:
        raise ValueError(f"unknown actions: {sorted(unknown)}")
    entry = (names, after_commit, handler)
    if entry not in _subscribers:
        _subscribers.append(entry)


def role_for(user, dossier: Dossier) -> set[str]:
    """The roles `user` may act in on `dossier`: 'citizen' for its applicant, officer roles in its agency,
    'claimant' for a citizen while a dossier filed for someone has no account yet."""
    if user is SYSTEM_ACTOR:
        return {SYSTEM}
    roles: set[str] = set()
    if user is None or not user.is_authenticated:
        return roles
    officer = getattr(user, "officer", None)
    if dossier.applicant_id == user.pk:
        roles.add(CITIZEN)
    elif dossier.applicant_id is None and officer is None:
        roles.add(CLAIMANT)
    if officer is not None and officer.agency_id == dossier.agency_id:
        roles |= officer.roles
    return roles


def acting_roles(user, dossier: Dossier) -> set[str]:
    """The roles `user` acts in on `dossier`: `role_for`, less the specialist's and leader's roles of an
    officer who works for another body than the one that decides the dossier's procedure — a leader of the
    People's Committee reads a residence registration but does not approve it: the commune police decides
    it. The one-stop desk receives and returns for every body."""
    roles = role_for(user, dossier)
    officer = getattr(user, "officer", None) if user is not SYSTEM_ACTOR else None
    if officer is not None and officer.agency_id == dossier.agency_id:
        roles -= officer.roles - officer.roles_on(dossier.procedure.executing_body)
    return roles


def available(dossier: Dossier, user) -> list[Action]:
    """The actions `user` may perform on `dossier` now, in table order (filing and claiming have their own
    pages, so they are not offered among the dossier's buttons)."""
    roles = acting_roles(user, dossier)
    return [
        a for a in ACTIONS.values() if a.name not in OWN_PATHS and _guard_ok(a, dossier) and a.roles & roles
    ]


def may(dossier: Dossier, user, action_name: str) -> bool:
    """May `user` perform `action_name` on `dossier` now — own-path actions included (rating, claiming)."""
    action = ACTIONS[action_name]
    return bool(action.roles & acting_roles(user, dossier)) and _guard_ok(action, dossier)


def _guard_ok(action: Action, dossier: Dossier) -> bool:
    if dossier.status not in action.sources:
        return False
    if action.needs_fee and not dossier.fee_pending:
        return False
    if action.substates is not None and dossier.substate not in action.substates:
        return False
    return action.applies is None or action.applies(dossier)


def _clean(action: Action, note: str, data: dict, dossier: Dossier, by) -> dict:
    """Every field through its cleaner; all errors at once, named by field."""
    errors: dict[str, str] = {}
    if action.note_required and not note.strip():
        errors["note"] = _("Cần ghi rõ lý do.")
    elif len(note) > MAX_NOTE:
        errors["note"] = _("Lời ghi quá dài: không quá %(n)s ký tự.") % {
            "n": f"{MAX_NOTE:,}".replace(",", ".")
        }
    context = Context(dossier=dossier, by=by, note=note, data=data)
    clean: dict = {}
    for spec in action.fields:
        try:
            value = data.get(spec.name)
            if spec.file and hasattr(value, "read"):
                value = _checked_upload(value)
            clean[spec.name] = spec.clean(value, context)
        except FieldError as error:
            errors[spec.name] = str(error)
        except Invalid as error:  # a cleaner that checks a whole form names each field of it
            errors.update(error.errors)
    if action.check is not None:
        errors = {**action.check(context), **errors}
    if errors:
        raise Invalid(errors)
    return clean


def _checked_upload(upload) -> Upload:
    """A posted file checked as every upload is (files.inspect); FieldError with the reason otherwise."""
    try:
        content_type, ext, size, sha256 = inspect(upload)
    except BadFile as error:
        raise FieldError(str(error)) from None
    name = clean_text(str(upload.name or "").rsplit("/", 1)[-1]).strip()[:150] or f"tep.{ext}"
    return Upload(upload, name, content_type, ext, size, sha256)


def perform(dossier: Dossier, action_name: str, *, by, note: str = "", data: dict | None = None) -> Dossier:
    """Perform `action_name` on `dossier` as user `by`. See the module docstring for every side effect."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise NotAllowed(_("Không có thao tác này."))
    data = data or {}
    note = clean_text(note or "").strip()
    uploads: list[Upload] = []  # files the effect may write: removed again if the transition fails
    try:
        return _perform(dossier, action, by=by, note=note, data=data, uploads=uploads)
    except BaseException:
        for upload in uploads:
            upload.discard()
        raise


def _perform(dossier: Dossier, action: Action, *, by, note: str, data: dict, uploads: list) -> Dossier:
    with transaction.atomic():
        dossier = locked_dossiers().get(pk=dossier.pk)
        roles = acting_roles(by, dossier) & action.roles
        if not roles:
            raise Forbidden(_("Bạn không có quyền “%(action)s” hồ sơ này.") % {"action": action.label})
        if not _guard_ok(action, dossier):
            if action.refusal is not None and dossier.status in action.sources:
                raise NotAllowed(str(action.refusal))
            raise NotAllowed(
                _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {"action": action.label, "status": dossier.status_label}
            )
        clean = _clean(action, note, data, dossier, by)
        now = timezone.now()
        before = dossier.status
        uploads.extend(value for value in clean.values() if isinstance(value, Upload))
        facts = EFFECTS[action.name](dossier, by=by, roles=roles, note=note, now=now, **clean) or {}
        if action.target is not None:
            dossier.status = action.target
        dossier.save()
        _count_move(dossier.agency_id, before, dossier.status)
        recorded = {k: v for k, v in {**clean, **facts}.items() if v is not None}
        event = Event.objects.create(
            dossier=dossier,
            action=action.name,
            from_status=before,
            to_status=dossier.status,
            actor=None if by is SYSTEM_ACTOR else by,
            role=sorted(roles)[0],
            note=note,
            data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in recorded.items()},
            due_at=dossier.due_at,
            citizen_visible=action.citizen_visible,
        )
        transition = Transition(dossier=dossier, event=event, action=action, by=by)
        for names, after_commit, handler in list(_subscribers):
            if names is not None and action.name not in names:
                continue
            if after_commit:
                transaction.on_commit(lambda handler=handler: handler(transition))
            else:
                handler(transition)
    return dossier


def locked_dossiers():
    """Dossiers to lock in a transition or a submission: the dossier's row, with its procedure and agency
    read but not locked. PostgreSQL's FOR UPDATE without OF locks every joined row: every transition of
    an agency (and every filing of a procedure) then waited for the one before to commit, and so did each
    new draft's foreign-key check on the agency (`make loadtest`: filings and officers' actions queued
    ~1 s on the agency's row)."""
    return Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "agency")


def _count_move(agency_id: int, before: int, after: int) -> None:
    """Keep `StatusCount` in step with a status change (inside the transition's transaction).

    The two counters are updated (and so locked until the commit) in the order of their status, whatever
    the direction of the move: two transitions of one agency moving opposite ways (a fee asked, 2 -> 3,
    while another dossier's fee is paid, 3 -> 2) would otherwise each hold one counter and wait for the
    other's: a deadlock, answered 503 (`make loadtest`, once transitions stopped locking the agency)."""
    if before == after:
        return
    moves = [(after, 1)] if before == Status.DRAFT else sorted([(before, -1), (after, 1)])
    for status, step in moves:
        counter = StatusCount.objects.filter(agency_id=agency_id, status=status)
        if step < 0:
            counter.update(count=F("count") - 1)
        elif not counter.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    StatusCount.objects.create(agency_id=agency_id, status=status, count=1)
            except IntegrityError:  # created by a concurrent transition a moment ago
                counter.update(count=F("count") + 1)


@transaction.atomic
def recount(agency_id: int | None = None) -> None:
    """Rebuild the status counters from the dossiers (after a bulk import, or to check them)."""
    agencies = [agency_id] if agency_id else list(Agency.objects.values_list("pk", flat=True))
    for pk in agencies:
        rows = Dossier.objects.filter(agency_id=pk).exclude(status=Status.DRAFT).values("status")
        counts = {row["status"]: row["n"] for row in rows.order_by().annotate(n=Count("pk"))}
        StatusCount.objects.filter(agency_id=pk).delete()
        StatusCount.objects.bulk_create(
            StatusCount(agency_id=pk, status=s, count=n) for s, n in counts.items()
        )


def issue_code(agency, when: dt.datetime) -> str:
    """The next `<agency ID>-<yyMMdd>-<NNNN>` for `agency` on `when`'s local day. Call inside a transaction.

    The counter row is incremented with one UPDATE, which locks it until the surrounding transaction
    ends: concurrent submissions queue on that lock and get consecutive numbers, and a rolled-back
    submission gives its number back.
    """
    day = timezone.localtime(when).date()
    counter = DailyCounter.objects.filter(agency=agency, day=day)
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DailyCounter.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:  # another submission created today's row first
            counter.update(last=F("last") + 1)
    number = counter.values_list("last", flat=True).get()
    return f"{agency.agency_id}-{day:%y%m%d}-{number:04d}"


# --- effects: what each action changes besides the status; a dict they return is recorded in the event ---


def _wait(dossier: Dossier, now, *, on: int) -> None:
    """The dossier goes to wait on the citizen in status `on`, and comes back to where it was after.

    The clock stops only for a wait the law leaves out of the processing time (`states.CLOCK_STOPS`, with
    its source: the supplement, Decision 766 index 2.1); for any other wait, the fee's included, it runs on.
    """
    dossier.resume_status = dossier.status
    if on in CLOCK_STOPS and dossier.due_at and dossier.paused_at is None:
        dossier.paused_at = now


def _resume(dossier: Dossier, now) -> None:
    dossier.status = dossier.resume_status or Status.PROCESSING
    dossier.resume_status = None
    if dossier.paused_at and dossier.due_at:
        dossier.due_at = shift_for_pause(dossier.due_at, paused_at=dossier.paused_at, resumed_at=now)
    dossier.paused_at = None


def _submit(dossier, *, by, roles, note, now, consent=None):
    if CITIZEN not in roles and dossier.filed_by_id != by.pk:
        raise NotAllowed(_("Bạn không nộp được hồ sơ này."))
    dossier.form_data = clean_form(dossier.procedure, dossier.form_data)
    dossier.code = issue_code(dossier.agency, now)
    dossier.submitted_at = now
    fee = catalogue_fee(dossier)
    if fee.amount_vnd > 0:  # a procedure with a fee is paid up front; the desk still checks the dossier
        dossier.fee_vnd, dossier.fee_pending = fee.amount_vnd, True
        return {"amount_vnd": fee.amount_vnd, "reason": fee.reason}
    return None


def _receive(dossier, *, by, roles, note, now):
    dossier.received_at = now
    procedure = dossier.procedure
    kind, value = procedure.time_kind, procedure.time_value
    if dossier.bundle_id:  # a part of a joined-up filing may have a shorter time inside it
        part = dossier.bundle.procedure.parts.filter(order=dossier.part).first()
        if part is not None and part.days:
            kind, value = "working_days", part.days
    dossier.due_at = due_at(now, kind=kind, value=value)
    if not dossier.applicant_phone and dossier.applicant_id is None:
        # No phone to look it up or claim it with, and no account: the receipt carries a claim code.
        return _issue_claim_code(dossier)
    return None


def _issue_claim_code(dossier):
    """A new claim code: its keyed hash is stored, the code itself handed to the caller on the dossier
    (`issued_claim_code`) to show and print once; any earlier code stops working."""
    claim_code = new_claim_code()
    dossier.claim_code_hash = claim_code_hash(dossier.code, claim_code)
    dossier.issued_claim_code = claim_code
    return {"claim_code": True}


def _reissue_claim_code(dossier, *, by, roles, note, now):
    return _issue_claim_code(dossier)


def _refuse(dossier, *, by, roles, note, now):
    dossier.closed_at = now
    dossier.fee_pending = False  # a dossier that ends without a result asks for no fee


def _request_supplement(dossier, *, by, roles, note, now, items):
    SupplementRequest.objects.create(dossier=dossier, items=items, reason=note, requested_by=by)
    dossier.supplement_count += 1
    _wait(dossier, now, on=Status.SUPPLEMENT)
    dossier.substate = ""


def _supplement(dossier, *, by, roles, note, now):
    dossier.supplement_requests.filter(resolved_at__isnull=True).update(resolved_at=now, answer=note)
    _resume(dossier, now)
    dossier.substate = Substate.SUPPLEMENT_SENT if dossier.status == Status.PROCESSING else ""


def _forward(dossier, *, by, roles, note, now, assignee=None):
    dossier.substate = ""
    dossier.assigned_to_id = assignee


def _request_payment(dossier, *, by, roles, note, now, amount_vnd, reason):
    dossier.fee_vnd, dossier.fee_pending = amount_vnd, True
    _wait(dossier, now, on=Status.PAYMENT)  # the fee wait counts: see states.CLOCK_STOPS


def _paid(dossier, *, by, roles, note, now, amount_vnd, payment_method, receipt_number=""):
    dossier.fee_pending = False
    if dossier.status == Status.PAYMENT:
        _resume(dossier, now)


def _submit_for_approval(dossier, *, by, roles, note, now):
    dossier.substate = Substate.AWAITING_APPROVAL
    dossier.assigned_to_id = dossier.assigned_to_id or by.pk


def _store_result(dossier, upload: Upload, by) -> dict:
    """Write a checked result file and its row; what the event records of it."""
    result = ResultFile(
        dossier=dossier,
        name=upload.name,
        size=upload.size,
        sha256=upload.sha256,
        content_type=upload.content_type,
        uploaded_by=by,
    )
    upload.upload.name = f"ket-qua.{upload.ext}"
    try:
        store(result, upload.upload)
    except StorageFailed as exc:
        raise Invalid({"result_file": str(exc)}) from exc
    upload.stored = result.file
    result.save()
    return {"id": result.pk, "name": result.name, "size": result.size, "sha256": result.sha256}


def _approve(dossier, *, by, roles, note, now, result_file=None):
    dossier.substate = ""
    dossier.completed_at = now
    if result_file is not None:
        return {"result_file": _store_result(dossier, result_file, by)}
    return None


def _attach_result(dossier, *, by, roles, note, now, result_file):
    return {"result_file": _store_result(dossier, result_file, by)}


def _collect_online(dossier, *, by, roles, note, now):
    """The citizen downloaded the result: delivered online, recorded as the delivery method."""
    dossier.returned_at = now
    dossier.result_method = "online"
    return {"method": "online"}


def _return_for_rework(dossier, *, by, roles, note, now):
    dossier.substate = Substate.REWORK


def _stop(dossier, *, by, roles, note, now):
    dossier.closed_at = now
    dossier.paused_at = None
    dossier.fee_pending = False


def _withdraw(dossier, *, by, roles, note, now):
    dossier.substate = ""
    dossier.fee_pending = False


def _money(dossier, *, by, roles, note, now, **fields):
    """Money that paid no fee, a refund due or made: recorded and told, nothing on the dossier changes
    (the payments app keeps the money's state)."""


def _extend(dossier, *, by, roles, note, now, new_due_date):
    current = timezone.localtime(dossier.due_at) if dossier.due_at else None
    time_of_day = current.timetz() if current else dt.time(17, 0, tzinfo=timezone.get_current_timezone())
    dossier.due_at = dt.datetime.combine(new_due_date, time_of_day)


def _deliver_result(dossier, *, by, roles, note, now, method):
    dossier.returned_at = now
    dossier.result_method = method


def _correct_declaration(dossier, *, by, roles, note, now, form):
    """Apply the desk's corrections (`form`: the changes the cleaner found); the event records each change
    with its old and new value in words, not the values as stored."""
    data = dict(dossier.form_data or {})
    for change in form:
        kind, name = change["field"].split(".", 1)
        if kind == "applicant":
            setattr(dossier, name, change["value"])
        elif change["value"] in (None, "", False):
            data.pop(name, None)
        else:
            data[name] = change["value"]
    dossier.form_data = data
    return {"form": None, "changes": [{k: v for k, v in c.items() if k != "value"} for c in form]}


def _rate(dossier, *, by, roles, note, now, score, criteria):
    """Nothing on the dossier changes: the event is the rating; whether a comment came with it is recorded,
    the comment itself is the event's note."""
    return {"comment": bool(note)}


def _claim(dossier, *, by, roles, note, now):
    dossier.applicant = by


EFFECTS: dict[str, Callable] = {
    "submit": _submit,
    "receive": _receive,
    "refuse": _refuse,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "forward": _forward,
    "request_payment": _request_payment,
    "confirm_payment": _paid,
    "payment_received": _paid,
    "money_received": _money,
    "refund_due": _money,
    "refund": _money,
    "submit_for_approval": _submit_for_approval,
    "approve": _approve,
    "return_for_rework": _return_for_rework,
    "stop": _stop,
    "stop_part": _stop,
    "withdraw": _withdraw,
    "extend": _extend,
    "deliver_result": _deliver_result,
    "correct_declaration": _correct_declaration,
    "attach_result": _attach_result,
    "collect_online": _collect_online,
    "claim": _claim,
    "reissue_claim_code": _reissue_claim_code,
    "rate": _rate,
}
