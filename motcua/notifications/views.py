"""/thong-bao/ (a person's messages and how they want them) and /can-bo/tin-nhan/ (the agency's outbox)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import citizen_required, officer_required

from . import conf, services
from .forms import ChannelForm
from .models import Channel, MessageStatus, SmsBudget

PAGE_SIZE = 30
OUTBOX_PAGE_SIZE = 50


@citizen_required
@require_safe
def inbox(request):
    page = Paginator(services.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    channels = services.channels_for(request.user)
    outside = [Channel(c).label for c in channels if c != Channel.INAPP]
    return render(request, "notifications/inbox.html", {"page": page, "outside": outside})


@citizen_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    usable = services.usable_channels()
    form = ChannelForm(request.POST or None, user=request.user, usable=usable)
    if request.method == "POST" and form.is_valid():
        services.set_channels(request.user, channels=form.channels())
        services.set_news(request.user, news=form.cleaned_data["news"])
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:inbox")
    if not form.is_bound:
        current = [c for c in services.channels_for(request.user) if c != Channel.INAPP]
        form.initial["first"] = current[0] if current else Channel.INAPP
        form.initial["news"] = services.wants_news(request.user)
    return render(request, "notifications/preferences.html", {"form": form})


@officer_required
@require_safe
def outbox(request):
    agency = request.user.officer.agency
    development = conf.development()
    failed_only = request.GET.get("loi") == "1"
    rows = services.outbox(agency, failed_only=failed_only, development=development)
    page = Paginator(rows, OUTBOX_PAGE_SIZE).get_page(request.GET.get("trang"))
    for m in page.object_list:
        # Sign-in codes are for their owner: officers read them only on a development machine.
        m.readable = development or m.dossier_id is not None
        m.provider_label = conf.provider_label(m.provider)
    budget, code_budget = services.budget_of(agency), services.budget_of(None)
    new_number_budget = services.budget_of(None, slice=SmsBudget.Slice.NEW_NUMBERS)
    context = {
        "agency": agency,
        "page": page,
        "failed_only": failed_only,
        "failed_count": services.outbox(agency, failed_only=True).count(),
        "budget": budget,
        "code_budget": code_budget,
        "new_number_budget": new_number_budget,
        "budget_alerts": _budget_alerts(budget, code_budget, new_number_budget),
        "development": development,
        "failed": MessageStatus.FAILED,
    }
    return render(request, "notifications/outbox.html", context)


def _budget_alerts(budget, code_budget, new_number_budget) -> list[str]:
    """A line for each of this month's SMS budgets that runs out before the month ends at this pace."""
    alerts = []
    for each, name in [
        (budget, _("Hạn mức SMS của cơ quan")),
        (code_budget, _("Hạn mức mã xác thực")),
        (new_number_budget, _("Hạn mức mã gửi số chưa có tài khoản")),
    ]:
        if each.runs_fast():
            alert = _("%(budget)s đang dùng nhanh: đã dùng %(used)d%% khi tháng mới qua %(elapsed)d%%.") % {
                "budget": name,
                "used": round(100 * each.used / each.limit),
                "elapsed": round(100 * each.month_elapsed()),
            }
            if each is new_number_budget:
                alert += " " + _("Có thể có người đang xin mã hàng loạt.")
            alerts.append(alert)
    return alerts


@officer_required
@require_POST
def retry(request, pk: int):
    message = services.outbox_message(request.user.officer.agency, pk, development=conf.development())
    if message is None:
        raise Http404
    if message.status != MessageStatus.FAILED:
        messages.error(request, _("Chỉ gửi lại được tin chưa gửi được."))
    else:
        try:
            services.retry_message(message, by=request.user)
        except services.SmsRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Đã xếp tin vào hàng đợi để gửi lại."))
    return redirect(reverse("notifications:outbox") + "?loi=1")
