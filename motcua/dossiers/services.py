"""Dossier rules: drafts, attachments, submission with its code, counter intake, who sees what."""

import logging
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from motcua import policy
from motcua.accounts.models import User
from motcua.accounts.phones import national, normalize_phone
from motcua.accounts.services import person_for
from motcua.agencies.models import DECIDING, Agency, Officer, Role
from motcua.catalog.models import FieldType, FormField, Procedure, declaration_fields
from motcua.prepared import Prepared
from motcua.text import clean_text, nfc

from .bundles import file_joined
from .codes import (
    CODE_PATTERN,
    claim_code_matches,
    claim_code_to_print,
    code_from_token,
    code_in_token,
    format_claim_code,
    keep_claim_code_for_printing,
    lookup_token,
    normalize_code,
)
from .declaration import AS_WRITTEN, clean_form
from .files import BadFile, check_quota, inspect, store
from .lifecycle import (
    CITIZEN,
    RESULT_READERS,
    Forbidden,
    Invalid,
    NotAllowed,
    available,
    issue_code,
    locked_dossiers,
    perform,
    recount,
    role_for,
)
from .models import Attachment, Channel, Dossier, ResultFile, Status, StatusCount

__all__ = [
    "CODE_PATTERN",
    "BadFile",
    "Forbidden",
    "Invalid",
    "NotAllowed",
    "add_attachment",
    "add_counter_scan",
    "can_scan_at_counter",
    "agency_counts",
    "as_user",
    "AsSeen",
    "available",
    "counts_by_status",
    "dossier_for",
    "check_identity",
    "check_online",
    "claim",
    "collect_online",
    "claim_code_to_print",
    "claimable",
    "code_in_token",
    "discard_draft",
    "file_at_counter",
    "file_on_behalf",
    "file_online",
    "format_claim_code",
    "is_the_declaration",
    "issue_code",
    "keep_claim_code_for_printing",
    "lookup",
    "lookup_by_token",
    "lookup_token",
    "merge_answers",
    "missing_documents",
    "normalize_code",
    "normalize_phone",
    "open_draft",
    "open_dossiers",
    "perform",
    "queue_counts",
    "queue_dossiers",
    "recount",
    "remove_attachment",
    "result_for",
    "save_draft",
    "start_draft",
    "submit",
    "visible_dossiers",
]
log = logging.getLogger(__name__)


# --- who sees what ----------------------------------------------------------------------------------------


def visible_dossiers(user) -> QuerySet[Dossier]:
    """A citizen's own filed dossiers; an officer's agency's; nothing for anyone else."""
    if user is None or not user.is_authenticated:
        return Dossier.objects.none()
    officer = getattr(user, "officer", None)
    if officer is not None:
        dossiers = Dossier.objects.exclude(status=Status.DRAFT)
        if not policy.spans_agencies(officer.roles):  # only a province's role reads every commune's
            dossiers = dossiers.filter(agency_id=officer.agency_id)
        if not officer.roles - {Role.COMMUNITY}:
            # A volunteer of the community digital team sees only what they filed for someone.
            dossiers = dossiers.filter(filed_by=user)
        return dossiers
    return Dossier.objects.filter(applicant=user).exclude(status=Status.DRAFT)


def as_user(roles: frozenset[str] | None, body_kind: str, user_id: int, agency_id: int) -> User:
    """A stand-in user with these ids for `visible_dossiers` and `queue_dossiers` to write their
    conditions with: an officer of a body of `body_kind` with `roles`, or a citizen (roles None)."""
    user = User(pk=user_id)
    officer = None
    if roles is not None:
        officer = Officer(agency_id=agency_id)
        officer.__dict__.update(roles=set(roles), body_kind=body_kind)  # what the rules read of an officer
    Officer._meta.get_field("user").remote_field.set_cached_value(user, officer)
    return user


