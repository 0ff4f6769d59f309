"""/thong-ke/ for everyone, its CSV and XLSX; /can-bo/thong-ke/ for officers, with the dossiers behind a
figure, each officer's workload, the outreach's effect, and the province's view of every commune."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua import policy
from motcua.accounts.access import officer_required, subject_of

from . import charts, exports, report, services
from .indicators import BY_KEY, citation


def _chart_data(rep: report.Report) -> dict:
    labels = [row.label for row in rep.rows]
    received = [row.cells["received"] for row in rep.rows]
    on_time = [row.cells["on_time_share"].value for row in rep.rows]
    online = [row.cells["online_share"].value for row in rep.rows]
    return {
        "bars": charts.bars(
            title=_("Hồ sơ tiếp nhận theo kỳ"),
            description=_("Biểu đồ cột: số hồ sơ tiếp nhận mỗi kỳ. Số liệu ở bảng ngay sau."),
            uid="c1",
            labels=labels,
            values=[c.value for c in received],
            marks=[c.text if c.value is None else "" for c in received],
        ),
        "lines": charts.lines(
            title=_("Tỷ lệ đúng hạn và tỷ lệ nộp trực tuyến"),
            description=_("Biểu đồ đường theo kỳ, phần trăm. Số liệu ở bảng ngay sau."),
            uid="c2",
            labels=labels,
            series=[(_("Đúng hạn"), on_time), (_("Nộp trực tuyến"), online)],
        ),
    }


def _context(rep: report.Report, **extra) -> dict:
    channels = ("received", *report_channels())
    shares = ("on_time_share", "online_share")
    every = [i.key for i in rep.indicators]
    return {
        "channel_rows": [(r.label, [r.cells[k] for k in channels]) for r in rep.rows],
        "share_rows": [(r.label, [r.cells[k] for k in shares]) for r in rep.rows],
        "month_rows": [(r.label, [r.cells[k] for k in every]) for r in [*rep.rows, rep.total]],
        "report": rep,
        "query": rep.query,
        "indicators": [(i, rep.total.cells[i.key], citation(i)) for i in rep.indicators],
        "now": [(i, rep.now[i.key], citation(i)) for i in rep.now_indicators],
        "channels": [BY_KEY[k] for k in channels],
        "shares": [BY_KEY[k] for k in shares],
        **_chart_data(rep),
        **extra,
    }


def report_channels() -> tuple[str, ...]:
    return ("received_online_full", "received_online_partial", "received_community", "received_counter")


def _bad(request, errors: dict, template: str):
    return render(request, template, {"errors": errors}, status=422)


@require_safe
def public(request):
    try:
        query = report.parse(request.GET, names=report.PAGE_NAMES)
    except report.BadQuery as error:
        return _bad(request, error.errors, "stats/public.html")
    return render(request, "stats/public.html", _context(report.public(query)))


def _export(request, kind: str):
    try:
        query = report.parse(request.GET, names=report.PAGE_NAMES)
    except report.BadQuery as error:
        text = "\n".join(f"{name}: {message}" for name, message in error.errors.items())
        return HttpResponse(text, status=422, content_type="text/plain; charset=utf-8")
    rep = report.public(query)
    name = f"chi-so-{query.agency.agency_id}-{query.start:%Y%m}-{query.end:%Y%m}"
    if kind == "csv":
        response = HttpResponse(exports.to_csv(rep), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rep),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@require_safe
def export_csv(request):
    return _export(request, "csv")


@require_safe
def export_xlsx(request):
    return _export(request, "xlsx")


# --- the back office ----------------------------------------------------------------------------------------


def _office_query(request) -> report.Query:
    """The officer's own agency, whatever the query says; the period and procedure as asked."""
    params = request.GET.copy()
    params[report.PAGE_NAMES["agency"]] = request.user.officer.agency.agency_id
    return report.parse(params, names=report.PAGE_NAMES)


def _bounds(query: report.Query) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(query.start, dt.time(), tzinfo=zone)
    last = query.end
    after = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, dt.datetime.combine(after, dt.time(), tzinfo=zone)


def _may_see_province(user) -> bool:
    return policy.allows(subject_of(user), policy.PROVINCE_STATS)


@officer_required
@require_safe
def office(request):
    try:
        query = _office_query(request)
    except report.BadQuery as error:
        return _bad(request, error.errors, "stats/office.html")
    rep = report.build(query, suppress=False)
    start, end = _bounds(query)
    agency = request.user.officer.agency
    return render(
        request,
        "stats/office.html",
        _context(
            rep,
            agency=agency,
            workload=services.workload(agency.pk, start=start, end=end),
            outreach=services.outreach_effect(start=query.start, end=end.date() - dt.timedelta(days=1)),
            province=_may_see_province(request.user),
            period_query=request.GET.urlencode(),
        ),
    )


DRILLS = {
    "tre-han": (_("Hồ sơ kết thúc quá hạn trong kỳ"), "late"),
    "dang-qua-han": (_("Hồ sơ đang quá hạn"), "overdue"),
    "bo-sung-lan-hai": (_("Hồ sơ bị yêu cầu bổ sung lần thứ hai trong kỳ"), "twice"),
}


@officer_required
@require_safe
def dossiers(request, kind: str):
    if kind not in DRILLS:
        raise Http404
    try:
        query = _office_query(request)
    except report.BadQuery as error:
        return _bad(request, error.errors, "stats/dossiers.html")
    agency = request.user.officer.agency
    start, end = _bounds(query)
    title, which = DRILLS[kind]
    if which == "late":
        rows = services.late_dossiers(agency.pk, start=start, end=end)
    elif which == "overdue":
        rows = services.overdue_dossiers(agency.pk)
    else:
        rows = services.supplemented_twice_dossiers(agency.pk, start=start, end=end)
    return render(
        request,
        "stats/dossiers.html",
        {
            "title": str(title),
            "rows": list(rows),
            "limit": services.DRILL_LIMIT,
            "query": query,
            "now": timezone.now(),
        },
    )


PROVINCE_KEYS = ("received", "online_share", "finished", "on_time_share", "finished_late", "satisfaction")


@officer_required
@require_safe
def province(request):
    params = request.GET.copy()
    params.pop(report.PAGE_NAMES["agency"], None)
    try:
        query = report.parse(params, names=report.PAGE_NAMES)
    except report.BadQuery as error:
        return _bad(request, error.errors, "stats/province.html")
    communes = services.agencies()
    states = services.now_states([a.pk for a in communes], procedure_code=query.procedure_code)
    rows = []
    for agency in communes:
        periods = services.figures(
            agency_ids=[agency.pk],
            start=query.start,
            end=query.end,
            procedure_code=query.procedure_code,
            by=query.by,
        )
        cells = services.present(services.total(periods).values)
        rows.append(
            {
                "agency": agency,
                "cells": [cells[k] for k in PROVINCE_KEYS],
                "overdue": report.now_cell(states.get(agency.pk, {}).get("overdue", 0)),
            }
        )
    return render(
        request,
        "stats/province.html",
        {"query": query, "rows": rows, "columns": [BY_KEY[k] for k in PROVINCE_KEYS]},
    )
