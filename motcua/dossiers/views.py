"""The citizen's pages: file online, my dossiers, one dossier, public lookup."""

import io
import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import citizen_required
from motcua.accounts.models import OneTimeCode
from motcua.accounts.services import CodeRefused, check_code, send_code
from motcua.agencies.services import default_agency
from motcua.catalog.services import fee_summary, get_procedure, untranslated_note
from motcua.ratelimit import client_ip, retry_after, too_many
from motcua.text import whole_number
from motcua.workdays.services import describe_due

from . import services
from .declaration import DeclarationForm, answers
from .files import QuotaExceeded, StorageFailed
from .lifecycle import CITIZEN, RESULT_METHODS, role_for
from .models import NEEDS_CITIZEN, Attachment, Dossier, Status
from .panels import panels_for

log = logging.getLogger(__name__)
CLAIMS_PER_WINDOW, CLAIM_WINDOW = 3, 900  # dossier codes a person may try in 15 minutes


def lookup_url(request, code: str) -> str:
    path = f"{reverse('dossiers:lookup')}?ma={code}"
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


def _online_procedure(code: str):
    procedure = get_procedure(code)
    if procedure is None:
        raise Http404
    return procedure


def _save_uploads(request, dossier, slots, *, supplement=None) -> list[str]:
    """Store every file posted in `file-<slot>` inputs; return the messages for the ones refused. Once the
    dossier or the account is full, or the disk fails, the files after it are not tried."""
    errors = []
    for slot in slots:
        for upload in request.FILES.getlist(f"file-{slot}"):
            try:
                services.add_attachment(
                    dossier, upload=upload, slot=slot, by=request.user, supplement=supplement
                )
            except (QuotaExceeded, StorageFailed) as exc:
                return [*errors, str(exc)]
            except (services.BadFile, services.NotAllowed) as exc:
                errors.append(str(exc))
            except services.Invalid as exc:
                errors.append("; ".join(exc.errors.values()))
    return errors


@citizen_required
@require_http_methods(["GET", "POST"])
def file_online(request, code: str):
    procedure = _online_procedure(code)
    try:
        services.check_online(procedure)
    except services.NotAllowed:
        return render(request, "dossiers/counter_only.html", {"procedure": procedure}, status=200)
    try:
        services.check_identity(procedure, request.user)
    except services.Forbidden as exc:
        return render(request, "dossiers/counter_only.html", {"procedure": procedure, "reason": str(exc)})
    agency = default_agency()
    draft = services.start_draft(procedure=procedure, applicant=request.user, agency=agency)
    slots = services.slots_of(procedure)
    file_errors: list[str] = []
    if request.method == "POST":
        draft = services.save_draft(draft, data=request.POST)
        if remove := request.POST.get("xoa"):
            attachment = draft.attachments.filter(pk=whole_number(remove) or 0).first()
            if attachment:
                services.remove_attachment(attachment, by=request.user)
            return redirect(request.path + "#giay-to")
        file_errors = _save_uploads(request, draft, slots)
        form = DeclarationForm(procedure, data=request.POST)
        if request.POST.get("buoc") == "xem-lai" and form.is_valid() and not file_errors:
            return redirect("dossiers:review", code=procedure.code)
        if request.POST.get("buoc") != "xem-lai":
            form = DeclarationForm(procedure, initial=draft.form_data)
            messages.success(request, _("Đã lưu. Bạn có thể nộp tiếp trên máy khác bằng tài khoản này."))
    else:
        form = DeclarationForm(procedure, initial=draft.form_data)
    return render(
        request,
        "dossiers/file.html",
        {
            "procedure": procedure,
            "draft": draft,
            "form": form,
            "slots": _slot_rows(draft, slots),
            "file_errors": file_errors,
            "fee": fee_summary(procedure),
            "untranslated": untranslated_note(procedure, part="form"),
        },
    )