class AsSeen:
    """A query over what a person may see, compiled once per process for each kind of person (a citizen,
    or an officer with a set of roles in a kind of body) and prepared (`motcua.prepared`): the lists and
    counts every signed-in page reads. `build(user, **arguments)` writes the queryset for a stand-in
    user (`as_user`) whose ids, like the `arguments` declared here (str, int or datetime), are parameters.
    Any other keyword a call passes (a page size, a cap) is written into the query: one query each."""

    def __init__(self, build, **arguments: type):
        self._build = build
        self._arguments = arguments
        self._by_kind: dict[tuple, Prepared] = {}

    def _prepared(self, user, arguments: dict) -> tuple[Prepared, dict]:
        officer = getattr(user, "officer", None)
        fixed = {k: v for k, v in arguments.items() if k not in self._arguments}
        kind = (frozenset(officer.roles), officer.body_kind) if officer is not None else (None, "")
        key = (*kind, *sorted(fixed.items()))
        prepared = self._by_kind.get(key)
        if prepared is None:

            def build(user: int, agency: int, **parameters):
                return self._build(as_user(*kind, user, agency), **parameters, **fixed)

            prepared = Prepared(build, user=int, agency=int, **self._arguments)
            prepared = self._by_kind.setdefault(key, prepared)
        parameters = {k: v for k, v in arguments.items() if k in self._arguments}
        return prepared, {"user": user.pk, "agency": officer.agency_id if officer else 0, **parameters}

    def rows(self, user, **arguments) -> list[list]:
        prepared, parameters = self._prepared(user, arguments)
        return prepared.rows(**parameters)

    def objects(self, user, **arguments) -> list:
        prepared, parameters = self._prepared(user, arguments)
        return prepared.objects(**parameters)

    def count(self, user, **arguments) -> int:
        prepared, parameters = self._prepared(user, arguments)
        return prepared.count(**parameters)


def _works_for_one_body(officer) -> bool:
    """A specialist or leader, and nothing more: their work is the dossiers their body decides."""
    return bool(officer.roles) and officer.roles <= DECIDING


def queue_dossiers(user) -> QuerySet[Dossier]:
    """What an officer's queue lists: the dossiers they see, and for a specialist or leader only those of
    the procedures their body decides (the commune police's residence dossiers in theirs, not in the
    People's Committee's). The desk, the administrator and the community team list all they see."""
    dossiers = visible_dossiers(user)
    officer = getattr(user, "officer", None)
    if officer is not None and _works_for_one_body(officer):
        dossiers = dossiers.filter(procedure__executing_body=officer.body_kind)
    return dossiers


def _by_status(dossiers: QuerySet[Dossier]) -> QuerySet:
    return dossiers.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")


_BODY_COUNTS = AsSeen(lambda user: _by_status(queue_dossiers(user)))
_AGENCY_COUNTS = Prepared(
    lambda agency: StatusCount.objects.filter(agency_id=agency).values_list("status", "count"), agency=int
)


def queue_counts(user) -> dict[int, int]:
    """The status counts beside an officer's queue: the agency's counters, or the body's own dossiers
    counted when the queue lists only those."""
    officer = user.officer
    if _works_for_one_body(officer):
        return dict(_BODY_COUNTS.rows(user))
    return agency_counts(officer.agency_id)


def dossier_for(user, code: str) -> Dossier | None:
    """The dossier `code` if `user` may see it, else None — the caller answers 404 either way."""
    return visible_dossiers(user).select_related("procedure", "agency", "applicant").filter(code=code).first()


def counts_by_status(dossiers: QuerySet[Dossier]) -> dict[int, int]:
    """Dossiers per status, counted (for a citizen's few dossiers)."""
    return dict(_by_status(dossiers))


def agency_counts(agency_id: int) -> dict[int, int]:
    """An agency's dossiers per status, from the counters the transition function keeps."""
    return dict(_AGENCY_COUNTS.rows(agency=agency_id))


