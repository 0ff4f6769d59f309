"""Help on request: /ho-tro/ for anyone, the queue under /can-bo/ho-tro/, and the community digital team
under /can-bo/to-cong-nghe/. Thin: access (motcua/policy.py, then the object: 404 for what is not yours),
form, service, answer."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua import policy
from motcua.accounts.access import officer_required, subject_of
from motcua.agencies.services import default_agency
from motcua.catalog.services import get_procedure
from motcua.ratelimit import client_ip

from .. import help as helping
from .. import team, uptake
from ..help_forms import AssignForm, CloseForm, CoverForm, HelpForm, RecordForm
from ..models import Entry, HelpState, Step, Village

# --- for everyone -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    agency = default_agency()
    if agency is None:  # no commune set up yet
        raise Http404
    code = (request.POST.get("thu_tuc") or request.GET.get("thu-tuc") or "").strip()[:30]
    procedure = get_procedure(code) if code else None
    villages = list(Village.objects.filter(agency=agency))
    form = HelpForm(
        request.POST if request.method == "POST" else None,
        villages=villages,
        procedure=procedure,
        initial={"thu_tuc": procedure.code if procedure else ""},
    )
    problem, retry = "", None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            helping.limit(phone=data["dien_thoai"], address=client_ip(request))
        except helping.TooMany as refused:
            problem, retry = str(refused), refused.retry_after
        else:
            helping.ask(
                agency,
                name=data["ho_ten"],
                phone=data["dien_thoai"],
                phone_owner=data["chu_so"],
                village=form.village,
                procedure_code=procedure.code if procedure else "",
                need=data["noi_dung"],
                priority=data["uu_tien"],
            )
            uptake.note(request, Step.HELP)
            return redirect(reverse("outreach:help_sent") + ("?uu-tien=1" if data["uu_tien"] else ""))
    response = render(
        request,
        "outreach/help/ask.html",
        {"form": form, "procedure": procedure, "agency": agency, "problem": problem},
        status=429 if retry else 200,
    )
    if retry:
        response["Retry-After"] = str(retry)
    uptake.remember(request, response)
    return response


@require_safe
def sent(request):
    return render(
        request,
        "outreach/help/sent.html",
        {"agency": default_agency(), "priority": request.GET.get("uu-tien") == "1"},
    )


# --- the queue ----------------------------------------------------------------------------------------------


def _may_assign(user) -> bool:
    return policy.allows(subject_of(user), policy.HELP_ASSIGN)


def _request(request, pk: int):
    found = helping.request_for(request.user, pk)
    if found is None:
        raise Http404
    return found


@officer_required
@require_safe
def queue(request):
    closed = request.GET.get("xong") == "1"
    late_only = request.GET.get("tre-han") == "1"
    requests = list(helping.queue(request.user, closed=closed, late_only=late_only)[:200])
    return render(
        request,
        "outreach/help/queue.html",
        {
            "requests": requests,
            "closed": closed,
            "late_only": late_only,
            "agency": request.user.officer.agency,
            "own_only": policy.own_work_only(request.user.officer.roles),
        },
    )


@officer_required
@require_safe
def detail(request, pk: int):
    found = _request(request, pk)
    return _detail_page(request, found)


def _detail_page(request, found, *, assign_form=None, record_form=None, close_form=None, status=200):
    agency = request.user.officer.agency
    may_assign = _may_assign(request.user)
    procedure = get_procedure(found.procedure_code) if found.procedure_code else None
    return render(
        request,
        "outreach/help/detail.html",
        {
            "help": found,
            "phone": helping.shown_phone(found),
            "late": helping.is_late(found),
            "procedure": procedure,
            "entries": found.entries.select_related("by", "member"),
            "may_assign": may_assign and found.state != HelpState.CLOSED,
            "assign_form": assign_form or AssignForm(members=team.members(agency)),
            "record_form": record_form or RecordForm(),
            "close_form": close_form or CloseForm(),
            "intake_url": reverse("office:intake", args=[procedure.code])
            if procedure
            else reverse("office:intake_start"),
        },
        status=status,
    )


def _back(pk: int):
    return redirect(reverse("outreach:help_request", args=[pk]))


@officer_required
@require_POST
def pick_up(request, pk: int):
    found = _request(request, pk)
    try:
        found, problem = helping.pick_up(found, by=request.user)
    except helping.HelpRefused as refused:
        messages.error(request, str(refused))
    else:
        if problem:
            messages.warning(
                request,
                _("Đã nhận yêu cầu, nhưng chưa nhắn tin được: %(why)s Hãy gọi điện.") % {"why": problem},
            )
        else:
            messages.success(request, _("Đã nhận yêu cầu. Người dân sẽ nhận tin nhắn báo có cán bộ hỗ trợ."))
    return _back(pk)


@officer_required
@require_POST
def assign(request, pk: int):
    found = _request(request, pk)
    form = AssignForm(request.POST, members=team.members(request.user.officer.agency))
    if not form.is_valid():
        return _detail_page(request, found, assign_form=form, status=422)
    member = form.cleaned_data["thanh_vien"]
    try:
        helping.assign(found, member=member, by=request.user)
    except helping.HelpRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã giao cho %(name)s.") % {"name": member.full_name or member.username})
    return _back(pk)


@officer_required
@require_POST
def record(request, pk: int):
    found = _request(request, pk)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            helping.record(
                found, by=request.user, kind=data["viec"], note=data["ghi_chu"], dossier_code=data["ma_ho_so"]
            )
        except helping.HelpRefused as refused:
            form.add_error("ma_ho_so" if data["viec"] == Entry.Kind.FILED else None, str(refused))
        else:
            messages.success(request, _("Đã ghi lại."))
            return _back(pk)
    return _detail_page(request, found, record_form=form, status=422)


@officer_required
@require_POST
def close(request, pk: int):
    found = _request(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            helping.close(
                found,
                by=request.user,
                outcome=form.cleaned_data["ket_qua"],
                note=form.cleaned_data["ghi_chu"],
            )
        except helping.HelpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Đã kết thúc yêu cầu."))
            return _back(pk)
    return _detail_page(request, found, close_form=form, status=422)


# --- the community digital team -----------------------------------------------------------------------------


@officer_required
@require_safe
def team_page(request):
    agency = request.user.officer.agency
    own_only = policy.own_work_only(request.user.officer.roles)
    people = list(team.members(agency).filter(pk=request.user.pk) if own_only else team.members(agency))
    for member in people:
        member.villages = list(team.covered_villages(member))
        member.open_count = team.open_requests(member).count()
    villages = list(Village.objects.filter(agency=agency).select_related("cover__member"))
    return render(
        request,
        "outreach/help/team.html",
        {
            "agency": agency,
            "members": people,
            "villages": [] if own_only else villages,
            "uncovered": [] if own_only else [v for v in villages if not hasattr(v, "cover")],
            "own_only": own_only,
        },
    )


@officer_required
@require_safe
def member_page(request, pk: int):
    member = team.member_for(request.user, pk)
    if member is None:
        raise Http404
    agency = request.user.officer.agency
    villages = Village.objects.filter(agency=agency)
    manage = policy.allows(subject_of(request.user), policy.TEAM_MANAGE)
    return _member_page(
        request,
        member,
        manage,
        CoverForm(villages=villages, initial={"thon": list(team.covered_villages(member))}),
    )


def _member_page(request, member, manage, form, status=200):
    return render(
        request,
        "outreach/help/member.html",
        {
            "member": member,
            "villages": list(team.covered_villages(member)),
            "work": team.work_of(member, viewer=request.user),
            "manage": manage,
            "form": form,
        },
        status=status,
    )


@officer_required
@require_POST
def member_villages(request, pk: int):
    member = team.member_for(request.user, pk)
    if member is None:
        raise Http404
    agency = request.user.officer.agency
    form = CoverForm(request.POST, villages=Village.objects.filter(agency=agency))
    if form.is_valid():
        try:
            team.set_villages(member, list(form.cleaned_data["thon"]), agency=agency)
        except team.TeamRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Đã lưu các thôn %(name)s phụ trách.") % {"name": member.full_name or member.username},
            )
            return redirect(reverse("outreach:team_member", args=[pk]))
    return _member_page(request, member, True, form, status=422)
