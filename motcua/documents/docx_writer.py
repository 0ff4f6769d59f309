"""`layout.Doc` -> DOCX bytes with python-docx, built directly (no template engine, so no injection).

What LibreOffice and Word need, learnt the hard way (stack.md §2): table widths in `w:gridCol` as well
as in each cell, a fixed table layout, borders removed explicitly, the font on all four `w:rFonts`
slots (and the theme fonts of the default template removed), dotted leaders as a right tab stop with a
dot leader at the text width, and page numbers in the header of every page but the first.
"""

import functools
import io
from pathlib import Path

from .layout import MARGINS, PAGE, Doc, Grid, Para, Picture

FONT = "Times New Roman"
SYMBOL_FONT = "Segoe UI Symbol"  # has ☒/☐ on Windows; LibreOffice falls back to DejaVu Sans elsewhere
LIBERATION = Path("/usr/share/fonts/truetype/liberation2")
RULE_WEIGHT = 6  # eighths of a point: a 0.75 pt rule


@functools.cache
def _metrics(bold: bool, italic: bool):
    """Advance widths of Liberation Serif, metric-compatible with Times New Roman; None when absent."""
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (bold, italic), "BoldItalic"
    )
    path = LIBERATION / f"LiberationSerif-{style}.ttf"
    if not path.exists():
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def text_width_mm(para: Para) -> float:
    """How long the paragraph's text is when set on one line, in mm (for the rules under the header)."""
    total = 0.0
    for run in para.runs:
        metrics = _metrics(run.bold, run.italic)
        if metrics is None:
            total += len(run.text) * para.size * 0.55
            continue
        cmap, hmtx, units = metrics
        for ch in run.text:
            glyph = cmap.get(ord(ch))
            total += (hmtx[glyph][0] if glyph in hmtx else units / 2) / units * para.size
    return total * 25.4 / 72


def write(doc: Doc) -> bytes:
    from docx import Document

    document = Document()
    _setup(document, doc)
    body = document._body
    # The default template starts with one empty paragraph; drop it so the page starts with our text.
    for paragraph in list(document.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    for block in doc.blocks:
        _block(document, body, block, doc.text_width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _setup(document, doc: Doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    width, height = (PAGE[1], PAGE[0]) if doc.landscape else PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    # Times New Roman on every script slot, in the document defaults and in Normal, and no theme font
    # that would win over it; Vietnamese as the proofing language.
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [document.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None and rpr_default.find(qn("w:rPr")) is not None:
            targets.append(rpr_default.find(qn("w:rPr")))
    for rpr in targets:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attribute in list(fonts.attrib):
            if attribute.endswith("Theme"):
                del fonts.attrib[attribute]
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(13)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    # Page numbers centred in the top margin from page two (Decree 30): the first page has its own,
    # empty header.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = 1  # centre
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)

    core = document.core_properties
    core.title = doc.title
    core.author = ""
    core.language = "vi-VN"


def _block(document, container, block, width_mm: float) -> None:
    if isinstance(block, Para):
        _paragraph(container.add_paragraph(), block, width_mm)
    elif isinstance(block, Grid):
        _grid(document, container, block)
    elif isinstance(block, Picture):
        _picture(container.add_paragraph(), block)


def _paragraph(paragraph, para: Para, width_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Mm, Pt

    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[para.align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(para.before), Pt(para.after)
    if para.indent:
        fmt.first_line_indent = Cm(1)
    if para.keep:
        fmt.keep_with_next = True
    for item in para.runs:
        run = paragraph.add_run(item.text)
        run.font.size = Pt(para.size)
        if item.bold:
            run.bold = True
        if item.italic:
            run.italic = True
        if item.symbol:
            _run_font(run, SYMBOL_FONT)
    if not para.runs:
        paragraph.add_run().font.size = Pt(para.size)
    if para.leader:
        fmt.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        paragraph.add_run("\t").font.size = Pt(para.size)
    if para.rule:
        _rule_after(paragraph, para, width_mm)


def _run_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _rule_after(paragraph, para: Para, width_mm: float) -> None:
    """A centred rule under `paragraph`: an empty 1 pt paragraph with a top border, narrowed by indents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    text = min(text_width_mm(para), width_mm)
    length = text if para.rule == "text" else max(text * 0.4, 15.0)
    side = max((width_mm - length) / 2, 0)
    new = OxmlElement("w:p")
    paragraph._p.addnext(new)
    from docx.text.paragraph import Paragraph

    rule = Paragraph(new, paragraph._parent)
    fmt = rule.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(para.after)
    fmt.line_spacing = Pt(2)
    run = rule.add_run()
    run.font.size = Pt(1)
    ppr = rule._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(RULE_WEIGHT)),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        top.set(qn(key), value)
    borders.append(top)
    ppr.append(borders)
    # Keep the schema's element order: pBdr must come before spacing and indentation.
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        element = ppr.find(qn(tag))
        if element is not None:
            ppr.remove(element)
            ppr.append(element)
    paragraph.paragraph_format.space_after = Pt(1)


def _picture(paragraph, picture: Picture) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(picture.png), width=Mm(picture.width_mm))
    # python-docx names the picture after a temporary file; give it the accessible description instead.
    for doc_pr in run._r.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        doc_pr.set("descr", picture.alt)
        doc_pr.set("name", "QR")


def _grid(document, container, grid: Grid) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = container.add_table(len(grid.rows), len(grid.widths), Mm(sum(grid.widths)))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for element in tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(element)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(sum(grid.widths)).twips)))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if grid.ruled:
            for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
                element.set(qn(key), value)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(grid.padding).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    for element in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(element)
    # CT_TblPr order: tblStyle, ..., tblW, jc, ..., tblBorders, shd, tblLayout, tblCellMar, tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    for element in (width, borders, layout, margins):
        if look is not None:
            look.addprevious(element)
        else:
            tbl_pr.append(element)
    grid_cols = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for col, mm in zip(grid_cols, grid.widths, strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    for r, (row, cells) in enumerate(zip(table.rows, grid.rows, strict=True)):
        if r < grid.header_rows:
            tr_pr = row._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            tr_pr.append(header)
        if not grid.ruled:
            tr_pr = row._tr.get_or_add_trPr()
            cant_split = OxmlElement("w:cantSplit")
            tr_pr.insert(0, cant_split)
        for cell, mm, items in zip(row.cells, grid.widths, cells, strict=True):
            cell.width = Mm(mm)
            inner = mm - 2 * grid.padding
            first = cell.paragraphs[0]
            for n, item in enumerate(items):
                paragraph = first if n == 0 else cell.add_paragraph()
                if isinstance(item, Picture):
                    _picture(paragraph, item)
                else:
                    _paragraph(paragraph, item, inner)