def open_dossiers(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Not yet delivered, refused or stopped: what the back office still has to do."""
    return dossiers.filter(returned_at__isnull=True, closed_at__isnull=True, status__gt=0)


# --- drafts -----------------------------------------------------------------------------------------------


def check_identity(procedure: Procedure, user) -> None:
    """Some procedures need a verified account to be filed online (Forbidden says which and how)."""
    if getattr(user, "identity_level", 0) < procedure.min_identity_level:
        raise Forbidden(
            _(
                "Thủ tục này cần tài khoản %(level)s. Mang căn cước đến bộ phận một cửa "
                "để được xác thực ngay, hoặc đăng nhập bằng VNeID."
            )
            % {"level": str(User.IdentityLevel(procedure.min_identity_level).label).lower()}
        )


def check_online(procedure: Procedure) -> None:
    """A procedure filed only in person (level `truc_tiep`) cannot be filed online: NotAllowed says where.
    The filing pages, their review step and the API all ask this one rule."""
    if not procedure.is_online:
        raise NotAllowed(_("Thủ tục này chỉ nộp trực tiếp tại bộ phận một cửa."))


def open_draft(*, procedure: Procedure, applicant) -> Dossier | None:
    """The citizen's draft of this procedure, if they saved one; looking never creates one."""
    return (
        Dossier.objects.filter(applicant=applicant, procedure__code=procedure.code, status=Status.DRAFT)
        .order_by("-pk")
        .first()
    )


def start_draft(*, procedure: Procedure, applicant, agency: Agency) -> Dossier:
    """The citizen's open draft for this procedure, or a new one prefilled from their profile: the filing
    pages call it on the first save, never on opening the form."""
    draft = open_draft(procedure=procedure, applicant=applicant)
    if draft is not None:
        if draft.procedure_id != procedure.pk:  # a new version took over since the draft was started
            draft.procedure = procedure
            draft.save(update_fields=["procedure", "updated_at"])
        return draft
    return Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        applicant=applicant,
        applicant_name=applicant.full_name or applicant.username,
        applicant_phone=applicant.phone or "",
        channel=2,
        form_data=prefill(procedure, applicant),
    )


def prefill(procedure: Procedure, user) -> dict:
    """Answers the account already knows: name, phone, CCCD number, and the address the citizen gave in
    their last dossier (an account has no address of its own)."""
    wanted = {f.prefill for f in declaration_fields(procedure)}
    profile = {
        "full_name": user.full_name,
        "phone": national_or_blank(user.phone),
        "id_number": user.id_number,
        "address": last_address(user) if "address" in wanted else "",
    }
    return {f.name: profile[f.prefill] for f in declaration_fields(procedure) if profile.get(f.prefill)}


def last_address(user) -> str:
    """The address of the citizen's latest filed dossier: a field prefilled with the address, or the
    address the desk wrote down."""
    latest = (
        Dossier.objects.filter(applicant=user)
        .exclude(status=Status.DRAFT)
        .order_by("-submitted_at", "-pk")
        .only("procedure_id", "form_data", "applicant_address")
        .first()
    )
    if latest is None:
        return ""
    fields = FormField.objects.filter(procedure_id=latest.procedure_id, prefill="address")
    for name in fields.values_list("name", flat=True):
        if isinstance(latest.form_data.get(name), str) and latest.form_data[name]:
            return latest.form_data[name]
    return latest.applicant_address


def national_or_blank(phone: str | None) -> str:
    return national(phone) if phone else ""


def save_draft(draft: Dossier, *, data, fields=None) -> Dossier:
    """Keep whatever the citizen typed, valid or not: a draft never loses an answer.

    `fields` names what the page showed (one step of the form); a box left unticked there is not posted,
    and only its confirmations of names written without diacritics (`as_written`) are replaced."""
    if draft.status != Status.DRAFT:
        raise NotAllowed(_("Hồ sơ đã nộp, không sửa bản nháp được nữa."))
    draft.form_data = merge_answers(draft.procedure, draft.form_data, data=data, fields=fields)
    draft.save(update_fields=["form_data", "updated_at"])
    return draft


