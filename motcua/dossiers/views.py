"""The citizen's pages: my dossiers, one dossier, public lookup (filing online is in filing.py)."""

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
from motcua.ratelimit import client_ip, retry_after, too_many
from motcua.workdays.services import describe_due

from . import services
from .files import QuotaExceeded, StorageFailed
from .lifecycle import CITIZEN, RESULT_METHODS, role_for
from .models import NEEDS_CITIZEN, Attachment, Dossier, Status
from .panels import panels_for

log = logging.getLogger(__name__)
CLAIMS_PER_WINDOW, CLAIM_WINDOW = 3, 900  # dossier codes a person may try in 15 minutes


def lookup_url(request, code: str) -> str:
    path = f"{reverse('dossiers:lookup')}?ma={code}"
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else request.build_absolute_uri(path)


def save_uploads(request, dossier, slots, *, supplement=None) -> list[str]:
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


# --- my dossiers ------------------------------------------------------------------------------------------

NEXT_STEP = {
    Status.NEW: gettext_lazy("Chờ bộ phận một cửa kiểm tra và tiếp nhận (thường trong 1 ngày làm việc)."),
    Status.RECEIVED: gettext_lazy("Hồ sơ đã được tiếp nhận và sẽ được chuyển cho cán bộ xử lý."),
    Status.PROCESSING: gettext_lazy("Cán bộ đang xử lý. Bạn chưa cần làm gì."),
    Status.SUPPLEMENT: gettext_lazy("Bạn cần gửi bổ sung các giấy tờ được yêu cầu."),
    Status.PAYMENT: gettext_lazy("Bạn cần nộp phí, lệ phí để hồ sơ được xử lý tiếp."),
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
    for d in dossiers:
        d.next_step_text = NEXT_STEP.get(d.status, "")
        d.unpaid = d.fee_pending and d.status not in NEEDS_CITIZEN
        if d.unpaid:
            d.next_step_text = gettext_lazy("Bạn cần nộp phí, lệ phí. Hồ sơ vẫn được xử lý trong lúc chờ.")
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
        # Back after filing lands here (filing.py): offer a new dossier of the same procedure.
        "file_again": dossier.procedure.code if request.GET.get("da-nop") == dossier.procedure.code else "",
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
    errors = save_uploads(request, dossier, services.slots_of(dossier.procedure), supplement=supplement)
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
