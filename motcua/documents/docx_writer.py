"""`layout.Doc` -> DOCX bytes with python-docx, built directly (no template engine, so no injection).

python-docx gives the package: the default document, its section (A4, Decree 30 margins), styles,
the page-number header and the pictures. Paragraphs and tables are written as WordprocessingML
elements with lxml, which is five times faster than python-docx's proxies and just as safe: text
only ever goes into `w:t` nodes as text, never into markup.

What LibreOffice and Word need, learnt the hard way (stack.md §2): table widths in `w:gridCol` as well
as in each cell, a fixed table layout, borders removed explicitly, the font on all four `w:rFonts`
slots (and the theme fonts of the default template removed), dotted leaders as a right tab stop with a
dot leader at the text width, and page numbers in the header of every page but the first.
"""

import functools
import io

from .layout import MARGINS, PAGE, Doc, Grid, Para, Picture, text_width_mm

FONT = "Times New Roman"
SYMBOL_FONT = "Segoe UI Symbol"  # has ☒/☐ on Windows; LibreOffice falls back to DejaVu Sans elsewhere
BODY_SIZE = 13
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
JUSTIFICATION = {"left": "left", "center": "center", "right": "right", "justify": "both"}
RULE_WEIGHT = "6"  # eighths of a point: a 0.75 pt rule


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _el(parent, tag: str, **attributes):
    from lxml import etree

    element = etree.SubElement(parent, _w(tag))
    for key, value in attributes.items():
        element.set(_w(key), str(value))
    return element


def write(doc: Doc) -> bytes:
    from docx import Document

    document = Document(io.BytesIO(_base()))
    _setup(document, doc)
    body = document.element.body
    section_properties = body.find(_w("sectPr"))
    for block in doc.blocks:
        for element in _block(document, block, doc.text_width):
            section_properties.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar"}
DROPPED_PARTS = ("stylesWithEffects", "webSettings", "customXml", "thumbnail")


