"""/can-bo/dong-bo/: what the agency told the national portal, what is waiting, what failed and why."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from motcua.accounts.access import officer_required
from motcua.dossiers.models import Status

from . import conf, services
from .models import SyncState

PAGE_SIZE = 50
FILTERS = {"loi": SyncState.FAILED, "cho": SyncState.PENDING, "chua-cau-hinh": SyncState.UNCONFIGURED}


@officer_required
@require_safe
def records(request):
    agency = request.user.officer.agency
    shown = request.GET.get("loc", "")
    state = FILTERS.get(shown, "")
    page = Paginator(services.records(agency, state=state), PAGE_SIZE).get_page(request.GET.get("trang"))
    statuses = dict(Status.choices)
    for record in page.object_list:
        code = record.portal_status
        record.status_label = statuses.get(int(code), code) if code.isdigit() else code
    counts = services.state_counts(agency)
    context = {
        "agency": agency,
        "page": page,
        "shown": shown,
        "filters": [
            ("loi", _("Không gửi được"), counts.get(SyncState.FAILED, 0)),
            ("cho", _("Chờ gửi"), counts.get(SyncState.PENDING, 0)),
            ("chua-cau-hinh", _("Chưa cấu hình"), counts.get(SyncState.UNCONFIGURED, 0)),
        ],
        "configured": conf.configured(),
        "unit_code": conf.get("UNIT_CODE") or agency.agency_id,
        "fields_without_code": services.fields_without_code(),
        "S": SyncState,
    }
    return render(request, "nationalportal/records.html", context)


@officer_required
@require_POST
def resend(request, pk: int):
    record = services.record_of(request.user.officer.agency, pk)
    if record is None:
        raise Http404
    if record.state != SyncState.FAILED:
        messages.error(request, _("Chỉ gửi lại được bản ghi chưa gửi được."))
    else:
        services.resend(record, by=request.user)
        messages.success(request, _("Đã xếp bản ghi vào hàng đợi để gửi lại."))
    return redirect(reverse("nationalportal:records") + "?loc=loi")
