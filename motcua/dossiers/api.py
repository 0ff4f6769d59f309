"""Dossiers in the JSON API (/api/v1/dossiers, bearer token) and the public lookup (/api/v1/lookup).

Endpoints raise what the services raise — `Invalid`, `NotAllowed`, `Forbidden`, `Http404` for what the
caller may not see — and motcua/api/api.py turns them into 422, 409, 403 and 404 for every router.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, responses
from ninja.errors import HttpError
from ninja.files import UploadedFile

from motcua.accounts.api import BearerToken
from motcua.agencies.services import default_agency
from motcua.catalog.services import get_procedure
from motcua.ratelimit import client_ip, too_many_batched

from . import reading, services
from .bundles import sibling_codes
from .files import QuotaExceeded, StorageFailed
from .lifecycle import ACTIONS, CITIZEN, OWN_PATHS, RESULT_READERS, role_for
from .models import Channel, Dossier, Status
from .reading import Read
from .views import result_response

# Operation ids are published in /api/v1/openapi.json and generated clients name their methods after
# them: they keep the names they had when these routers lived in motcua/api/dossiers.py.
router = Router(tags=["dossiers"], auth=BearerToken())
lookup_router = Router(tags=["lookup"])

# Parts of a dossier's answer that an app above dossiers owns, by key: payments adds "payment" when
# Django starts (PaymentsConfig.ready), so this module never imports the apps that build on it.
DOSSIER_PARTS: dict[str, Callable[[Dossier], dict | None]] = {}


MAX_OFFSET = 10**9  # beyond any agency's dossiers; the database refuses an offset past 2**63 (500)
MAX_ITEMS = 50  # papers a supplement request lists; each is cut at 500 characters


def not_found() -> str:
    return _("Không tìm thấy hồ sơ.")


class ApplicantIn(Schema):
    name: str = Field(max_length=150)
    phone: str = Field("", max_length=20)
    id_number: str = Field("", max_length=12)
    address: str = Field("", max_length=255)


class DossierIn(Schema):
    procedure: str
    form: dict = Field(
        {},
        description=(
            "The declaration, by field name. A name or an address written without diacritics "
            '("nguyen van an") is refused (422) unless listed in "as_written": ["child_name"], '
            "the fields the person confirmed as written on their papers."
        ),
    )
    applicant: ApplicantIn | None = None
    idempotency_key: str = ""


class ActionIn(Schema):
    note: str = ""  # perform refuses a note over MAX_NOTE characters by name (422)
    items: list[str] | None = Field(None, max_length=MAX_ITEMS)
    amount_vnd: int | None = None
    new_due_date: str | None = None
    method: str | None = None
    assignee: int | None = None
    reason: str | None = None
    receipt_number: str | None = None
    # correct_declaration: the answers that change, and the applicant's name and address as corrected
    form: dict | None = None
    applicant_name: str | None = Field(None, max_length=150)
    applicant_address: str | None = Field(None, max_length=255)


def _iso(value):
    return value.isoformat() if value else None


def dossier_out(dossier: Dossier, user, read: Read | None = None) -> dict:
    """The dossier as the API answers it. `read`: its lists already read (the detail, `reading.read`);
    without it (the dossier an action or a filing just wrote) they are read here."""
    is_officer = bool(role_for(user, dossier) - {CITIZEN})
    if read is None:
        read = _read_lists(dossier)
    events = read.events if is_officer else [e for e in read.events if e["visible"]]
    supplement = read.supplement
    answer = {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "status": {
            "code": dossier.status,
            "label": dossier.status_label,
            "substate": dossier.substate or None,
        },
        "applicant": {"name": dossier.applicant_name, "phone": dossier.applicant_phone},
        "channel": dossier.channel,
        "form": dossier.form_data,
        "submitted_at": _iso(dossier.submitted_at),
        "received_at": _iso(dossier.received_at),
        "due_at": _iso(dossier.due_at),
        "completed_at": _iso(dossier.completed_at),
        "returned_at": _iso(dossier.returned_at),
        "on_time": dossier.on_time,
        "fee": {"amount_vnd": dossier.fee_vnd} if dossier.fee_vnd is not None else None,
        "payment": None,
        "supplement_request": {
            "items": supplement.items,
            "reason": supplement.reason,
            "requested_at": _iso(supplement.requested_at),
            "resolved_at": _iso(supplement.resolved_at),
        }
        if supplement
        else None,
        "missing_documents": services.missing_documents(
            dossier, slots=[a["slot"] for a in read.attachments], documents=read.documents
        ),
        "attachments": read.attachments,
        "events": [
            {
                "at": _iso(e["at"]),
                "action": e["action"],
                "from_status": e["from_status"],
                "to_status": e["to_status"],
                "actor": e["actor"] if is_officer else None,
                "role": e["role"],
                "note": e["note"],
            }
            for e in events
        ],
        "actions": [a.name for a in services.available(dossier, user)],
        "result": _result_out(dossier, user, read.result_files),
        # A part of a joined-up filing: its bundle's code and the codes of the other parts, in order.
        "bundle": {"code": dossier.bundle.code, "part": dossier.part, "siblings": read.siblings}
        if dossier.bundle_id
        else None,
    }
    answer.update(
        (key, read.parts[key] if key in read.parts else part(dossier)) for key, part in DOSSIER_PARTS.items()
    )
    if claim_code := getattr(dossier, "issued_claim_code", ""):
        # Just issued (received for a person without a phone, or re-issued): given once, never again.
        answer["claim_code"] = services.format_claim_code(claim_code)
    return answer


def _read_lists(dossier: Dossier) -> Read:
    """What `reading.read` reads with the dossier, read by the ORM for a dossier already in hand."""
    answer = Read(dossier)
    answer.events = [
        {
            "at": e.at,
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": str(e.actor) if e.actor else None,
            "role": e.role,
            "note": e.note,
            "visible": e.citizen_visible,
        }
        for e in dossier.events.select_related("actor")
    ]
    answer.attachments = [
        {"id": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256, "slot": a.slot}
        for a in dossier.attachments.all()
    ]
    answer.result_files = None  # read only for those who may download them (_result_out)
    answer.supplement = dossier.supplement_requests.first()
    if dossier.channel == Channel.ONLINE:  # only online dossiers list missing documents
        answer.documents = [(d.name, d.required) for d in dossier.procedure.documents.all()]
    answer.siblings = sibling_codes(dossier)
    return answer


def _result_out(dossier: Dossier, user, result_files: list | None) -> dict:
    """How the result is given: the delivery method once delivered, the files to download (for those who
    may), and where and when to collect the paper while it waits (status 9)."""
    readable = bool(role_for(user, dossier) & RESULT_READERS)
    if not readable:
        files = []
    else:
        files = result_files if result_files is not None else list(dossier.result_files.all())
    agency = dossier.agency
    return {
        "method": dossier.result_method or None,
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "content_type": f.content_type,
                "uploaded_at": _iso(f.uploaded_at),
                "url": f"/api/v1/dossiers/{dossier.code}/results/{f.pk}",
                "page_url": f.get_absolute_url(),
            }
            for f in files
        ],
        "collect": {
            "place": agency.collect_place,
            "address": agency.address,
            "opening_hours": agency.collect_hours,
            "phone": agency.phone,
            "due_at": _iso(dossier.due_at),
        }
        if dossier.status == Status.DONE
        else None,
    }


def _visible(request, code: str) -> Dossier:
    dossier = services.dossier_for(request.auth, code)
    if dossier is None:
        raise Http404(not_found())
    return dossier


@router.post(
    "",
    response={201: dict},
    summary="Nộp hồ sơ (công dân), hoặc nộp thay tại quầy (cán bộ một cửa)",
    operation_id="motcua_api_dossiers_create",
)
def create(request, payload: DossierIn):
    user = request.auth
    procedure = get_procedure(payload.procedure)
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục này."))
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    key = key.strip()[:64]
    if key:
        mine = Q(filed_by=user) if payload.applicant is not None else Q(applicant=user)
        existing = Dossier.objects.filter(mine, idempotency_key=key).exclude(status=Status.DRAFT).first()
        if existing is not None:  # a retried request: answer with the dossier it already made
            return responses.Status(201, dossier_out(existing, user))
    try:
        if payload.applicant is not None:
            officer = getattr(user, "officer", None)
            if officer is None:
                raise services.Forbidden(_("Chỉ cán bộ một cửa mới nộp thay được."))
            dossier = services.file_at_counter(
                procedure=procedure,
                agency=officer.agency,
                by=user,
                form=payload.form,
                applicant_name=payload.applicant.name,
                applicant_phone=payload.applicant.phone,
                applicant_id_number=payload.applicant.id_number,
                applicant_address=payload.applicant.address,
                idempotency_key=key,
            )
        else:
            services.check_online(procedure)
            dossier = services.file_online(
                procedure=procedure,
                applicant=user,
                agency=default_agency(),
                form=payload.form,
                idempotency_key=key,
            )
    except IntegrityError:  # the same key at the same instant: the other request made the dossier
        mine = Q(filed_by=user) if payload.applicant is not None else Q(applicant=user)
        dossier = Dossier.objects.get(mine, idempotency_key=key)
    return responses.Status(201, dossier_out(dossier, user))


@router.get(
    "",
    summary="Hồ sơ của tôi (công dân) hoặc của cơ quan (cán bộ)",
    operation_id="motcua_api_dossiers_list_dossiers",
)
def list_dossiers(
    request,
    status: int | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    dossiers = services.visible_dossiers(request.auth).select_related("procedure")
    if status is not None:
        dossiers = dossiers.filter(status=status)
    total = dossiers.count()
    page = dossiers.order_by("-submitted_at", "-pk")[offset : offset + limit]
    return {
        "count": total,
        "items": [
            {
                "code": d.code,
                "procedure": {"code": d.procedure.code, "name": d.procedure.name},
                "status": {"code": d.status, "label": d.status_label, "substate": d.substate or None},
                "submitted_at": _iso(d.submitted_at),
                "due_at": _iso(d.due_at),
                "applicant": d.applicant_name,
            }
            for d in page
        ],
    }


@router.get("/{code}", summary="Một hồ sơ", operation_id="motcua_api_dossiers_detail")
def detail(request, code: str):
    read = reading.read(request.auth, code)  # two queries; the bearer check made the first
    if read is None:
        raise Http404(not_found())
    return dossier_out(read.dossier, request.auth, read)


@router.post(
    "/{code}/attachments",
    response={201: dict},
    summary="Gửi một tệp vào một thành phần hồ sơ",
    operation_id="motcua_api_dossiers_upload",
)
def upload(request, code: str, slot: Form[str], file: File[UploadedFile]):
    dossier = _visible(request, code)
    supplement = dossier.supplement_requests.filter(resolved_at__isnull=True).first()
    try:
        attachment = services.add_attachment(
            dossier, upload=file, slot=slot, by=request.auth, supplement=supplement
        )
    except QuotaExceeded as exc:  # the dossier or the citizen has stored all they may
        raise HttpError(413, str(exc)) from exc
    except services.BadFile as exc:  # what is wrong with the file is what is wrong with the field `file`
        raise services.Invalid({"file": str(exc)}) from exc
    except StorageFailed as exc:  # the disk is full or failing; nothing was kept
        raise HttpError(503, str(exc)) from exc
    return responses.Status(
        201,
        {
            "id": attachment.pk,
            "name": attachment.name,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "slot": attachment.slot,
        },
    )


@router.post(
    "/{code}/results",
    summary="Đính kèm tệp kết quả (cán bộ; hồ sơ đã xử lý xong)",
    operation_id="motcua_api_dossiers_attach_result",
)
def attach_result(request, code: str, file: File[UploadedFile], note: Form[str] = ""):
    dossier = _visible(request, code)
    dossier = services.perform(
        dossier, "attach_result", by=request.auth, note=note, data={"result_file": file}
    )
    return dossier_out(dossier, request.auth)


@router.get(
    "/{code}/results/{pk}",
    summary="Tải tệp kết quả (người nộp lần đầu tải: đã trả kết quả trực tuyến)",
    operation_id="motcua_api_dossiers_result",
)
def result(request, code: str, pk: int):
    item = services.result_for(request.auth, code, pk)
    if item is None:
        raise Http404(not_found())
    services.collect_online(item.dossier, by=request.auth)
    return result_response(item)


@router.post(
    "/{code}/actions/{action}",
    summary="Thực hiện một thao tác xử lý hồ sơ",
    operation_id="motcua_api_dossiers_act",
)
def act(request, code: str, action: str, payload: ActionIn):
    dossier = _visible(request, code)
    if action not in ACTIONS or action in OWN_PATHS:
        raise Http404(_("Không có thao tác này."))
    dossier = services.perform(
        dossier,
        action,
        by=request.auth,
        note=payload.note,
        data=payload.dict(exclude={"note"}, exclude_none=True),
    )
    return dossier_out(dossier, request.auth)


@lookup_router.get(
    "",
    summary="Tra cứu công khai bằng mã hồ sơ và 4 số cuối điện thoại",
    description=(
        "Người nộp không có điện thoại: `claim_code` (mã nhận hồ sơ in trên giấy tiếp nhận) thay cho "
        "`phone_last4`. Hoặc chỉ `token`, mã ký số trong mã QR của giấy tiếp nhận."
    ),
    operation_id="motcua_api_dossiers_lookup",
)
def lookup(request, code: str = "", phone_last4: str = "", claim_code: str = "", token: str = ""):
    if too_many_batched("lookup", client_ip(request), limit=settings.LOOKUP_RATE_LIMIT, window=600):
        raise HttpError(429, _("Bạn đã tra cứu quá nhiều lần. Vui lòng đợi 10 phút rồi thử lại."))
    if token:
        dossier = services.lookup_by_token(token[:100])
    else:
        dossier = services.lookup(code=code[:80], phone_last4=phone_last4[:10], claim_code=claim_code[:20])
    if dossier is None:
        raise Http404(not_found())
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "status": {"code": dossier.status, "label": dossier.status_label},
        "submitted_at": _iso(dossier.submitted_at),
        "due_at": _iso(dossier.due_at),
        "on_time": dossier.on_time,
    }
