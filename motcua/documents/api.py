"""The documents of a dossier in the JSON API, mounted under /api/v1/dossiers (bearer token).

The same services and the same access rule as the web pages: a dossier the caller cannot see, or a
document it does not have yet, is a 404 with the same message.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.accounts.api import BearerToken
from motcua.dossiers.services import dossier_for

from . import services
from .views import file_response, site_url

router = Router(tags=["documents"], auth=BearerToken())


class DocumentOut(Schema):
    kind: str
    title: str
    docx_url: str
    pdf_url: str


def _not_found() -> Http404:
    return Http404(_("Không tìm thấy văn bản này."))


def _visible(request, code: str):
    dossier = dossier_for(request.auth, code)
    if dossier is None:
        raise _not_found()
    return dossier


@router.get("/{code}/documents", response=list[DocumentOut], summary="Văn bản, biểu mẫu của hồ sơ")
def list_documents(request, code: str):
    dossier = _visible(request, code)
    base = request.path.rstrip("/")
    return [
        {"kind": kind, "title": title, "docx_url": f"{base}/{kind}.docx", "pdf_url": f"{base}/{kind}.pdf"}
        for kind, title in services.available(dossier=dossier)
    ]


@router.get("/{code}/documents/{kind}.{fmt}", summary="Tải một văn bản (DOCX hoặc PDF)")
def download(request, code: str, kind: str, fmt: str):
    dossier = _visible(request, code)
    try:
        rendered = services.render(dossier=dossier, kind=kind, fmt=fmt, site_url=site_url(request))
    except services.NotApplicable:
        raise _not_found() from None
    return file_response(rendered)
