"""LibreOffice stands in for the citizen's word processor: it opens each DOCX and keeps every value."""

import pytest
import time_machine

from motcua.documents.docx_writer import write

from .cases import NAMES, NOW, make_case
from .tools import libreoffice_pdf, pdf_fonts, pdf_page_size_pt, pdf_text, save_png, visible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_opens_the_docx_and_prints_every_value(name, catalogue, agency, people):
    with time_machine.travel(NOW, tick=False):
        case = make_case(name, people, agency)
    pdf = libreoffice_pdf(write(case.doc))
    save_png(pdf, f"{name}-libreoffice")
    text = visible(pdf_text(pdf))
    missing = [value for value in case.expected if visible(value) not in text]
    assert not missing, f"{name}: missing {missing}"
    width, height = pdf_page_size_pt(pdf)
    assert sorted((round(width), round(height))) == [595, 842]
    # Times New Roman is drawn with its metric twin; no fallback font inside the words.
    names = {font["name"].split("+", 1)[-1] for font in pdf_fonts(pdf)}
    assert "LiberationSerif" in names, names
    assert not {n for n in names if n.startswith("DejaVuSerif")}, names
