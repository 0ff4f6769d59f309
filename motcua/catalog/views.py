from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.accounts.models import User
from motcua.agencies.services import body_for, default_agency

from . import services
from .models import part_procedures

PAGE_SIZE = 20


def _identity_label(level: int) -> str:
    return str(User.IdentityLevel(level).label) if level else ""


@require_safe
def procedure_list(request):
    query = request.GET.get("q", "")[: services.search_engine.MAX_QUERY_CHARS]
    page = Paginator(services.list_procedures(query), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [(p, services.fee_summary(p), services.describe_time(p, short=True)) for p in page.object_list]
    return render(
        request,
        "catalog/procedure_list.html",
        {
            "query": query,
            "page": page,
            "rows": rows,
            "untranslated": services.untranslated_note(list(page.object_list)),
        },
    )


@require_safe
def procedure_detail(request, code: str):
    procedure = services.get_procedure(code)
    if procedure is None:
        raise Http404
    agency = default_agency()
    # A joined-up procedure: its parts, each with the body that decides it.
    try:
        found = part_procedures(procedure)
    except LookupError:  # a part not in force today: the guide still shows, without the parts
        found = []
    parts = [
        (part, version, body_for(agency, version.executing_body).name if agency else "")
        for part, version in found
    ]
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "fees": services.describe_fee(procedure),
            "sources": services.legal_sources(procedure),
            "time": services.describe_time(procedure),
            "agency": agency,
            "parts": parts,
            "free": _("Miễn phí"),
            "identity_level": _identity_label(procedure.min_identity_level),
            "untranslated": services.untranslated_note(procedure),
        },
    )


@require_safe
def life_event_list(request):
    events = services.list_life_events()
    return render(
        request,
        "catalog/life_event_list.html",
        {"events": events, "untranslated": services.untranslated_events_note(events)},
    )


@require_safe
def life_event_detail(request, slug: str):
    guide = services.life_event_guide(slug)
    if guide is None:
        raise Http404
    return render(
        request,
        "catalog/life_event_detail.html",
        {"guide": guide, "event": guide.event, "untranslated": guide.untranslated},
    )