def _slot_rows(dossier, slots):
    """Upload slots for the page; the declaration being typed online needs no photo of itself."""
    attachments = list(dossier.attachments.all())
    documents = {str(n): d for n, d in enumerate(dossier.procedure.documents.all(), start=1)}
    return [
        {
            "key": key,
            "name": documents[key].tr("name") if key in documents else name,
            "document": documents.get(key),
            "files": [a for a in attachments if a.slot == key],
        }
        for key, name in slots.items()
        if not (key in documents and services.is_the_declaration(dossier.procedure, name))
    ]


@citizen_required
@require_http_methods(["GET", "POST"])
def review(request, code: str):
    procedure = _online_procedure(code)
    try:  # the review step is a URL of its own: without this, posting to it filed the procedure online
        services.check_online(procedure)
    except services.NotAllowed:
        return render(request, "dossiers/counter_only.html", {"procedure": procedure}, status=200)
    draft = services.start_draft(procedure=procedure, applicant=request.user, agency=default_agency())
    errors = {}
    if request.method == "POST":
        try:
            dossier = services.submit(draft, by=request.user)
        except services.Invalid as exc:
            errors = exc.errors
        except services.NotAllowed as exc:  # an identity level the account does not have yet
            errors = {"": str(exc)}
        else:
            return redirect(f"{dossier.get_absolute_url()}?moi=1")
    form = DeclarationForm(
        procedure, data={k: ("on" if v is True else v) for k, v in draft.form_data.items()}
    )
    form.is_valid()
    return render(
        request,
        "dossiers/review.html",
        {
            "procedure": procedure,
            "draft": draft,
            "form": form,
            "errors": errors,
            "slots": _slot_rows(draft, services.slots_of(procedure)),
            "fee": fee_summary(procedure),
            "missing": _in_reader_language(procedure, services.missing_documents(draft)),
            "answers": answers(procedure, draft.form_data),
            "untranslated": untranslated_note(procedure, part="form"),
        },
    )


def _in_reader_language(procedure, document_names: list[str]) -> list[str]:
    """Required papers named by the catalogue's Vietnamese names, as the reader's language has them."""
    shown = {d.name: d.tr("name") for d in procedure.documents.all()}
    return [shown.get(name, name) for name in document_names]


# --- my dossiers ------------------------------------------------------------------------------------------

NEXT_STEP = {
    Status.NEW: gettext_lazy("Chờ bộ phận một cửa kiểm tra và tiếp nhận (thường trong 1 ngày làm việc)."),
    Status.RECEIVED: gettext_lazy("Hồ sơ đã được tiếp nhận và sẽ được chuyển cho cán bộ xử lý."),
    Status.PROCESSING: gettext_lazy("Cán bộ đang xử lý. Bạn chưa cần làm gì."),
    Status.SUPPLEMENT: gettext_lazy("Bạn cần gửi bổ sung các giấy tờ được yêu cầu."),
    Status.PAYMENT: gettext_lazy("Bạn cần nộp %(fee)s để hồ sơ được xử lý tiếp."),
    Status.WITHDRAWN: gettext_lazy("Bạn đã yêu cầu rút hồ sơ. Cán bộ sẽ xác nhận."),
    Status.STOPPED: gettext_lazy("Hồ sơ đã dừng xử lý. Xem lý do bên dưới."),
    Status.REFUSED: gettext_lazy("Hồ sơ không được tiếp nhận. Xem lý do bên dưới."),
    Status.DONE: gettext_lazy("Đã có kết quả. Mời bạn nhận kết quả."),
    Status.RETURNED: gettext_lazy("Bạn đã nhận kết quả."),
}


