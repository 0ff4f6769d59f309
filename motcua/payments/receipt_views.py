"""The officers' button that issues a fee's e-receipt again after a failure (/can-bo/thanh-toan/)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.access import officer_required

from . import receipts
from .models import PaymentRequest, Receipt


@officer_required
@require_POST
def issue_receipt(request, pk: int):
    agency = request.user.officer.agency
    if not PaymentRequest.objects.filter(pk=pk, dossier__agency=agency).exists():
        raise Http404
    receipt = receipts.issue_now(pk)
    if receipt is not None and receipt.is_issued:
        messages.success(request, _("Đã phát hành biên lai số %(number)s.") % {"number": receipt.number_text})
    elif receipt is not None and receipt.state == Receipt.State.FAILED:
        messages.error(request, _("Chưa phát hành được biên lai: %(error)s") % {"error": receipt.error})
    elif receipt is None and receipts.configured_issuer() is None:
        messages.error(request, _("Chưa cấu hình đơn vị phát hành biên lai điện tử."))
    else:
        messages.info(request, _("Khoản này không cần phát hành biên lai."))
    return redirect(reverse("payments:office") + "#bien-lai")
