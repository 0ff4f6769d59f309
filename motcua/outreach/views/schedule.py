"""/can-bo/lich-phat-loa/: when and where each bulletin airs, and the log of what went out."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.access import officer_required
from motcua.catalog.services import search_procedures

from .. import bulletins, schedule
from ..forms import BroadcastForm, VillageForm


def _procedures():
    return sorted(search_procedures(""), key=lambda p: p.name)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_page(request):
    agency = request.user.officer.agency
    procedures = _procedures()
    villages = schedule.villages(agency)
    form = BroadcastForm(procedures=procedures, villages=villages)
    village_form = VillageForm()
    if request.method == "POST" and request.POST.get("them-thon"):
        village_form = VillageForm(request.POST)
        if village_form.is_valid():
            try:
                village = schedule.add_village(agency, name=village_form.cleaned_data["ten"])
            except schedule.ScheduleRefused as refused:
                village_form.add_error("ten", str(refused))
            else:
                messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
                return redirect(reverse("outreach:schedule"))
    elif request.method == "POST":
        form = BroadcastForm(request.POST, procedures=procedures, villages=villages)
        if form.is_valid():
            data = form.cleaned_data
            try:
                schedule.plan(
                    agency,
                    bulletin=bulletins.bulletin_for(agency, data["thu_tuc"]),
                    day=data["ngay"],
                    time=data["gio"],
                    chosen=list(data["thon"]),
                    note=data["ghi_chu"],
                    by=request.user,
                )
            except schedule.ScheduleRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Đã thêm lượt phát vào lịch."))
                return redirect(reverse("outreach:schedule"))
    names = {p.code: p.name for p in procedures}
    upcoming = list(schedule.upcoming(agency))
    log = list(schedule.aired(agency))
    for broadcast in upcoming + log:
        broadcast.procedure_name = names.get(
            broadcast.bulletin.procedure_code, broadcast.bulletin.procedure_code
        )
    return render(
        request,
        "outreach/office/schedule.html",
        {
            "agency": agency,
            "form": form,
            "village_form": village_form,
            "villages": villages,
            "upcoming": upcoming,
            "log": log,
        },
    )


def _broadcast(request, pk: int):
    broadcast = schedule.broadcast_of(request.user.officer.agency, pk)
    if broadcast is None:
        raise Http404
    return broadcast


@officer_required
@require_POST
def broadcast_aired(request, pk: int):
    broadcast = _broadcast(request, pk)
    try:
        schedule.mark_aired(broadcast, by=request.user)
    except schedule.ScheduleRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã ghi vào nhật ký: lượt phát đã phát."))
    return redirect(reverse("outreach:schedule"))


@officer_required
@require_POST
def broadcast_cancel(request, pk: int):
    broadcast = _broadcast(request, pk)
    try:
        schedule.cancel(broadcast)
    except schedule.ScheduleRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã xóa lượt phát khỏi lịch."))
    return redirect(reverse("outreach:schedule"))
