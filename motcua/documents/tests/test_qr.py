"""The receipt's QR code opens the public lookup of its dossier."""

import io
import zipfile

import pytest

from motcua.documents import services
from motcua.documents.models import Kind

from .factories import with_every_slip
from .tools import decode_qr, page_png

pytestmark = pytest.mark.django_db
SITE = "https://dichvucong.vinhlinh.example.vn"


@pytest.fixture
def dossier(catalogue, agency, people):
    return with_every_slip(people, agency)


def test_the_qr_code_in_the_docx_decodes_to_the_lookup_url(dossier):
    rendered = services.render(dossier=dossier, kind=Kind.RECEIPT, fmt="docx", site_url=SITE)
    with zipfile.ZipFile(io.BytesIO(rendered.content)) as package:
        images = [name for name in package.namelist() if name.startswith("word/media/")]
        assert len(images) == 1
        png = package.read(images[0])
    assert decode_qr(png) == [f"{SITE}/tra-cuu/?ma={dossier.code}"]


def test_the_qr_code_printed_in_the_pdf_decodes_to_the_lookup_url(dossier):
    rendered = services.render(dossier=dossier, kind=Kind.RECEIPT, fmt="pdf", site_url=SITE)
    assert decode_qr(page_png(rendered.content, dpi=150)) == [f"{SITE}/tra-cuu/?ma={dossier.code}"]


def test_the_lookup_url_uses_the_request_host_without_site_url(client, dossier, people, settings):
    settings.SITE_URL = ""
    client.force_login(people["citizen"])
    response = client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.pdf")
    assert response.status_code == 200
    assert decode_qr(page_png(response.content, dpi=150)) == [f"http://testserver/tra-cuu/?ma={dossier.code}"]