@functools.cache
def _base() -> bytes:
    """The default document made ours once per process: Times New Roman everywhere, Vietnamese, and
    only the styles we use. python-docx's template carries 800 KB of styles for Word 2010; without
    them a document opens, and saves, four times faster and weighs a fifth."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for owner in (document.part, document.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in DROPPED_PARTS:
                owner.rels.pop(rid)
    for paragraph in document.element.body.findall(qn("w:p")):  # the template's empty first paragraph
        document.element.body.remove(paragraph)

    # Times New Roman on every script slot, in the document defaults and in Normal, and no theme font
    # anywhere in the styles; Vietnamese as the proofing language.
    defaults = styles.find(qn("w:docDefaults"))
    targets = [document.styles["Normal"].element.get_or_add_rPr()]
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        if rpr is not None:
            targets.append(rpr)
    for rpr in targets:
        if rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in list(fonts.attrib):
            if attribute.lower().endswith("theme"):
                del fonts.attrib[attribute]
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _setup(document, doc: Doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    width, height = (PAGE[1], PAGE[0]) if doc.landscape else PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    # Page numbers centred in the top margin from page two (Decree 30): the first page has its own,
    # empty header.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = 1  # centre
    run = paragraph.add_run()
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
    core.author = core.last_modified_by = ""
    core.language = "vi-VN"


def _block(document, block, width_mm: float) -> list:
    from lxml import etree

    holder = etree.Element(_w("body"))
    if isinstance(block, Para):
        _paragraph(holder, block, width_mm)
    elif isinstance(block, Grid):
        _grid(document, holder, block)
    elif isinstance(block, Picture):
        _picture(document, _el(holder, "p"), block)
    return list(holder)


def _run_properties(parent, *, bold=False, italic=False, symbol=False, size: float = BODY_SIZE):
    rpr = _el(parent, "rPr")
    if symbol:
        _el(rpr, "rFonts", ascii=SYMBOL_FONT, hAnsi=SYMBOL_FONT, eastAsia=SYMBOL_FONT, cs=SYMBOL_FONT)
    if bold:
        _el(rpr, "b")
    if italic:
        _el(rpr, "i")
    if size != BODY_SIZE:
        half_points = str(round(size * 2))
        _el(rpr, "sz", val=half_points)
        _el(rpr, "szCs", val=half_points)
    if not len(rpr):
        parent.remove(rpr)


def _paragraph(parent, para: Para, width_mm: float, *, keep: bool = False) -> None:
    """`keep`: keep with the next paragraph whatever the block says (the rows of a kept table)."""
    p = _el(parent, "p")
    ppr = _el(p, "pPr")  # children in the schema's order: keepNext, keepLines, tabs, spacing, ind, jc, rPr
    if para.keep or keep:
        _el(ppr, "keepNext")
    if para.together:
        _el(ppr, "keepLines")
    if para.leader:
        _el(_el(ppr, "tabs"), "tab", val="right", leader="dot", pos=_twips(width_mm))
    _el(ppr, "spacing", before=round(para.before * 20), after=round(para.after * 20))
    if para.indent:
        _el(ppr, "ind", firstLine=_twips(10))
    _el(ppr, "jc", val=JUSTIFICATION[para.align])
    _run_properties(ppr, size=para.size)  # the paragraph mark: the height of an empty paragraph
    for item in para.runs:
        r = _el(p, "r")
        _run_properties(r, bold=item.bold, italic=item.italic, symbol=item.symbol, size=para.size)
        for n, part in enumerate(item.text.split("\n")):
            if n:
                _el(r, "br")
            t = _el(r, "t")
            t.text = part
            t.set(XML_SPACE, "preserve")
    if para.leader:
        r = _el(p, "r")
        _run_properties(r, size=para.size)
        _el(r, "tab")
    if para.rule:
        _rule(parent, para, width_mm)


def _rule(parent, para: Para, width_mm: float) -> None:
    """A centred rule under the paragraph: an empty 2 pt paragraph with a top border, narrowed by indents."""
    text = min(text_width_mm(para), width_mm)
    length = text if para.rule == "text" else max(text * 0.4, 15.0)
    side = _twips(max((width_mm - length) / 2, 0))
    p = _el(parent, "p")
    ppr = _el(p, "pPr")
    _el(_el(ppr, "pBdr"), "top", val="single", sz=RULE_WEIGHT, space="1", color="000000")
    _el(ppr, "spacing", before=0, after=round(para.after * 20), line=40, lineRule="exact")
    _el(ppr, "ind", left=side, right=side)
    _run_properties(ppr, size=1)


def _picture(document, p, picture: Picture, *, keep: bool = False) -> None:
    from docx.shared import Mm

    ppr = _el(p, "pPr")
    if keep:
        _el(ppr, "keepNext")
    _el(ppr, "jc", val="center")
    inline = document.part.new_pic_inline(io.BytesIO(picture.png), Mm(picture.width_mm), None)
    # python-docx names the picture after its stream; give it the accessible description instead.
    for doc_pr in inline.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        doc_pr.set("descr", picture.alt)
        doc_pr.set("name", "QR")
    _el(_el(p, "r"), "drawing").append(inline)


def _grid(document, parent, grid: Grid) -> None:
    tbl = _el(parent, "tbl")
    pr = _el(tbl, "tblPr")  # tblW, tblBorders, tblLayout, tblCellMar, tblLook: the schema's order
    _el(pr, "tblW", w=_twips(sum(grid.widths)), type="dxa")
    borders = _el(pr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if grid.ruled:
            _el(borders, edge, val="single", sz="4", space="0", color="000000")
        else:
            _el(borders, edge, val="nil")
    _el(pr, "tblLayout", type="fixed")
    margins = _el(pr, "tblCellMar")
    _el(margins, "left", w=_twips(grid.padding), type="dxa")
    _el(margins, "right", w=_twips(grid.padding), type="dxa")
    _el(pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1")
    columns = _el(tbl, "tblGrid")
    for mm in grid.widths:
        _el(columns, "gridCol", w=_twips(mm))
    last = len(grid.rows) - 1
    for r, cells in enumerate(grid.rows):
        tr = _el(tbl, "tr")
        tr_pr = _el(tr, "trPr")
        if not grid.ruled or grid.together:
            _el(tr_pr, "cantSplit")
        # Word and LibreOffice keep a row with the next one (or with what follows the table) when its
        # paragraphs keep with the next.
        keep = grid.keep or (grid.together and r < last)
        if r < grid.header_rows:
            _el(tr_pr, "tblHeader")
        for mm, items in zip(grid.widths, cells, strict=True):
            tc = _el(tr, "tc")
            _el(_el(tc, "tcPr"), "tcW", w=_twips(mm), type="dxa")
            inner = mm - 2 * grid.padding
            for item in items:
                if isinstance(item, Picture):
                    _picture(document, _el(tc, "p"), item, keep=keep)
                else:
                    _paragraph(tc, item, inner, keep=keep)
            if not items:  # a cell must end with a paragraph
                empty = _el(tc, "p")
                if keep:
                    _el(_el(empty, "pPr"), "keepNext")
