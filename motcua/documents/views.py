"""Documents of a dossier for whoever may see it (its citizen, its agency's officers), and the register."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from motcua.accounts.access import citizen_required, officer_required
from motcua.dossiers.lifecycle import CITIZEN, role_for
from motcua.dossiers.services import claim_code_to_print, dossier_for

from . import services
from .forms import RegisterForm
from .models import Kind


def site_url(request) -> str:
    """The address printed in QR codes: SITE_URL, or the host the request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def file_response(rendered: services.Rendered) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{rendered.filename}\"; filename*=UTF-8''{quote(rendered.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by a shared cache
    return response


def _visible(request, code: str):
    dossier = dossier_for(request.user, code)
    if dossier is None:
        raise Http404
    return dossier


def _sentence_case(title: str) -> str:
    return title[:1] + title[1:].lower() if title.isupper() else title


@citizen_required
@require_safe
def document_list(request, code: str):
    dossier = _visible(request, code)
    is_officer = bool(role_for(request.user, dossier) - {CITIZEN})
    documents = [
        {
            "kind": kind,
            "title": _sentence_case(title),
            "pdf_url": reverse("documents:file", args=[dossier.code, kind, "pdf"]),
            "docx_url": reverse("documents:file", args=[dossier.code, kind, "docx"]),
        }
        for kind, title in services.available(dossier=dossier)
    ]
    return render(
        request,
        "documents/list.html",
        {
            "dossier": dossier,
            "documents": documents,
            "is_officer": is_officer,
            "back_url": f"/can-bo/ho-so/{dossier.code}/" if is_officer else dossier.get_absolute_url(),
            "declaration": Kind.DECLARATION,
        },
    )


@citizen_required
@require_safe
def document_file(request, code: str, kind: str, fmt: str):
    dossier = _visible(request, code)
    # The desk prints the claim code it has just issued on the receipt; nobody can print it again later.
    claim_code = claim_code_to_print(request, dossier) if kind == Kind.RECEIPT else ""
    try:
        rendered = services.render(
            dossier=dossier, kind=kind, fmt=fmt, site_url=site_url(request), claim_code=claim_code
        )
    except services.NotApplicable:
        raise Http404 from None
    return file_response(rendered)


@officer_required
@require_safe
def register_page(request):
    """Choose a period; with `dinh-dang` (pdf, docx, xlsx) and a valid period, download the register."""
    today = timezone.localdate()
    fmt = request.GET.get("dinh-dang", "")
    form = RegisterForm(request.GET if fmt else None, initial={"tu": today.replace(day=1), "den": today})
    if fmt and form.is_valid():
        try:
            rendered = services.render_register(
                agency=request.user.officer.agency,
                start=form.cleaned_data["tu"],
                end=form.cleaned_data["den"],
                fmt=fmt,
            )
        except services.NotApplicable:
            raise Http404 from None
        return file_response(rendered)
    return render(request, "documents/register.html", {"form": form}, status=422 if form.errors else 200)
