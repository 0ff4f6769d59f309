"""The pages of feedback and of the satisfaction rating. Thin: access, form, service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.accounts.access import citizen_required, officer_required
from motcua.accounts.phones import normalize_phone
from motcua.agencies.models import Role
from motcua.dossiers import services as dossiers
from motcua.dossiers.lifecycle import CITIZEN, role_for
from motcua.dossiers.models import Status
from motcua.dossiers.satisfaction import MAX_COMMENT, SCORE_WORDS
from motcua.ratelimit import client_ip, network

from . import services
from .forms import AnswerForm, FeedbackForm, criteria_rows, posted_rating
from .models import Feedback

# --- feedback: the public page ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public(request):
    """Send a complaint or suggestion; read the answers published."""
    form = FeedbackForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        phone = normalize_phone(request.POST.get("phone", "")) or request.POST.get("phone", "")[:20]
        if services.flooding(phone=phone, network=network(client_ip(request))):
            form.add_error(
                None, _("Bạn đã gửi quá nhiều phản ánh. Vui lòng thử lại sau, hoặc gọi bộ phận một cửa.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item, texted = services.send_feedback(
                    kind=data["kind"],
                    text=data["text"],
                    name=data["name"],
                    phone=data["phone"],
                    dossier_code=data["dossier_code"],
                    consent=data["consent"],
                    upload=data["file"],
                )
            except services.BadFeedback as bad:
                for field, message in bad.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                request.session["feedback_sent"] = item.pk
                return redirect("feedback:sent")
    page = Paginator(Feedback.objects.published().order_by("-answered_at", "-pk"), 10).get_page(
        request.GET.get("trang")
    )
    return render(request, "feedback/public.html", {"form": form, "page": page}, status=status)


@require_safe
def sent(request):
    """Thanks, the number and the deadline: only to whoever sent it, in this session."""
    item = Feedback.objects.filter(pk=request.session.get("feedback_sent") or 0).first()
    if item is None:
        return redirect("feedback:public")
    return render(request, "feedback/sent.html", {"item": item})


@require_safe
def answer_page(request, key: str):
    """The sender's own item and its answer, from the link in the text they received."""
    item = get_object_or_404(Feedback, key=key[:16])
    return render(request, "feedback/answer.html", {"item": item})


# --- feedback: the back office ------------------------------------------------------------------------------


def _agency(request):
    return request.user.officer.agency


@officer_required
@require_safe
def office_queue(request):
    items = services.queue(_agency(request))
    now = timezone.now()
    page = Paginator(items, 50).get_page(request.GET.get("trang"))
    for item in page:
        item.late = item.is_late(now)
    open_items = Feedback.objects.filter(agency=_agency(request), answered_at__isnull=True)
    return render(
        request,
        "feedback/office/queue.html",
        {"page": page, "open": open_items.count(), "late": open_items.late(now).count()},
    )


def _item_or_404(request, pk: int) -> Feedback:
    return get_object_or_404(
        Feedback.objects.select_related("dossier", "assigned_to"), pk=pk, agency=_agency(request)
    )


@officer_required
@require_http_methods(["GET", "POST"])
def office_item(request, pk: int):
    item = _item_or_404(request, pk)
    answer_form = AnswerForm(
        initial={"public_question": item.public_question, "publish": item.consent_publish}
    )
    status, assign_error = 200, ""
    if request.method == "POST" and request.POST.get("do") == "assign":
        try:
            services.assign(item, user_id=request.POST.get("assignee") or 0, by=request.user)
        except services.BadFeedback as bad:
            assign_error, status = bad.errors["assignee"], 422
        else:
            messages.success(request, _("Đã giao cho cán bộ xử lý."))
            return redirect("feedback:office_item", pk=item.pk)
    elif request.method == "POST":
        answer_form = AnswerForm(request.POST)
        if answer_form.is_valid():
            data = answer_form.cleaned_data
            try:
                services.answer(
                    item,
                    by=request.user,
                    text=data["answer"],
                    public_question=data["public_question"],
                    publish=data["publish"],
                    site=request.build_absolute_uri("/").rstrip("/"),
                )
            except services.BadFeedback as bad:
                for field, message in bad.errors.items():
                    answer_form.add_error(field, message)
            else:
                messages.success(request, _("Đã trả lời. Người gửi được báo bằng tin nhắn."))
                return redirect("feedback:office_item", pk=item.pk)
        status = 422
    return render(
        request,
        "feedback/office/item.html",
        {
            "item": item,
            "late": item.is_late(),
            "answer_form": answer_form,
            "officers": services.assignable_officers(item.agency),
            "assign_error": assign_error,
        },
        status=status,
    )


@officer_required
@require_safe
def office_file(request, pk: int):
    """The file a sender attached: the officers of the agency it was sent to, nobody else (404)."""
    item = _item_or_404(request, pk)
    if not item.file:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.file_type, as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the satisfaction rating --------------------------------------------------------------------------------


def _rating_context(dossier, post=None, errors=None):
    return {
        "dossier": dossier,
        "criteria": criteria_rows(post),
        "scores": [(n, SCORE_WORDS[n]) for n in SCORE_WORDS],
        "comment": (post or {}).get("comment", ""),
        "max_comment": MAX_COMMENT,
        "errors": errors or {},
    }


def _rate(request, dossier, template: str, done):
    """GET the form, POST the rating: `done(dossier)` is the answer after a rating."""
    rated = services.rating_of(dossier)
    if rated is not None or request.method == "GET":
        context = {**_rating_context(dossier), "rated": rated}
        return render(request, template, context, status=409 if rated and request.method == "POST" else 200)
    score, criteria, comment = posted_rating(request.POST)
    try:
        services.rate(dossier, by=request.user, score=score, criteria=criteria, comment=comment)
    except dossiers.Invalid as bad:
        return render(request, template, _rating_context(dossier, request.POST, bad.errors), status=422)
    except dossiers.NotAllowed as refused:
        context = {**_rating_context(dossier), "rated": services.rating_of(dossier), "refused": str(refused)}
        return render(request, template, context, status=409)
    return done(dossier)


@citizen_required
@require_http_methods(["GET", "POST"])
def rate_mine(request, code: str):
    """The citizen rates their own delivered dossier; anyone else: the 404 of an unknown code."""
    dossier = dossiers.dossier_for(request.user, code)
    if dossier is None or CITIZEN not in role_for(request.user, dossier):
        raise Http404
    if dossier.status != Status.RETURNED:
        messages.error(request, _("Bạn đánh giá được khi hồ sơ đã trả kết quả."))
        return redirect(dossier.get_absolute_url())

    def done(dossier):
        messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp xã phục vụ tốt hơn."))
        return redirect(dossier.get_absolute_url())

    return _rate(request, dossier, "feedback/rate.html", done)


@officer_required
@require_http_methods(["GET", "POST"])
def rate_at_counter(request, code: str):
    """The counter tablet: the desk opens it for the citizen in front of them; big buttons, nothing of the
    officer's on it. Officers other than the desk of the dossier's agency: the 404 of an unknown code."""
    dossier = dossiers.dossier_for(request.user, code)
    if dossier is None or Role.ONESTOP not in role_for(request.user, dossier):
        raise Http404
    if dossier.status != Status.RETURNED:
        messages.error(request, _("Chỉ mời đánh giá khi hồ sơ đã trả kết quả."))
        return redirect("office:dossier", code=dossier.code)
    return _rate(
        request,
        dossier,
        "feedback/counter.html",
        lambda d: render(request, "feedback/counter_thanks.html", {"dossier": d}),
    )