def merge_answers(procedure: Procedure, form_data: dict, *, data, fields=None) -> dict:
    """`form_data` with what a page posted put in, as a draft keeps it (`save_draft`); nothing is stored.
    Practice filing (motcua/outreach/practice.py) keeps its answers this way, in the session."""
    specs = {f.name: f for f in declaration_fields(procedure)}
    shown = set(specs) if fields is None else set(fields) & set(specs)
    merged = {
        **form_data,
        **{k: clean_text(str(v))[:5000] for k, v in data.items() if k in shown},
    }
    for name in shown:  # a box left unticked is simply not posted
        if specs[name].type == FieldType.BOOLEAN and name not in data:
            merged.pop(name, None)
    getlist = getattr(data, "getlist", None)
    posted = getlist(AS_WRITTEN) if getlist else data.get(AS_WRITTEN) or []
    confirmed = {n for n in merged.get(AS_WRITTEN, []) if n not in shown}
    confirmed |= {n for n in posted if n in shown} if isinstance(posted, list) else set()
    merged[AS_WRITTEN] = sorted(confirmed)
    if not confirmed:
        del merged[AS_WRITTEN]
    return merged


def discard_draft(draft: Dossier, *, by) -> None:
    """The citizen deletes a draft they no longer want, with its files (a filed dossier is never deleted)."""
    if draft.status != Status.DRAFT or draft.applicant_id != by.pk:
        raise NotAllowed(_("Chỉ xóa được bản nháp của chính bạn."))
    files = [(a.file.storage, a.file.name) for a in draft.attachments.all()]
    draft.delete()  # its attachments' rows go with it
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# --- attachments ------------------------------------------------------------------------------------------


def slots_of(procedure: Procedure) -> dict[str, str]:
    """Attachment slots: one per required document ('1', '2', ...) plus 'khac' for anything else."""
    slots = {str(n): d.name for n, d in enumerate(procedure.documents.all(), start=1)}
    slots["khac"] = _("Giấy tờ khác")
    return slots


def add_attachment(dossier: Dossier, *, upload, slot: str, by, supplement=None) -> Attachment:
    """Store one file in a slot. A bad file raises BadFile, a full dossier or account QuotaExceeded (a
    BadFile), a failing disk StorageFailed; each leaves nothing behind.

    The quotas are checked before a byte is written, and again with the dossier and the uploader locked
    (in the lifecycle's order, dossier first) before the row is saved, so that uploads sent at the same time
    cannot all slip under them."""
    if slot not in slots_of(dossier.procedure):
        raise Invalid({"slot": _("Thành phần hồ sơ không hợp lệ.")})
    if dossier.status not in (
        Status.DRAFT,
        Status.NEW,
        Status.SUPPLEMENT,
    ) and CITIZEN in role_for(by, dossier):
        raise NotAllowed(_("Hồ sơ đang được xử lý: chỉ gửi thêm giấy tờ khi cán bộ yêu cầu bổ sung."))
    content_type, ext, size, sha256 = inspect(upload)
    name = clean_text(upload.name.rsplit("/", 1)[-1])[:150]
    check_quota(dossier, by=by, size=size, name=name)
    upload.name = f"upload.{ext}"
    attachment = Attachment(
        dossier=dossier,
        slot=slot,
        name=name,
        size=size,
        sha256=sha256,
        content_type=content_type,
        uploaded_by=by,
        supplement=supplement,
    )
    store(attachment, upload)
    try:
        with transaction.atomic():
            Dossier.objects.select_for_update().only("pk").get(pk=dossier.pk)
            get_user_model().objects.select_for_update().only("pk").get(pk=by.pk)
            check_quota(dossier, by=by, size=size, name=name)
            attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


# While the desk still holds a counter dossier's papers: filed and not yet done, refused or withdrawn.
SCAN_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)