@citizen_required
@require_safe
def my_dossiers(request):
    mine = services.visible_dossiers(request.user).filter(applicant=request.user)
    dossiers = list(mine.select_related("procedure").order_by("-submitted_at")[:200])
    fee_words: dict[int, str] = {}  # "phí" for a certification, "lệ phí" for a registration (one query each)
    for d in dossiers:
        d.next_step_text = NEXT_STEP.get(d.status, "")
        d.unpaid = d.fee_pending and d.status not in NEEDS_CITIZEN
        if d.unpaid:
            d.next_step_text = gettext_lazy("Bạn cần nộp %(fee)s. Hồ sơ vẫn được xử lý trong lúc chờ.")
        if d.unpaid or d.status == Status.PAYMENT:
            if d.procedure_id not in fee_words:
                fee_words[d.procedure_id] = d.procedure.fee_word
            d.next_step_text = str(d.next_step_text) % {"fee": fee_words[d.procedure_id]}
    counts = services.counts_by_status(mine)
    drafts = list(
        Dossier.objects.filter(applicant=request.user, status=Status.DRAFT).select_related("procedure")[:20]
    )
    return render(
        request,
        "dossiers/mine.html",
        {
            "action_needed": [d for d in dossiers if d.status in NEEDS_CITIZEN or d.unpaid],
            "others": [d for d in dossiers if d.status not in NEEDS_CITIZEN and not d.unpaid],
            "counts": [(Status(s), counts.get(s, 0)) for s in Status if s != Status.DRAFT],
            "drafts": drafts,
        },
    )


def _own_dossier(request, code: str) -> Dossier:
    dossier = services.dossier_for(request.user, code)
    if dossier is None or CITIZEN not in role_for(request.user, dossier):
        raise Http404
    return dossier


@citizen_required
@require_safe
def dossier_detail(request, code: str):
    dossier = _own_dossier(request, code)
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


def _detail_context(request, dossier):
    supplement = dossier.supplement_requests.filter(resolved_at__isnull=True).first()
    panel_templates, panel_context = panels_for(dossier)
    return {
        **panel_context,
        "panel_templates": panel_templates,
        "dossier": dossier,
        "events": dossier.events.filter(citizen_visible=True).select_related("actor"),
        "attachments": dossier.attachments.all(),
        "supplement": supplement,
        "slots": services.slots_of(dossier.procedure),
        "next_step": NEXT_STEP.get(dossier.status, ""),
        "due_text": describe_due(dossier.due_at) if dossier.due_at else "",
        "new": request.GET.get("moi") == "1",
        "lookup_url": lookup_url(request, dossier.code),
        "can_withdraw": any(a.name == "withdraw" for a in services.available(dossier, request.user)),
        "result_method_label": RESULT_METHODS.get(dossier.result_method, ""),
    }


@citizen_required
@require_POST
def answer_supplement(request, code: str):
    dossier = _own_dossier(request, code)
    supplement = dossier.supplement_requests.filter(resolved_at__isnull=True).first()
    if dossier.status != Status.SUPPLEMENT or supplement is None:
        messages.error(request, _("Hồ sơ này không còn chờ bổ sung."))
        return redirect(dossier.get_absolute_url())
    errors = _save_uploads(request, dossier, services.slots_of(dossier.procedure), supplement=supplement)
    if errors:
        context = _detail_context(request, dossier)
        context["file_errors"] = errors
        return render(request, "dossiers/detail.html", context, status=422)
    try:
        services.perform(dossier, "supplement", by=request.user, note=request.POST.get("note", ""))
    except services.Invalid as exc:
        context = _detail_context(request, dossier)
        context["file_errors"] = list(exc.errors.values())
        return render(request, "dossiers/detail.html", context, status=422)
    messages.success(request, _("Đã gửi bổ sung. Cán bộ sẽ xem lại hồ sơ của bạn."))
    return redirect(dossier.get_absolute_url())


@citizen_required
@require_POST
def withdraw(request, code: str):
    dossier = _own_dossier(request, code)
    try:
        services.perform(dossier, "withdraw", by=request.user, note=request.POST.get("note", ""))
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    except services.Invalid as exc:  # a reason longer than a note may be
        context = {**_detail_context(request, dossier), "withdraw_error": " ".join(exc.errors.values())}
        return render(request, "dossiers/detail.html", context, status=422)
    else:
        messages.success(request, _("Đã gửi yêu cầu rút hồ sơ."))
    return redirect(dossier.get_absolute_url())


