"""The citizen's pages: my dossiers, one dossier, public lookup (filing online is in filing.py)."""

import html
import io
import logging
from collections import Counter
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import citizen_required
from motcua.accounts.models import OneTimeCode
from motcua.accounts.services import CodeRefused, check_code, send_code
from motcua.catalog.models import shown
from motcua.prepared import Prepared
from motcua.ratelimit import client_ip, retry_after, too_many, too_many_batched
from motcua.workdays.services import describe_due

from . import keyset, services
from .bundles import bundle_for, bundles_of, parts_of
from .files import QuotaExceeded, StorageFailed
from .lifecycle import CITIZEN, RESULT_METHODS, role_for
from .models import CITIZEN_TODO, NEEDS_CITIZEN, Attachment, Dossier, Event, ResultFile, Status
from .panels import panels_for
from .states import labels

log = logging.getLogger(__name__)
CLAIMS_PER_WINDOW, CLAIM_WINDOW = 3, 900  # dossier codes a person may try in 15 minutes


def lookup_url(request, code: str) -> str:
    """The typed lookup with the code filled in. A public link: it carries no token, as anyone may ask
    qr.svg for any code; the receipt's QR code carries the signed token instead."""
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
    Status.PAYMENT: gettext_lazy("Bạn cần nộp %(fee)s để hồ sơ được xử lý tiếp."),
    Status.WITHDRAWN: gettext_lazy("Bạn đã yêu cầu rút hồ sơ. Cán bộ sẽ xác nhận."),
    Status.STOPPED: gettext_lazy("Hồ sơ đã dừng xử lý. Xem lý do bên dưới."),
    Status.REFUSED: gettext_lazy("Hồ sơ không được tiếp nhận. Xem lý do bên dưới."),
    Status.DONE: gettext_lazy("Đã có kết quả. Mời bạn đến nhận."),
    Status.RETURNED: gettext_lazy("Bạn đã nhận kết quả."),
}


ONLINE_RESULT_READY = gettext_lazy("Kết quả điện tử đã sẵn sàng: bạn tải về ngay.")


def collect(dossier, files=None) -> dict:
    """Where and when the citizen collects the result of a dossier in status 9, and its files if any."""
    agency = dossier.agency
    files = list(dossier.result_files.all()) if files is None else files
    return {
        "place": agency.collect_place,
        "address": agency.address,
        "hours": agency.collect_hours,
        "phone": agency.phone,
        "due_text": describe_due(dossier.due_at) if dossier.due_at else "",
        "files": files,
    }


MINE_PAGE_SIZE = 50  # most people have filed fewer: one page, and the rest by "Trang sau"
ACTION_NEEDED_CAP = 50
# A person's filed dossiers, newest first: the keyset of the pages of "Hồ sơ đã nộp".
MINE_KEYS = (("submitted_at", True), ("pk", True))
MINE_KINDS = ("datetime", "int")
MINE_FIELDS = (
    "submitted_at",
    "pk",
    "code",
    "status",
    "due_at",
    "returned_at",
    "procedure__name",
    "procedure__name_en",
    "bundle__code",
    "rated",
)


# What a card never shows of a procedure: its long texts, left in the database.
PROCEDURE_TEXTS = (
    *(f"{t}{lang}" for t in ("summary", "result", "who_may_apply", "source_note") for lang in ("", "_en")),
    "legal_basis",
    "keywords",
    "search_text",
)


STATUS_AT = MINE_FIELDS.index("status")


def _needs_action():
    """Waiting for the person (papers, a fee, a result to collect), or a fee still unpaid while it goes on."""
    return Q(status__in=CITIZEN_TODO) | Q(fee_pending=True)


def _mine(user):
    return services.visible_dossiers(user).filter(applicant=user)


def _others(user):
    """The person's dossiers that need nothing of them; a delivered one not rated yet says so (the rating
    is the event `rate`)."""
    return (
        _mine(user)
        .exclude(_needs_action())
        .annotate(rated=Exists(Event.objects.filter(dossier_id=OuterRef("pk"), action="rate")))
    )


