"""A procedure's or a life event's poster and leaflet for anyone; a set of them, one PDF, for officers."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from motcua.accounts.access import officer_required
from motcua.agencies.services import default_agency
from motcua.catalog.models import LifeEvent
from motcua.catalog.services import search_procedures
from motcua.ratelimit import client_ip, too_many

from .. import posters
from ..forms import PosterSetForm
from ..links import clean_campaign
from .common import pdf_response, procedure_or_404, site_url

FILENAMES = {"a4": "ap-phich", "a5": "to-roi"}
# Every campaign name makes a new PDF (a fifth of a second of work): from one address, this many an hour.
# The catalogue's own posters, without a campaign, are a small fixed set and stay in the cache. A commune
# printing one campaign's poster and leaflet of every procedure (54 × 2) stays under it.
CAMPAIGN_RENDERS_PER_HOUR = 120


def _sheet(request, code: str, size: str):
    procedure = procedure_or_404(code)
    return _pdf(
        request,
        size,
        f"{FILENAMES[size]}-{code}.pdf",
        lambda campaign: posters.sheet_for(
            procedure, agency=default_agency(), size=size, site_url=site_url(request), campaign=campaign
        ),
    )


def _event_sheet(request, slug: str, size: str):
    event = LifeEvent.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    return _pdf(
        request,
        size,
        f"{FILENAMES[size]}-{slug}.pdf",
        lambda campaign: posters.event_sheet_for(
            event, agency=default_agency(), size=size, site_url=site_url(request), campaign=campaign
        ),
    )


def _pdf(request, size: str, filename: str, make_sheet):
    campaign = clean_campaign(request.GET.get("cd"))
    sheet = make_sheet(campaign)
    if (
        campaign
        and not posters.is_cached(sheet)
        and too_many("outreach-poster", client_ip(request), limit=CAMPAIGN_RENDERS_PER_HOUR, window=3600)
    ):
        return HttpResponse(
            _(
                "Quá nhiều áp phích theo chiến dịch từ một máy. "
                "Bạn thử lại sau một giờ, hoặc in từ trang cán bộ."
            ),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    return pdf_response(posters.render_sheet(sheet), filename, public=True)


@require_safe
def poster(request, code: str):
    return _sheet(request, code, "a4")


@require_safe
def leaflet(request, code: str):
    return _sheet(request, code, "a5")


@require_safe
def event_poster(request, slug: str):
    return _event_sheet(request, slug, "a4")


@require_safe
def event_leaflet(request, slug: str):
    return _event_sheet(request, slug, "a5")


@officer_required
@require_safe
def poster_set(request):
    procedures = search_procedures("")
    form = PosterSetForm(procedures=procedures)
    return render(request, "outreach/poster_set.html", {"form": form, "procedures": procedures})


@officer_required
@require_safe
def poster_set_pdf(request):
    """The chosen procedures' posters (or leaflets), one page each, in one PDF to print. `tat-ca`: all."""
    procedures = search_procedures("")
    prefetch_related_objects(procedures, "documents", "steps")
    form = PosterSetForm(request.GET, procedures=procedures)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("outreach:poster_set"))
    wanted = set(form.cleaned_data["ma"])
    chosen = procedures if request.GET.get("tat-ca") else [p for p in procedures if p.code in wanted]
    if not chosen:
        messages.error(request, _("Bạn chọn ít nhất một thủ tục, hoặc bấm “In tất cả”."))
        return redirect(reverse("outreach:poster_set"))
    size = form.cleaned_data["kho"]
    agency = request.user.officer.agency
    sheets = [
        posters.sheet_for(
            p, agency=agency, size=size, site_url=site_url(request), campaign=form.cleaned_data["cd"]
        )
        for p in chosen
    ]
    return pdf_response(posters.render_set(sheets), f"{FILENAMES[size]}-bo.pdf", public=False)