def can_scan_at_counter(dossier: Dossier, user) -> bool:
    """Whether `user` may attach scanned papers to `dossier`: a dossier filed at the counter, still open,
    and a one-stop officer of its agency (who took the paper from the citizen)."""
    return (
        dossier.channel == Channel.COUNTER
        and dossier.status in SCAN_STATUSES
        and Role.ONESTOP in role_for(user, dossier)
    )


def add_counter_scan(dossier: Dossier, *, upload, slot: str, by) -> Attachment:
    """A paper the citizen brought to the counter, scanned or photographed by the desk, into a slot of the
    dossier: checked as a citizen's upload is (its bytes, its size, the dossier's quota) and recorded as
    the officer's (`uploaded_by`). NotAllowed when the dossier is not one the desk attaches papers to."""
    if not can_scan_at_counter(dossier, by):
        raise NotAllowed(_("Chỉ đính kèm bản quét vào hồ sơ nộp tại quầy đang giải quyết."))
    return add_attachment(dossier, upload=upload, slot=slot, by=by)


def remove_attachment(attachment: Attachment, *, by) -> None:
    if attachment.dossier.status != Status.DRAFT or attachment.uploaded_by_id != by.pk:
        raise NotAllowed(_("Không xóa được tệp này."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- the result as a file ---------------------------------------------------------------------------------


def result_for(user, code: str, pk: int) -> ResultFile | None:
    """Result file `pk` of dossier `code` if `user` may download it (the citizen who owns the dossier, an
    officer of its agency), else None: the caller answers 404 alike for a missing dossier or file."""
    dossier = dossier_for(user, code)
    if dossier is None or not role_for(user, dossier) & RESULT_READERS:
        return None
    item = ResultFile.objects.filter(dossier=dossier, pk=pk).first()
    if item is not None:
        item.dossier = dossier
    return item


def collect_online(dossier: Dossier, *, by) -> Dossier:
    """The citizen who owns the dossier downloads its result while it waits to be collected (status 9): it
    is delivered online (status 10, method "online"). Anyone else's download, a later one, or two at once
    change nothing more."""
    if dossier.status != Status.DONE or CITIZEN not in role_for(by, dossier):
        return dossier
    try:
        return perform(dossier, "collect_online", by=by)
    except NotAllowed:  # delivered a moment ago (another download, the desk)
        return dossier


# --- submission -------------------------------------------------------------------------------------------


def submit(draft: Dossier, *, by) -> Dossier:
    """File a draft: validate the declaration, give it a code and status 1. Submitting twice is harmless."""
    with transaction.atomic():
        draft = locked_dossiers().get(pk=draft.pk)  # the draft's row, not its agency's
        if draft.status != Status.DRAFT:
            return draft  # a double tap or a retried request: the dossier already exists
        if draft.applicant_id == by.pk:
            check_online(draft.procedure)
            check_identity(draft.procedure, by)
        if draft.procedure.parts.exists():  # a joined-up procedure: one dossier per part (bundles.py)
            clean_form(draft.procedure, draft.form_data)  # the whole declaration first, errors by field
            return file_joined(draft, by=by)
        return perform(draft, "submit", by=by)


@transaction.atomic
def file_online(
    *, procedure: Procedure, applicant, agency: Agency, form: dict, idempotency_key: str = ""
) -> Dossier:
    """File in one step (the API): a new dossier with this declaration, submitted at once; all or nothing."""
    draft = Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        applicant=applicant,
        applicant_name=applicant.full_name or applicant.username,
        applicant_phone=applicant.phone or "",
        channel=2,
        form_data=form,
        idempotency_key=idempotency_key,
    )
    return submit(draft, by=applicant)


def missing_documents(
    dossier: Dossier, *, slots: list[str] | None = None, documents: list[tuple[str, bool]] | None = None
) -> list[str]:
    """Required papers with no file yet, for online dossiers; the declaration filled online needs none.

    Filing is not blocked by them (some papers can only be shown at the counter, and API clients upload
    after creating the dossier), but the citizen is warned before submitting and the desk sees the list.
    `slots` (of its attachments) and `documents` (the procedure's, as name and required): already read.
    """
    if dossier.channel != 2:
        return []
    have = set(dossier.attachments.values_list("slot", flat=True) if slots is None else slots)
    if documents is None:
        documents = [(d.name, d.required) for d in dossier.procedure.documents.all()]
    missing = []
    for n, (name, required) in enumerate(documents, start=1):
        if required and str(n) not in have and not is_the_declaration(dossier.procedure, name):
            missing.append(name)
    return missing


def is_the_declaration(procedure: Procedure, name: str) -> bool:
    return bool(procedure.form_title) and "tờ khai" in name.lower()


def _file_for_someone(
    *,
    procedure: Procedure,
    agency: Agency,
    by,
    note: str,
    channel: int,
    applicant_name: str,
    applicant_phone: str,
    applicant_id_number: str,
    applicant_address: str,
    form: dict,
    applicant=None,
    idempotency_key: str = "",
    data: dict | None = None,
) -> Dossier:
    """File a dossier for a citizen who is not the one typing (status 1), recording who filed it."""
    phone = normalize_phone(applicant_phone) if applicant_phone else ""
    if applicant_phone and phone is None:
        raise Invalid({"applicant_phone": _("Số điện thoại không hợp lệ.")})
    if not applicant_name.strip():
        raise Invalid({"applicant_name": _("Cần ghi họ tên người nộp.")})
    if applicant is None and phone:
        # A citizen who already has an account finds the dossier in it too: the person on that phone with
        # this ID number or name (a household shares a phone; the others never see it).
        applicant = person_for(phone, full_name=applicant_name, id_number=applicant_id_number)
    dossier = Dossier.objects.create(
        agency=agency,
        procedure=procedure,
        applicant=applicant,
        applicant_name=nfc(applicant_name.strip()),
        applicant_phone=phone or "",
        applicant_id_number=applicant_id_number.strip(),
        applicant_address=nfc(applicant_address.strip()),
        filed_by=by,
        idempotency_key=idempotency_key,
        channel=channel,
        form_data=clean_form(procedure, form),
    )
    if procedure.parts.exists():  # a joined-up procedure: one dossier per part, the first one returned
        return file_joined(dossier, by=by, note=note, data=data)
    return perform(dossier, "submit", by=by, note=note, data=data)


@transaction.atomic
def file_on_behalf(
    *,
    procedure: Procedure,
    agency: Agency,
    by,
    applicant_name: str,
    applicant_phone: str,
    form: dict,
    consent: bool,
    applicant_id_number: str = "",
    applicant_address: str = "",
) -> Dossier:
    """A helper (community digital team) files for a citizen with their recorded consent: status 1, and the
    desk receives it as any online dossier. The helper is recorded as the one who filed (người nộp thay)."""
    return _file_for_someone(
        procedure=procedure,
        agency=agency,
        by=by,
        note=_("Nộp thay, người dân đã đồng ý"),
        channel=2,
        applicant_name=applicant_name,
        applicant_phone=applicant_phone,
        applicant_id_number=applicant_id_number,
        applicant_address=applicant_address,
        form=form,
        data={"consent": consent},
    )


def claim(dossier: Dossier, *, user) -> Dossier:
    """A dossier filed for someone joins their own account (after they proved the dossier's phone)."""
    if dossier.applicant_id == user.pk:
        return dossier
    try:
        return perform(dossier, "claim", by=user)
    except NotAllowed:
        raise NotAllowed(_("Hồ sơ này đã thuộc một tài khoản khác.")) from None


def file_at_counter(
    *,
    procedure: Procedure,
    agency: Agency,
    by,
    applicant_name: str,
    applicant_phone: str,
    applicant_id_number: str = "",
    applicant_address: str = "",
    form: dict,
    applicant=None,
    idempotency_key: str = "",
) -> Dossier:
    """An officer files for a citizen who came in person: straight to status 2, recording who filed."""
    officer = getattr(by, "officer", None)
    if officer is None or Role.ONESTOP not in officer.roles or officer.agency_id != agency.pk:
        raise Forbidden(_("Chỉ cán bộ một cửa của cơ quan mới tiếp nhận hồ sơ tại quầy."))
    with transaction.atomic():
        dossier = _file_for_someone(
            procedure=procedure,
            agency=agency,
            by=by,
            note=_("Nộp trực tiếp tại bộ phận một cửa"),
            channel=1,
            applicant_name=applicant_name,
            applicant_phone=applicant_phone,
            applicant_id_number=applicant_id_number,
            applicant_address=applicant_address,
            form=form,
            applicant=applicant,
            idempotency_key=idempotency_key,
        )
        return perform(dossier, "receive", by=by)


# --- public lookup ----------------------------------------------------------------------------------------


PUBLIC_FIELDS = (
    "code",
    "status",
    "substate",
    "due_at",
    "submitted_at",
    "received_at",
    "completed_at",
    "returned_at",
    "closed_at",
    "supplement_count",
    "applicant_phone",
    "claim_code_hash",
    "procedure__name",
    "procedure__name_en",
    "procedure__code",
)


# The busiest public read: compiling the same query took about half its CPU, so it is compiled once.
# Unordered: the code is unique.
_PUBLIC = Prepared(
    lambda code: (
        Dossier.objects.select_related("procedure")
        .exclude(status=Status.DRAFT)
        .filter(code=code)
        .only(*PUBLIC_FIELDS)
        .order_by()[:1]
    ),
    code=str,
)


def _public_dossier(code: str) -> Dossier | None:
    """A filed dossier by its code, with only what the public lookup may read (`PUBLIC_FIELDS`)."""
    found = _PUBLIC.objects(code=code)
    return found[0] if found else None


def lookup(*, code: str, phone_last4: str = "", claim_code: str = "") -> Dossier | None:
    """A dossier by its code (as typed: see `codes.normalize_code`) and the last four digits of the
    applicant's phone, or, for a person with no phone, the claim code printed on the receipt. None when
    either part is wrong."""
    code = normalize_code(code)
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone_last4 or "") if ch in "0123456789")
    if not code or (len(digits) != 4 and not claim_code.strip()):
        return None
    dossier = _public_dossier(code)
    if dossier is None:
        return None
    if len(digits) == 4 and dossier.applicant_phone and dossier.applicant_phone.endswith(digits):
        return dossier
    if claim_code_matches(dossier.code, claim_code, dossier.claim_code_hash):
        return dossier
    return None


def lookup_by_token(token: str) -> Dossier | None:
    """The dossier whose receipt's QR code carries `token`; None for a token we did not sign."""
    code = code_from_token(token)
    return _public_dossier(code) if code else None


def claimable(*, code: str, claim_code: str) -> Dossier | None:
    """A dossier filed for a person without a phone and not yet in anyone's account, when `claim_code` is
    the one printed on its receipt; None otherwise, whichever part is wrong."""
    dossier = Dossier.objects.filter(
        code=normalize_code(code), applicant__isnull=True, applicant_phone=""
    ).first()
    if dossier is None or not claim_code_matches(dossier.code, claim_code, dossier.claim_code_hash):
        return None
    return dossier


def overdue_filter(now) -> Q:
    """Open, not yet done, and past its due date (written so the open-dossier index serves it); a dossier
    whose clock is stopped only if it was already late when it stopped (`Dossier.is_overdue`)."""
    return Q(
        status__gt=0,
        due_at__lt=now,
        completed_at__isnull=True,
        returned_at__isnull=True,
        closed_at__isnull=True,
    ) & (Q(paused_at__isnull=True) | Q(paused_at__gt=F("due_at")))
