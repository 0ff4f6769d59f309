"""The receipt's QR code opens the public status of its dossier: a signed token, nothing to type."""

import io
import zipfile

import pytest
import segno

from motcua.documents import services
from motcua.documents.content.slips import lookup_qr_parts
from motcua.documents.models import Kind
from motcua.dossiers.services import lookup_token

from .factories import with_every_slip
from .tools import decode_qr, page_png

pytestmark = pytest.mark.django_db
SITE = "https://dichvucong.vinhlinh.example.vn"


@pytest.fixture
def dossier(catalogue, agency, people):
    return with_every_slip(people, agency)


def test_the_qr_code_in_the_docx_decodes_to_the_signed_lookup_link(dossier):
    rendered = services.render(dossier=dossier, kind=Kind.RECEIPT, fmt="docx", site_url=SITE)
    with zipfile.ZipFile(io.BytesIO(rendered.content)) as package:
        images = [name for name in package.namelist() if name.startswith("word/media/")]
        assert len(images) == 1
        png = package.read(images[0])
    assert decode_qr(png) == [f"{SITE}/tra-cuu/{lookup_token(dossier.code)}/"]


def test_the_qr_code_printed_in_the_pdf_opens_the_status_with_nothing_typed(client, dossier):
    rendered = services.render(dossier=dossier, kind=Kind.RECEIPT, fmt="pdf", site_url=SITE)
    [link] = decode_qr(page_png(rendered.content, dpi=150))

    assert link == f"{SITE}/tra-cuu/{lookup_token(dossier.code)}/"
    scanned = client.get(link.removeprefix(SITE))
    assert scanned.status_code == 200
    assert dossier.code in scanned.text and str(dossier.status_label) in scanned.text
    assert dossier.applicant_name not in scanned.text


def test_the_lookup_link_uses_the_request_host_without_site_url(client, dossier, people, settings):
    settings.SITE_URL = ""
    client.force_login(people["citizen"])
    response = client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.pdf")
    assert response.status_code == 200
    assert decode_qr(page_png(response.content, dpi=150)) == [
        f"http://testserver/tra-cuu/{lookup_token(dossier.code)}/"
    ]


@pytest.mark.parametrize(
    ("site", "version"),
    [
        ("https://dichvucong.vinhlinh.quangtri.gov.vn", "5-M"),  # a long commune address: 43 characters
        ("https://dvc.quangtri.gov.vn", "5-M"),
        ("http://127.0.0.1:8000", "4-M"),  # `make run`
    ],
)
def test_the_signed_qr_code_is_no_bigger_than_the_bare_code_was(dossier, site, version):
    # The token part is upper-case letters, digits, "." and "-": QR's alphanumeric mode (5.5 bits a
    # character) holds it, so code plus signature take about the room the bare "?ma=<code>" took.
    signed = segno.make(lookup_qr_parts(site, dossier.code), error="m")
    bare = segno.make(f"{site}/tra-cuu/?ma={dossier.code}", error="m")

    assert signed.designator == version
    assert signed.version <= bare.version
