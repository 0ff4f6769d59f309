from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua import policy
from motcua.accounts.access import citizen_required, officer_required, subject_of
from motcua.dossiers.lifecycle import Forbidden, Invalid
from motcua.dossiers.services import dossier_for
from motcua.ratelimit import client_ip

from . import paygov, receipts, services, vnpay
from .models import Attempt, BankTransaction, PaymentRequest, Refund


def _pending(request, code: str) -> PaymentRequest:
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    payment = services.current_request(dossier)
    if payment is None:
        raise Http404
    return payment


@citizen_required
@require_safe
def qr(request, code: str):
    payment = _pending(request, code)
    data = services.vietqr_for(payment)
    if data is None or payment.state != PaymentRequest.State.PENDING:
        raise Http404
    response = HttpResponse(data["svg"], content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@require_POST
def pay_vnpay(request, code: str):
    payment = _pending(request, code)
    try:
        url = services.start_vnpay(
            payment,
            client_ip=client_ip(request),
            return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
            gateway_url=request.build_absolute_uri(services.settings.VNPAY_URL),
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(payment.dossier.get_absolute_url())
    return redirect(url)


@citizen_required
@require_POST
def pay_paygov(request, code: str):
    payment = _pending(request, code)
    try:
        url = services.start_paygov(payment, client_ip=client_ip(request))
    except (ValueError, paygov.PaygovError, OSError) as exc:
        messages.error(
            request,
            _("Chưa kết nối được Cổng thanh toán quốc gia (%(why)s). Bạn thử cách khác bên dưới.")
            % {"why": exc},
        )
        return redirect(payment.dossier.get_absolute_url() + "#nop-phi")
    return redirect(url)


@require_safe
def vnpay_return(request):
    """Where VNPay sends the citizen back. It only shows what happened; the IPN records the payment."""
    params = request.GET.dict()
    attempt = (
        Attempt.objects.select_related("request__dossier")
        .filter(txn_ref=params.get("vnp_TxnRef", ""))
        .first()
    )
    genuine = vnpay.verify(params, hash_secret=services.settings.VNPAY_HASH_SECRET)
    success = (
        genuine and params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"
    )
    return render(
        request,
        "payments/return.html",
        {
            "genuine": genuine,
            "success": success,
            "attempt": attempt,
            "message": vnpay.explain(params.get("vnp_ResponseCode", "")) if genuine and not success else "",
            "dossier": attempt.request.dossier
            if attempt
            and request.user.is_authenticated
            and dossier_for(request.user, attempt.request.dossier.code)
            else None,
        },
        status=200 if genuine else 400,
    )


# --- back office ------------------------------------------------------------------------------------------


@officer_required
@require_POST
def exempt(request, code: str):
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    try:
        services.grant_exemption(
            dossier,
            category_code=request.POST.get("category", ""),
            note=request.POST.get("note", "")[:300],
            by=request.user,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận miễn phí, lệ phí."))
    return redirect("office:dossier", code=code)


@officer_required
@require_POST
def refund(request, pk: int):
    """The desk gave a fee back: how (transfer or cash) and the transfer's reference or the cash voucher."""
    try:
        services.record_refund(
            pk,
            agency=request.user.officer.agency,
            by=request.user,
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", "")[:200],
        )
    except Refund.DoesNotExist:
        raise Http404 from None
    except Invalid as exc:
        for error in exc.errors.values():
            messages.error(request, error)
    except (ValueError, Forbidden) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận hoàn trả; người nộp được báo tin."))
    return redirect(reverse("payments:office") + "#hoan-tra")


@officer_required
@require_http_methods(["GET", "POST"])
def office(request):
    agency = request.user.officer.agency
    summary = None
    if request.method == "POST":
        if "resolve" in request.POST:
            credit = BankTransaction.objects.filter(agency=agency, pk=request.POST["resolve"]).first()
            if credit is None:
                raise Http404
            credit.resolved = True
            credit.save(update_fields=["resolved"])
            messages.success(request, _("Đã đánh dấu là đã xử lý."))
            return redirect("payments:office")
        if "reviewed" in request.POST:
            pk = request.POST["reviewed"]
            attempt = (
                Attempt.objects.filter(request__dossier__agency=agency, needs_review=True, pk=pk).first()
                if pk.isdigit()
                else None
            )
            if attempt is None:
                raise Http404
            attempt.needs_review = False
            attempt.save(update_fields=["needs_review"])
            messages.success(request, _("Đã đánh dấu giao dịch là đã kiểm tra xong."))
            return redirect("payments:office")
        upload = request.FILES.get("statement")
        if upload is None:
            messages.error(request, _("Chọn tệp sao kê (CSV hoặc XLSX)."))
        elif upload.size > 5 * 1024 * 1024:
            messages.error(request, _("Tệp sao kê quá lớn (tối đa 5 MB)."))
        else:
            summary = services.import_statement(agency, data=upload.read(), filename=upload.name)
    return render(
        request,
        "payments/office.html",
        {
            "summary": summary,
            "flagged": BankTransaction.objects.filter(agency=agency, resolved=False)
            .exclude(match=BankTransaction.Match.MATCHED)
            .select_related("request__dossier")[:200],
            "to_review": Attempt.objects.filter(
                request__dossier__agency=agency, needs_review=True, problem=Attempt.Problem.HELD
            ).select_related("request__dossier")[:200],
            "money_to_return": Attempt.objects.filter(request__dossier__agency=agency, needs_review=True)
            .exclude(problem=Attempt.Problem.HELD)
            .select_related("request__dossier")[:200],
            "attempts": Attempt.objects.filter(request__dossier__agency=agency).select_related(
                "request__dossier"
            )[:100],
            "refunds": services.refunds_of(agency),
            "refunded": services.refunds_of(agency, done=True),
            "can_refund": policy.allows(subject_of(request.user), policy.REFUND),
            "refusals": services.refusals_of(agency),
            "fee_receipts": receipts.office_receipts(agency),
        },
    )
