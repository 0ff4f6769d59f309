"""Each PDF (WeasyPrint) read back with poppler: A4, Liberation Serif embedded, every value in the text."""

import pytest

from motcua.documents.pdf_writer import write

from .cases import NAMES, Case, case_once
from .tools import pdf_fonts, pdf_page_size_pt, pdf_pages, pdf_text, save_png, visible

pytestmark = pytest.mark.django_db
A4 = (595.3, 841.9)


# Each document is built and written once for this module (WeasyPrint takes ~0.1 s), then read by each test.
_cases: dict[str, Case] = {}
_pdfs: dict[str, bytes] = {}


@pytest.fixture(params=NAMES)
def case(request):
    return case_once(_cases, request.param, request)


@pytest.fixture
def pdf(case):
    if case.name not in _pdfs:
        _pdfs[case.name] = write(case.doc)
    return _pdfs[case.name]


def test_every_value_is_in_the_text_with_its_diacritics(case, pdf):
    text = visible(pdf_text(pdf))
    missing = [value for value in case.expected if visible(value) not in text]
    assert not missing, f"{case.name}: missing {missing}"
    save_png(pdf, f"{case.name}-weasyprint")


def test_liberation_serif_is_embedded_and_no_other_text_font_is_used(pdf):
    fonts = pdf_fonts(pdf)
    assert fonts and all(font["embedded"] for font in fonts), fonts
    families = {font["name"].split("+", 1)[-1] for font in fonts}
    assert "Liberation-Serif" in families
    # DejaVu Sans draws only the ☒/☐ boxes; a DejaVu Serif or any other fallback would mean a missing glyph.
    assert families <= {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
        "DejaVu-Sans",
    }, families


def test_the_page_is_a4(case, pdf):
    width, height = pdf_page_size_pt(pdf)
    expected = (A4[1], A4[0]) if case.doc.landscape else A4
    assert (round(width), round(height)) == (round(expected[0]), round(expected[1]))


def test_the_first_page_has_no_number(pdf):
    first = [line.strip() for line in pdf_pages(pdf)[0].splitlines() if line.strip()]
    assert first[0] != "1"