# The queries of "Hồ sơ của tôi", prepared (compiled once per process): every visit reads them.
_ACTION_NEEDED = services.AsSeen(
    lambda user: (
        _mine(user)
        .filter(_needs_action())
        .select_related("procedure", "agency")
        .defer("form_data", *(f"procedure__{name}" for name in PROCEDURE_TEXTS))
        .order_by("-submitted_at", "-pk")[:ACTION_NEEDED_CAP]
    )
)
_OTHERS_FIRST_PAGE = services.AsSeen(
    lambda user, size: keyset.first_page(_others(user), MINE_KEYS, MINE_FIELDS, size)
)
_DRAFTS = Prepared(
    lambda user: (
        Dossier.objects.filter(applicant=user, status=Status.DRAFT)
        .select_related("procedure")
        .defer("form_data", *(f"procedure__{name}" for name in PROCEDURE_TEXTS))[:20]
    ),
    user=int,
)
_BUNDLES = Prepared(lambda user: bundles_of(user)[:20], user=int)


@citizen_required
@require_safe
def my_dossiers(request):
    user = request.user
    action_needed = _ACTION_NEEDED.objects(user)
    done = [d for d in action_needed if d.status == Status.DONE]
    files: dict[int, list] = {}
    if done:  # one query for every result file of the dossiers ready to collect
        for f in ResultFile.objects.filter(dossier__in=done):
            files.setdefault(f.dossier_id, []).append(f)
    fee_words: dict[int, str] = {}  # "phí" for a certification, "lệ phí" for a registration
    for d in action_needed:
        d.next_step_text = NEXT_STEP.get(d.status, "")
        d.unpaid = d.fee_pending and d.status not in NEEDS_CITIZEN
        if d.unpaid:
            d.next_step_text = gettext_lazy("Bạn cần nộp %(fee)s. Hồ sơ vẫn được xử lý trong lúc chờ.")
        if d.unpaid or d.status == Status.PAYMENT:
            if d.procedure_id not in fee_words:
                fee_words[d.procedure_id] = d.procedure.fee_word
            d.next_step_text = str(d.next_step_text) % {"fee": fee_words[d.procedure_id]}
        if d.status == Status.DONE:
            d.collect = collect(d, files.get(d.pk, []))
            if d.collect["files"]:
                d.next_step_text = ONLINE_RESULT_READY
    page = keyset.page(
        lambda: _others(user),
        MINE_KEYS,
        MINE_KINDS,
        request.GET,
        MINE_PAGE_SIZE,
        MINE_FIELDS,
        first=lambda: _OTHERS_FIRST_PAGE.rows(user, size=MINE_PAGE_SIZE),
    )
    if len(action_needed) < ACTION_NEEDED_CAP and not page.has_other_pages:  # all of them are here
        counts = Counter(d.status for d in action_needed) + Counter(
            row[STATUS_AT] for row in page.object_list
        )
    else:
        counts = services.counts_by_status(_mine(user))
    page.object_list = dossier_cards(page.object_list)
    bundles = _BUNDLES.objects(user=user.pk)
    return render(
        request,
        "dossiers/mine.html",
        {
            "action_needed": action_needed,
            "others": page.object_list,
            "cards": mark_safe("".join(card.html for card in page.object_list)),  # noqa: S308 — escaped
            "page": page,
            "counts": [(Status(s), counts.get(s, 0)) for s in Status if s != Status.DRAFT],
            "drafts": _DRAFTS.objects(user=user.pk),
            "bundles": [(b, parts_of(b)) for b in bundles],
        },
    )


class DossierCard:
    """One dossier of "Hồ sơ đã nộp", written once as HTML (the template joins them)."""

    __slots__ = ("code", "html")

    def __init__(self, code, html):
        self.code, self.html = code, html

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:  # already escaped, cell by cell
        return self.html


def dossier_cards(found) -> list[DossierCard]:
    """The cards of a person's dossiers, the words translated once for the page, not once a card, and each
    procedure's title once (its dossiers share it)."""
    statuses = labels(Status)
    filed_on, due_on = escape(_("Nộp ngày")), escape(_("hẹn trả"))
    part_of = escape(_("Một phần của hồ sơ liên thông"))
    rate = escape(_("Mời bạn đánh giá mức độ hài lòng"))
    here = timezone.get_current_timezone()
    titles: dict[tuple[str, str], str] = {}
    cards = []
    for submitted, _pk, code, status, due, returned, name, name_en, bundle, rated in found:
        code_text = html.escape(code)  # a dossier code: letters, digits, dots and dashes
        url = f"/ho-so/{quote(code)}/"
        title = titles.get((name, name_en))
        if title is None:
            title = titles[name, name_en] = str(conditional_escape(shown(name, name_en)))
        card = [
            f'<li class="card">\n<h3 class="card-title"><a href="{url}">{title}</a></h3>\n'
            f'<p><span class="status s{int(status)}">{statuses.get(status, "")}</span> · '
            f'<span class="code">{code_text}</span></p>\n<p class="meta">{filed_on} ',
            f"{submitted.astimezone(here):%d/%m/%Y}" if submitted else "",
            f" · {due_on} {due.astimezone(here):%d/%m/%Y}" if due and not returned else "",
            "</p>\n",
        ]
        if bundle:
            link = f"/ho-so/lien-thong/{quote(bundle)}/"
            card.append(f'<p class="meta"><a href="{link}">{part_of} {html.escape(bundle)}</a></p>\n')
        if status == Status.RETURNED and not rated:
            card.append(f'<p><a href="{url}#danh-gia">{rate}</a></p>\n')
        card.append("</li>")
        cards.append(DossierCard(code, mark_safe("".join(card))))  # noqa: S308 — every value escaped
    return cards


