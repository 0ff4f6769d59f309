"""Each DOCX read back with python-docx: Decree 30 page, fonts, header, and every value exactly."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from motcua.documents.content.common import HEADER_WIDTHS, MOTTO, NATIONAL_NAME
from motcua.documents.docx_writer import SYMBOL_FONT, write

from .cases import NAMES, Case, case_once
from .tools import docx_text

pytestmark = pytest.mark.django_db


# Each document is built once for this module, then read by each test (the DOCX is written per test: ~5 ms).
_cases: dict[str, Case] = {}


@pytest.fixture(params=NAMES)
def case(request):
    return case_once(_cases, request.param, request)


@pytest.fixture
def docx(case):
    return write(case.doc)


def test_every_value_is_printed_exactly(case, docx):
    text = docx_text(docx)
    missing = [value for value in case.expected if value not in text]
    assert not missing, f"{case.name}: missing {missing}"


def test_the_page_is_a4_with_the_decree_30_margins(case, docx):
    section = Document(io.BytesIO(docx)).sections[0]
    size = (round(section.page_width.mm), round(section.page_height.mm))
    assert size == ((297, 210) if case.doc.landscape else (210, 297))
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]


def test_times_new_roman_on_every_script_slot_and_no_theme_font(docx):
    document = Document(io.BytesIO(docx))
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in fonts.attrib if a.lower().endswith("theme")], fonts.attrib
    normal = document.styles["Normal"].element.rPr.rFonts
    assert {normal.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    assert round(document.styles["Normal"].font.size.pt) == 13
    body_fonts = {f.get(qn("w:ascii")) for f in document.element.body.iter(qn("w:rFonts"))}
    assert body_fonts <= {SYMBOL_FONT}, "runs name no font but the symbol font of the ☒/☐ boxes"


def test_check_boxes_use_the_symbol_font_and_nothing_else_does(docx):
    document = Document(io.BytesIO(docx))
    for run in document.element.body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        fonts = run.find(qn("w:rPr"))
        font = (
            fonts.find(qn("w:rFonts")).get(qn("w:ascii"))
            if fonts is not None and fonts.find(qn("w:rFonts")) is not None
            else None
        )
        assert (font == SYMBOL_FONT) == (text in ("☒", "☐")), text


def test_page_numbers_start_on_page_two(docx):
    section = Document(io.BytesIO(docx)).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    instructions = [i.text for i in section.header._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]


def test_slip_headers_are_borderless_tables_with_grid_widths(case, docx):
    document = Document(io.BytesIO(docx))
    if case.name.startswith("to-khai"):
        # A declaration has no issuing body: the national name and motto are centred above the title.
        texts = [p.text for p in document.paragraphs[:4]]
        assert NATIONAL_NAME in texts and MOTTO in texts
        return
    header = document.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    assert header._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [
        round(int(col.get(qn("w:w"))) / 1440 * 25.4) for col in header._tbl.tblGrid.iter(qn("w:gridCol"))
    ]
    assert widths == ([100, 152] if case.doc.landscape else [round(w) for w in HEADER_WIDTHS])
    assert [round(int(c._tc.tcPr.tcW.get(qn("w:w"))) / 1440 * 25.4) for c in header.rows[0].cells] == widths


def test_the_motto_and_the_issuing_body_have_rules_under_them(case, docx):
    document = Document(io.BytesIO(docx))
    rules = list(document.element.body.iter(qn("w:pBdr")))
    assert len(rules) == (1 if case.name.startswith("to-khai") else 2)


def test_the_place_and_date_line_is_italic(case, docx):
    document = Document(io.BytesIO(docx))
    runs = [
        run
        for paragraph in _all_paragraphs(document)
        for run in paragraph.runs
        if "ngày 20 tháng 11 năm 2026" in run.text and ("Vĩnh Linh," in run.text)
    ]
    if case.name == "so-theo-doi":
        assert not runs  # the register has a period, not a date line
        return
    assert runs and all(run.italic for run in runs)


def test_titles_are_bold_capitals_at_14_pt(case, docx):
    document = Document(io.BytesIO(docx))
    title = case.doc.title.upper()
    paragraph = next(p for p in document.paragraphs if p.text == title)
    assert all(run.bold for run in paragraph.runs)
    assert {round(run.font.size.pt) for run in paragraph.runs} == {14}


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_every_procedure_with_a_form_has_a_declaration_with_every_value(catalogue, agency, people):
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import get_procedure
    from motcua.documents import services
    from motcua.documents.models import Kind

    from .factories import filed_at_counter, printed, sample_form

    # A joined-up procedure (2.000986, 1.011537) has no declaration of its own: each of its parts' dossiers
    # prints its own (dossiers/bundles.py).
    with_forms = Procedure.objects.exclude(form_title="").filter(parts__isnull=True)
    codes = sorted(set(with_forms.values_list("code", flat=True)))
    assert len(codes) >= 25
    for code in codes:
        procedure = get_procedure(code)
        form = sample_form(procedure)
        dossier = filed_at_counter(code, desk=people["desk"], agency=agency, form=form)
        text = docx_text(services.render(dossier=dossier, kind=Kind.DECLARATION, fmt="docx").content)
        missing = [value for value in [procedure.form_title, *printed(procedure, form)] if value not in text]
        assert not missing, f"{code}: {missing}"


def test_a_procedure_without_a_form_has_no_declaration(catalogue, agency, people):
    from motcua.documents import services
    from motcua.documents.models import Kind

    dossier = filed_at_counter_without_form(people, agency)
    assert Kind.DECLARATION not in dict(services.available(dossier=dossier))
    with pytest.raises(services.NotApplicable):
        services.build(dossier=dossier, kind=Kind.DECLARATION)


def filed_at_counter_without_form(people, agency):
    from .factories import filed_at_counter

    return filed_at_counter("2.001019", desk=people["desk"], agency=agency, form={})  # wills: no form
