"""Hostile values still give a valid DOCX and PDF with the text intact and nothing injected."""

import io
import zipfile

import pytest
from lxml import etree

from motcua.documents import services
from motcua.documents.models import Kind
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import file_birth

from .factories import CONTROL_FREE, HOSTILE
from .tools import docx_text, libreoffice_pdf, pdf_pages, pdf_text, save_png, visible

pytestmark = pytest.mark.django_db
# A right-to-left override is honoured: the words after it are drawn, and so extracted, reversed.
SHOWN = {**CONTROL_FREE, "rtl": "Lê Thị Hoa " + "đảo ngược"[::-1]}
FIELDS = {
    "markup": "child_name",
    "controls": "requester_residence",
    "long": "child_birth_place",
    "emoji": "child_home_town",
    "rtl": "mother_name",
    "template": "father_name",
}


@pytest.fixture
def hostile(catalogue, agency, people):
    """A birth registration whose declaration, applicant and slips carry every kind of hostile text."""
    dossier = file_birth(people["citizen"], agency)
    form = {**dossier.form_data, **{FIELDS[key]: value for key, value in HOSTILE.items()}}
    Dossier.objects.filter(pk=dossier.pk).update(form_data=form, applicant_name=HOSTILE["markup"])
    dossier.refresh_from_db()
    dossier = perform(dossier, "receive", by=people["desk"])
    return perform(
        dossier,
        "request_supplement",
        by=people["desk"],
        note=HOSTILE["long"],
        data={"items": [HOSTILE["template"], HOSTILE["emoji"], HOSTILE["rtl"]]},
    )


@pytest.mark.parametrize("kind", [Kind.DECLARATION, Kind.RECEIPT, Kind.SUPPLEMENT])
def test_the_docx_is_valid_and_holds_every_value_exactly(hostile, kind):
    content = services.render(dossier=hostile, kind=kind, fmt="docx").content
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))  # well-formed, or this raises
        body = package.read("word/document.xml").decode()
    text = docx_text(content)
    values = CONTROL_FREE if kind == Kind.DECLARATION else {"markup": HOSTILE["markup"]}
    if kind == Kind.SUPPLEMENT:
        values = {k: CONTROL_FREE[k] for k in ("markup", "long", "template", "emoji", "rtl")}
    for key, value in values.items():
        assert value in text, key
    assert "<w:t><w:t>" not in body and "</w:t><w:t>\" 'Phát'" not in body
    assert "&lt;/w:t&gt;&lt;w:t&gt;" in body  # the fake tag is text, escaped


def test_control_characters_are_removed_and_nothing_else(hostile):
    text = docx_text(services.render(dossier=hostile, kind=Kind.DECLARATION, fmt="docx").content)
    assert "Nguyễn Văn Ánh" in text
    assert not any(ch in text for ch in "\x00\x07\x08\x0b\x0c\x1b\x1f")


def test_template_syntax_in_a_value_is_printed_not_run(hostile):
    text = docx_text(services.render(dossier=hostile, kind=Kind.DECLARATION, fmt="docx").content)
    assert "{{ 7|add:7 }} {% now 'Y' %} ${7*7}" in text
    pdf = pdf_text(services.render(dossier=hostile, kind=Kind.DECLARATION, fmt="pdf").content)
    assert visible("{{ 7|add:7 }} {% now 'Y' %} ${7*7}") in visible(pdf)


@pytest.mark.parametrize("kind", [Kind.DECLARATION, Kind.SUPPLEMENT])
def test_the_pdf_shows_every_value(hostile, kind):
    pdf = services.render(dossier=hostile, kind=kind, fmt="pdf").content
    save_png(pdf, f"hostile-{kind}-weasyprint")
    text = visible(pdf_text(pdf))
    keys = ["markup", "controls", "long", "emoji", "rtl", "template"]
    if kind == Kind.SUPPLEMENT:
        keys = ["markup", "long", "template", "emoji", "rtl"]
    missing = [key for key in keys if visible(SHOWN[key]) not in text]
    assert not missing, missing


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines()]


def test_a_long_document_numbers_its_pages_from_page_two(hostile):
    pdf = services.render(dossier=hostile, kind=Kind.SUPPLEMENT, fmt="pdf").content
    pages = [page for page in pdf_pages(pdf) if page.strip()]
    assert len(pages) >= 2
    assert "1" not in _lines(pages[0])
    assert "2" in _lines(pages[1])


def test_libreoffice_opens_the_hostile_docx_with_the_text_intact(hostile):
    pdf = libreoffice_pdf(services.render(dossier=hostile, kind=Kind.DECLARATION, fmt="docx").content)
    save_png(pdf, "hostile-to-khai-libreoffice")
    text = visible(pdf_text(pdf))
    for key in ["markup", "controls", "long", "template", "rtl"]:
        assert visible(SHOWN[key]) in text, key
    # LibreOffice draws the emoji with a fallback font after the words around them: check both.
    emoji = [ch for ch in visible(HOSTILE["emoji"]) if ord(ch) > 0x2000]
    assert all(ch in text for ch in emoji) and "BéNanhàmình" in text
    pages = pdf_pages(pdf)
    assert "1" not in _lines(pages[0])
    assert "2" in _lines(pages[1])