@citizen_required
@require_safe
def bundle_detail(request, code: str):
    """A joined-up filing (liên thông) as one page: each part with its body, status and next step."""
    bundle = bundle_for(request.user, code)
    if bundle is None:
        raise Http404
    parts = parts_of(bundle)
    return render(
        request,
        "dossiers/bundle.html",
        {
            "bundle": bundle,
            "parts": parts,
            "done": sum(p.done for p in parts),
            "ended": [p for p in parts if p.ended],
            "new": request.GET.get("moi") == "1",
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
    result = collect(dossier) if dossier.status in (Status.DONE, Status.RETURNED) else None
    next_step = NEXT_STEP.get(dossier.status, "")
    if dossier.status == Status.DONE and result["files"]:
        next_step = ONLINE_RESULT_READY
    elif dossier.status == Status.PAYMENT:
        next_step = str(next_step) % {"fee": dossier.procedure.fee_word}
    return {
        **panel_context,
        "panel_templates": panel_templates,
        "dossier": dossier,
        "events": dossier.events.filter(citizen_visible=True).select_related("actor"),
        "attachments": dossier.attachments.all(),
        "supplement": supplement,
        "slots": services.slots_of(dossier.procedure),
        "next_step": next_step,
        "due_text": describe_due(dossier.due_at) if dossier.due_at else "",
        "new": request.GET.get("moi") == "1",
        # Back after filing lands here (filing.py): offer a new dossier of the same procedure.
        "file_again": dossier.procedure.code if request.GET.get("da-nop") == dossier.procedure.code else "",
        "lookup_url": lookup_url(request, dossier.code),
        "can_withdraw": any(a.name == "withdraw" for a in services.available(dossier, request.user)),
        "result_method_label": RESULT_METHODS.get(dossier.result_method, ""),
        "collect": result,
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
def result_file(request, code: str, pk: int):
    """A dossier's result file, for the citizen who owns the dossier and the officers of its agency; for
    anyone else the same 404 as for a dossier or a file that does not exist.

    The owner's first download of a result ready to collect (status 9) is its delivery: the dossier moves
    to "Đã trả kết quả" with the method "trực tuyến" (a HEAD request fetches nothing and counts for
    nothing). The paper stays at the counter all the same."""
    item = services.result_for(request.user, code, pk)
    if item is None:
        raise Http404
    if request.method == "GET":
        services.collect_online(item.dossier, by=request.user)
    return result_response(item)


def result_response(item: ResultFile) -> FileResponse:
    """The file as a download (never shown inline in the site's origin), its type as sniffed on upload."""
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
    plain = f"ket-qua-{item.dossier.code}-{item.pk}.{ext.get(item.content_type, 'bin')}"
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{_quote(item.name)}"
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

# What comes next, for whoever holds the receipt: the applicant, a relative, the community team.
PUBLIC_NEXT_STEP = {
    **NEXT_STEP,
    Status.PROCESSING: gettext_lazy("Cán bộ đang xử lý. Người nộp chưa cần làm gì."),
    Status.SUPPLEMENT: gettext_lazy(
        "Người nộp cần bổ sung giấy tờ: xem phiếu yêu cầu bổ sung, hoặc hỏi bộ phận một cửa."
    ),
    Status.PAYMENT: gettext_lazy("Người nộp cần nộp phí, lệ phí để hồ sơ được xử lý tiếp."),
    Status.WITHDRAWN: gettext_lazy("Người nộp đã yêu cầu rút hồ sơ. Cán bộ sẽ xác nhận."),
    Status.STOPPED: gettext_lazy("Hồ sơ đã dừng xử lý. Người nộp hỏi lý do tại bộ phận một cửa."),
    Status.REFUSED: gettext_lazy("Hồ sơ không được tiếp nhận. Người nộp hỏi lý do tại bộ phận một cửa."),
    Status.DONE: gettext_lazy(
        "Đã có kết quả. Người nộp mang giấy tiếp nhận và giấy tờ tùy thân đến bộ phận một cửa để nhận."
    ),
    Status.RETURNED: gettext_lazy("Đã trả kết quả."),
}


def _lookup_page(request, *, code="", digits="", claim_code="", dossier=None, problem="", status=200):
    return render(
        request,
        "dossiers/lookup.html",
        {
            "code": code,
            "digits": digits,
            "claim_code": claim_code,
            "dossier": dossier,
            "problem": problem,
            "status": status,
            "next_step": PUBLIC_NEXT_STEP.get(dossier.status, "") if dossier else "",
            "due_text": describe_due(dossier.due_at) if dossier and dossier.due_at else "",
        },
        status=status,
    )


def _rate_limited(request) -> bool:
    # Counted in this process first and written in batches (motcua/ratelimit.py): a lookup does not write.
    return too_many_batched("lookup", client_ip(request), limit=settings.LOOKUP_RATE_LIMIT, window=600)


@require_safe
def public_lookup(request):
    """The typed lookup: a code and the last four digits of the phone (or, for a person without a phone,
    the printed claim code). A link with only the code (`?ma=`, an older receipt's QR code) fills the form
    in and asks for the rest; nothing was searched, so nothing is "not found"."""
    code = services.normalize_code(request.GET.get("ma", ""))
    digits = request.GET.get("so", "").strip()[:10]
    claim_code = request.GET.get("nhan", "").strip()[:20]
    page = {"code": code, "digits": digits, "claim_code": claim_code}
    if "so" not in request.GET and "nhan" not in request.GET:
        return _lookup_page(request, **page)
    if not (digits or claim_code):
        return _lookup_page(request, **page, problem="missing", status=422)
    if _rate_limited(request):
        return _lookup_page(request, **page, problem="limited", status=429)
    dossier = services.lookup(code=code, phone_last4=digits, claim_code=claim_code)
    if dossier is None:
        return _lookup_page(request, **page, problem="not_found", status=404)
    return _lookup_page(request, **page, dossier=dossier)


@require_safe
def lookup_by_token(request, token: str):
    """The receipt's QR code: its signed token opens the dossier's public status, nothing to type."""
    if _rate_limited(request):
        return _lookup_page(request, code=services.code_in_token(token), problem="limited", status=429)
    dossier = services.lookup_by_token(token)
    if dossier is None:
        return _lookup_page(request, code=services.code_in_token(token), problem="bad_token", status=404)
    return _lookup_page(request, code=dossier.code, dossier=dossier)


# --- claiming a dossier filed for me ----------------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def claim(request):
    """Bring a dossier someone filed for me into my account: its code, then a code sent to its phone — or,
    for a person without a phone, its code and the claim code printed on the receipt, in one step.

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
        code = services.normalize_code(request.POST["ma"])
        if request.POST.get("nhan", "").strip():
            return _claim_with_printed_code(request, code, request.POST["nhan"])
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
            return _claimed(request, dossier)
        error = _("Mã chưa đúng hoặc đã hết hạn.")
    return render(
        request, "dossiers/claim.html", {"step": step, "error": error}, status=422 if error else 200
    )


def _claim_with_printed_code(request, code: str, claim_code: str):
    """A dossier filed for a person without a phone: the claim code printed on its receipt stands in for
    the code a phone would receive. A wrong code and an unknown dossier get the same answer."""
    dossier = services.claimable(code=code, claim_code=claim_code)
    if dossier is not None:
        return _claimed(request, dossier)
    context = {
        "error": _("Mã hồ sơ hoặc mã nhận hồ sơ chưa đúng. Bạn kiểm tra lại hai mã in trên giấy tiếp nhận."),
        "code": code,
    }
    return render(request, "dossiers/claim.html", context, status=422)


def _claimed(request, dossier):
    services.claim(dossier, user=request.user)
    request.session.pop("claim", None)
    messages.success(request, _("Hồ sơ đã về tài khoản của bạn."))
    return redirect(dossier.get_absolute_url())