@citizen_required
@require_safe
def attachment(request, code: str, pk: int):
    """A file of a dossier the person may see (its citizen, or an officer of its agency)."""
    dossier = services.dossier_for(request.user, code)
    if dossier is None:
        # The citizen's own draft, before it has a code, is reached through the filing page instead.
        raise Http404
    item = get_object_or_404(Attachment, dossier=dossier, pk=pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = (
        f"inline; filename=\"tep-{item.pk}\"; filename*=UTF-8''{_quote(item.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@citizen_required
@require_safe
def draft_attachment(request, code: str, pk: int):
    item = get_object_or_404(
        Attachment,
        pk=pk,
        dossier__status=Status.DRAFT,
        dossier__applicant=request.user,
        dossier__procedure__code=code,
    )
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_safe
@cache_control(max_age=86400, public=True)
def qr(request, code: str):
    """The QR code printed on the receipt: it opens the public lookup for this code."""
    if not services.CODE_PATTERN.match(code):
        raise Http404
    buffer = io.BytesIO()
    segno.make(lookup_url(request, code), error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# --- public lookup ----------------------------------------------------------------------------------------


@require_safe
def public_lookup(request):
    code = request.GET.get("ma", "").strip()[:40]
    digits = request.GET.get("so", "").strip()[:10]
    dossier, searched, status = None, bool(code or digits), 200
    if searched:
        if too_many("lookup", client_ip(request), limit=settings.LOOKUP_RATE_LIMIT, window=600):
            status = 429
        else:
            dossier = services.lookup(code=code, phone_last4=digits)
            status = 200 if dossier else 404
    return render(
        request,
        "dossiers/lookup.html",
        {
            "code": code,
            "digits": digits,
            "dossier": dossier,
            "searched": searched,
            "status": status,
            "due_text": describe_due(dossier.due_at) if dossier and dossier.due_at else "",
            "now": timezone.now(),
        },
        status=status,
    )


# --- claiming a dossier filed for me ----------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def claim(request):
    """Bring a dossier someone filed for me into my account: its code, then a code sent to its phone.

    The answer is the same whether or not the code exists, so the page tells a stranger nothing.
    """
    step = request.session.get("claim")
    error = ""
    if request.method == "POST" and "ma" in request.POST:
        # Counted for every code typed, known or not: the limit answers alike for both.
        if too_many("claim-user", str(request.user.pk), limit=CLAIMS_PER_WINDOW, window=CLAIM_WINDOW):
            wait = retry_after("claim-user", str(request.user.pk), window=CLAIM_WINDOW)
            context = {"step": step, "error": _("Bạn đã thử nhiều lần. Vui lòng đợi 15 phút rồi thử lại.")}
            response = render(request, "dossiers/claim.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        code = request.POST["ma"].strip().upper()[:40]
        dossier = (
            Dossier.objects.filter(code=code, applicant__isnull=True).exclude(applicant_phone="").first()
        )
        if dossier is not None:
            try:
                send_code(dossier.applicant_phone, purpose=OneTimeCode.Purpose.CLAIM, ip=client_ip(request))
            except (CodeRefused, ValueError):
                # Said the same way as for an unknown code; the person can ask again after the wait.
                log.info("Claim code for %s not sent", dossier.code)
        request.session["claim"] = {"code": code, "phone": dossier.applicant_phone if dossier else ""}
        return redirect("dossiers:claim")
    elif request.method == "POST" and step:
        if step["phone"] and check_code(
            step["phone"], purpose=OneTimeCode.Purpose.CLAIM, code=request.POST.get("otp", "")
        ):
            dossier = Dossier.objects.get(code=step["code"])
            services.claim(dossier, user=request.user)
            del request.session["claim"]
            messages.success(request, _("Hồ sơ đã về tài khoản của bạn."))
            return redirect(dossier.get_absolute_url())
        error = _("Mã chưa đúng hoặc đã hết hạn.")
    return render(
        request, "dossiers/claim.html", {"step": step, "error": error}, status=422 if error else 200
    )
