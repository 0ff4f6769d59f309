"""LibreOffice stands in for the citizen's word processor: it opens each DOCX and keeps every value."""

import pytest
import time_machine
from django.db import transaction

from motcua.documents.docx_writer import write

from .cases import NAMES, NOW, Case, make_case
from .tools import libreoffice_pdfs, pdf_fonts, pdf_page_size_pt, pdf_text, save_png, visible

pytestmark = pytest.mark.django_db


# LibreOffice takes ~0.9 s to start: the first test builds every case and converts them all in one run.
_cases: dict[str, Case] = {}
_pdfs: dict[str, bytes] = {}


@pytest.fixture
def converted(catalogue, agency, people) -> dict[str, tuple[Case, bytes]]:
    if not _pdfs:
        for name in NAMES:
            # Each case from the same database, as in a test of its own: the register lists one dossier.
            with transaction.atomic(), time_machine.travel(NOW, tick=False):
                _cases[name] = make_case(name, people, agency)
                transaction.set_rollback(True)
        names = list(_cases)
        _pdfs.update(zip(names, libreoffice_pdfs([write(_cases[name].doc) for name in names]), strict=True))
    return {name: (_cases[name], _pdfs[name]) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_opens_the_docx_and_prints_every_value(name, converted):
    case, pdf = converted[name]
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
