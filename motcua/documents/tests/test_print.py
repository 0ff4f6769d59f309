"""Documents that print right: the longest realistic content, printed and read back page by page.

A signature block never starts a page alone, a header never splits the name of a province or a commune,
and the register's headings never split a word. Each is read with poppler (`pdftotext -layout`, page by
page) from the PDF and, for the receipt and the declaration, from the DOCX as LibreOffice prints it.
"""

import copy
import io
import itertools
from dataclasses import dataclass

import pytest
import time_machine
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from vietnam_provinces import Ward

from motcua.agencies.models import Agency
from motcua.agencies.services import set_officer
from motcua.catalog.services import get_procedure
from motcua.documents import services
from motcua.documents.content.common import (
    HEADER_WIDTHS,
    SIGNER_TEXT_WIDTH,
    UNIT,
    agency_lines,
    place_and_date_lines,
    signature,
    signatures,
)
from motcua.documents.content.register import REGISTER_HEADERS, REGISTER_HEADING_SIZE, REGISTER_WIDTHS
from motcua.documents.docx_writer import write as write_docx
from motcua.documents.layout import CELL_PADDING, Doc, Grid, Para, fits, line_width_mm, p
from motcua.documents.models import Kind
from motcua.documents.pdf_writer import write as write_pdf
from motcua.documents.words import long_date
from motcua.documents.xlsx_writer import HEADING_SIZE, column_mm
from motcua.dossiers import services as dossiers

from .cases import NOW, SITE
from .factories import sample_form
from .tools import libreoffice_pdfs, pdf_layout_pages, save_png, visible

# The communes whose names print widest after the 2025 merger, and the commune of the report.
VINH_LINH = 19363  # xã Vĩnh Linh, tỉnh Quảng Trị: "TỈNH QUẢNG / TRỊ" was printed
VAN_MIEU = 226  # phường Văn Miếu - Quốc Tử Giám, Thành phố Hà Nội: the longest commune name
TRUONG_QUANG_TRONG = 21172  # phường Trương Quang Trọng, tỉnh Quảng Ngãi: the widest without a hyphen
DONG_HUNG_THUAN = 26791  # phường Đông Hưng Thuận, Thành phố Hồ Chí Minh: the longest province name
# Long names as people carry them, and an address as long as a Hanoi one gets.
PEOPLE = ["Tôn Nữ Hoàng Thị Phương Thảo", "Âu Dương Nguyễn Hoàng Minh Khôi", "Công Tôn Nữ Thị Bảo Ngọc"]
DESK_NAME = "Nguyễn Huỳnh Phương Thảo Nguyên"
ADDRESS = (
    "Số 168/24 ngõ Văn Chương 2, tổ dân phố Văn Chương 3, phường Văn Miếu - Quốc Tử Giám, "
    "Thành phố Hà Nội (gần cổng sau Trường Tiểu học Văn Miếu)"
)
ISSUER = "Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an"
# A blank block of these heights (points) after the title moves the end of the document down through one
# whole page, in steps shorter than any signature block: one of them puts the page end inside it.
SPACERS = range(0, 768, 64)


def proper_name(name: str) -> str:
    """ "Phường Văn Miếu - Quốc Tử Giám" -> "Văn Miếu - Quốc Tử Giám"."""
    return UNIT.match(name).group(2)


def lowered_unit(name: str) -> str:
    return name[:1].lower() + name[1:]


def make_agency(ward_code: int) -> Agency:
    ward = Ward.from_code(ward_code)
    province = ward.province_code.value
    agency = Agency(ward_code=ward_code, province_code=province)
    agency.name = f"Ủy ban nhân dân {lowered_unit(agency.ward_name)}"
    agency.parent_name = f"Ủy ban nhân dân {lowered_unit(agency.province_name)}"
    agency.agency_id = f"000.{ward_code % 100:02d}.{province:02d}.H{province:02d}"
    agency.address = f"Trụ sở {agency.name}, {agency.province_name}"
    agency.save()
    return agency


def desk_of(agency: Agency):
    user = get_user_model().objects.create_user(
        username=f"motcua.{agency.ward_code}", password="demo-2026", full_name=DESK_NAME
    )
    set_officer(user, agency=agency, roles=["onestop"])
    user.refresh_from_db()
    return user


def longest_form(procedure, agency) -> dict:
    """Every answer of `procedure`'s declaration, names and places as long as real ones get."""
    form = sample_form(procedure)
    names = itertools.cycle(PEOPLE)
    for spec in procedure.form_fields.all():
        if spec.type != "text":
            continue
        if spec.name == "kinh_gui":
            value = agency.name
        elif spec.name == "signed_place":
            value = agency.place_name
        elif spec.name.endswith("_name"):
            value = next(names)
        elif spec.name.endswith("issue_place"):
            value = ISSUER
        elif any(word in spec.name for word in ("residence", "address", "place", "home_town")):
            value = ADDRESS
        else:
            continue
        form[spec.name] = value[: spec.max_length] if spec.max_length else value
    return form


def filed(code: str, agency, desk):
    procedure = get_procedure(code)
    return dossiers.file_at_counter(
        procedure=procedure,
        agency=agency,
        by=desk,
        applicant_name=PEOPLE[0],
        applicant_phone="0912345678",
        applicant_id_number="001190012345",
        applicant_address=ADDRESS,
        form=longest_form(procedure, agency),
    )


@dataclass
class Signed:
    """A document and what its signature block prints: the headings and the signers' names."""

    name: str
    doc: Doc
    headings: list[str]
    signers: list[str]


@pytest.fixture
def long_agency(db):
    return make_agency(VAN_MIEU)


@pytest.fixture
def signed(catalogue, long_agency):
    """The receipt of the procedure with the longest papers, the birth declaration (30 answers) and the
    marriage declaration (two signers), for the commune with the longest name."""
    desk = desk_of(long_agency)
    with time_machine.travel(NOW, tick=False):
        receipt = filed("2.001035", long_agency, desk)
        birth = filed("1.001193", long_agency, desk)
        marriage = filed("1.000894", long_agency, desk)
        build = services.build
        return [
            Signed(
                "giay-tiep-nhan",
                build(dossier=receipt, kind=Kind.RECEIPT, site_url=SITE),
                ["NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"],
                [PEOPLE[0], DESK_NAME],
            ),
            Signed(
                "to-khai-khai-sinh",
                build(dossier=birth, kind=Kind.DECLARATION),
                ["NGƯỜI YÊU CẦU"],
                [birth.form_data["requester_name"]],
            ),
            Signed(
                "to-khai-ket-hon",
                build(dossier=marriage, kind=Kind.DECLARATION),
                ["BÊN NỮ", "BÊN NAM"],
                [marriage.form_data["bride_name"], marriage.form_data["groom_name"]],
            ),
        ]


def pushed_down(doc: Doc, points: int) -> Doc:
    """`doc` with a blank block `points` high after its title."""
    moved = copy.deepcopy(doc)
    title = next(n for n, block in enumerate(moved.blocks) if getattr(block, "text", "") == doc.title.upper())
    moved.blocks.insert(title + 1, p("", before=points, after=0))
    return moved


def last_text(block) -> str:
    if isinstance(block, Para):
        return block.text
    texts = [item.text for row in block.rows for cell in row for item in cell if isinstance(item, Para)]
    return next(text for text in reversed(texts) if text.strip())


def signed_text_before(doc: Doc) -> str:
    """The last paragraph before the signature block and what is kept with it (a place-and-date line)."""
    n = len(doc.blocks) - 1
    while n > 0 and isinstance(doc.blocks[n], Grid) and doc.blocks[n].keep_with_previous:
        n -= 1
    return last_text(doc.blocks[n])


def last_page_with(pages: list[str], text: str) -> int | None:
    wanted = visible(text)
    return max((n for n, page in enumerate(pages, start=1) if wanted in visible(page)), default=None)


def pages_apart(pages: list[str], item: Signed) -> dict | None:
    """None when the signature block's headings, its signers and the paragraph before them are printed on
    one page; else the page of each."""
    texts = [signed_text_before(item.doc), *item.headings, *item.signers]
    where = {text: last_page_with(pages, text) for text in texts}
    return None if len(set(where.values())) == 1 and None not in where.values() else where


def lines_of(page: str) -> list[str]:
    return [" ".join(line.split()) for line in page.splitlines()]


def split_names(page: str, names: list[str]) -> list[str]:
    """The names that no line of `page` holds whole."""
    lines = lines_of(page)
    return [name for name in names if not any(name in line for line in lines)]


# --- the header: one place decides where an agency's name breaks -------------------------------------------


@pytest.mark.parametrize(
    ("ward_code", "parent", "body"),
    [
        (VINH_LINH, "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ", "ỦY BAN NHÂN DÂN\nXÃ VĨNH LINH"),
        (VAN_MIEU, "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN PHƯỜNG\nVĂN MIẾU - QUỐC TỬ GIÁM"),
        (
            TRUONG_QUANG_TRONG,
            "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI",
            "ỦY BAN NHÂN DÂN PHƯỜNG\nTRƯƠNG QUANG TRỌNG",
        ),
        (
            DONG_HUNG_THUAN,
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH",
            "ỦY BAN NHÂN DÂN\nPHƯỜNG ĐÔNG HƯNG THUẬN",
        ),
    ],
)
def test_an_agency_breaks_between_names_and_a_commune_too_wide_for_its_line_leaves_its_unit_above(
    ward_code, parent, body
):
    agency = Agency(ward_code=ward_code, province_code=Ward.from_code(ward_code).province_code.value)
    width = HEADER_WIDTHS[0] - 2 * CELL_PADDING
    parent_name = f"Ủy ban nhân dân {lowered_unit(agency.province_name)}"
    body_name = f"Ủy ban nhân dân {lowered_unit(agency.ward_name)}"
    assert agency_lines(parent_name, agency, width_mm=width, size=12, bold=False) == parent
    assert agency_lines(body_name, agency, width_mm=width, size=12, bold=True, own_line=True) == body


def test_the_place_and_date_line_breaks_after_the_comma_before_it_splits_the_place_or_the_date():
    width = HEADER_WIDTHS[1] - 2 * CELL_PADDING
    assert place_and_date_lines("Vĩnh Linh", NOW.date(), width) == "Vĩnh Linh, ngày 20 tháng 11 năm 2026"
    assert (
        place_and_date_lines("Văn Miếu - Quốc Tử Giám", NOW.date(), width)
        == "Văn Miếu - Quốc Tử Giám,\nngày 20 tháng 11 năm 2026"
    )
    # A place typed by a citizen, too long for any line, wraps between its words.
    typed = place_and_date_lines(ADDRESS, NOW.date(), SIGNER_TEXT_WIDTH, prefix="Làm tại ")
    assert typed.replace("\n", " ") == f"Làm tại {ADDRESS}, ngày 20 tháng 11 năm 2026"
    assert all(fits(line, SIGNER_TEXT_WIDTH, size=13, italic=True) for line in typed.splitlines())


def test_no_province_or_commune_of_the_2025_map_is_split_in_a_header_or_a_place_and_date_line():
    """All 34 provinces and 3,321 communes: each line fits its column, each name is on one line (or, at
    most, in the halves that a hyphen joins)."""
    left, right = (width - 2 * CELL_PADDING for width in HEADER_WIDTHS)
    date = long_date(NOW.date())
    problems = []
    for ward in Ward.iter_all():
        agency = Agency(ward_code=ward.code.value, province_code=ward.province_code.value)
        printed = {
            "parent": (
                agency_lines(
                    f"Ủy ban nhân dân {agency.province_name}", agency, width_mm=left, size=12, bold=False
                ),
                [proper_name(agency.province_name).upper()],
                {"width_mm": left, "size": 12},
            ),
            "body": (
                agency_lines(
                    f"Ủy ban nhân dân {agency.ward_name}",
                    agency,
                    width_mm=left,
                    size=12,
                    bold=True,
                    own_line=True,
                ),
                proper_name(agency.ward_name).upper().split(" - "),
                {"width_mm": left, "size": 12, "bold": True},
            ),
            "date": (
                place_and_date_lines(agency.place_name, NOW.date(), right),
                [*agency.place_name.split(" - "), date],
                {"width_mm": right, "size": 13, "italic": True},
            ),
            "signed": (
                place_and_date_lines(agency.place_name, NOW.date(), SIGNER_TEXT_WIDTH, prefix="Làm tại "),
                [*agency.place_name.split(" - "), date],
                {"width_mm": SIGNER_TEXT_WIDTH, "size": 13, "italic": True},
            ),
        }
        for part, (text, names, font) in printed.items():
            lines = text.splitlines()
            width = font.pop("width_mm")
            if not all(fits(line, width, **font) for line in lines) or any(
                not any(name in line for line in lines) for name in names
            ):
                problems.append((ward.name, part, text))
    assert not problems, problems[:10]


# --- the signature block stays with what it signs ----------------------------------------------------------


def test_a_signature_block_keeps_the_paragraph_before_it_whole_and_with_it():
    thanks, closing = p("Xin thông báo để Ông/Bà được biết./."), p("Xin trân trọng cảm ơn!")
    Doc(
        kind=Kind.SUPPLEMENT,
        filename="x",
        title="x",
        blocks=[thanks, closing, signatures([], signature("Người hướng dẫn", "(Ký và ghi rõ họ tên)", "A"))],
    )
    assert (closing.keep, closing.together) == (True, True)
    assert (thanks.keep, thanks.together) == (False, False)


def test_pdf_keeps_each_signature_block_on_the_page_of_the_paragraph_before_it(signed):
    apart = []
    for item in signed:
        for points in SPACERS:
            problem = pages_apart(pdf_layout_pages(write_pdf(pushed_down(item.doc, points))), item)
            if problem:
                apart.append((item.name, points, problem))
    assert not apart, apart


def test_libreoffice_keeps_each_signature_block_on_the_page_of_the_paragraph_before_it(signed):
    cases = [(item, points) for item in signed for points in SPACERS]
    pdfs = libreoffice_pdfs([write_docx(pushed_down(item.doc, points)) for item, points in cases])
    apart = []
    for (item, points), pdf in zip(cases, pdfs, strict=True):
        problem = pages_apart(pdf_layout_pages(pdf), item)
        if problem:
            apart.append((item.name, points, problem))
    assert not apart, apart


def test_the_declarations_place_and_date_line_keeps_the_place_and_the_date_whole(signed, long_agency):
    names = [proper_name(long_agency.ward_name), long_date(NOW.date())]
    for item in signed[1:]:
        pdfs = [write_pdf(item.doc), *libreoffice_pdfs([write_docx(item.doc)])]
        for writer, pdf in zip(("weasyprint", "libreoffice"), pdfs, strict=True):
            assert not split_names(pdf_layout_pages(pdf)[-1], names), (item.name, writer)


# --- the header as printed ---------------------------------------------------------------------------------


def test_the_printed_header_holds_each_province_and_commune_name_on_one_line(catalogue):
    docs = []
    for ward_code in (VINH_LINH, VAN_MIEU, TRUONG_QUANG_TRONG, DONG_HUNG_THUAN):
        agency = make_agency(ward_code)
        with time_machine.travel(NOW, tick=False):
            dossier = filed("2.001035", agency, desk_of(agency))
            doc = services.build(dossier=dossier, kind=Kind.RECEIPT, site_url=SITE)
        names = [
            proper_name(agency.province_name).upper(),
            proper_name(agency.ward_name).upper(),
            agency.place_name,
            long_date(NOW.date()),
        ]
        docs.append((ward_code, doc, names))
    libreoffice = libreoffice_pdfs([write_docx(doc) for _, doc, _ in docs])
    split = []
    for (ward_code, doc, names), from_docx in zip(docs, libreoffice, strict=True):
        for writer, pdf in (("weasyprint", write_pdf(doc)), ("libreoffice", from_docx)):
            header = pdf_layout_pages(pdf)[0].split(doc.title.upper())[0]
            if split_names(header, names):
                split.append((ward_code, writer, split_names(header, names), header))
            save_png(pdf, f"print-header-{ward_code}-{writer}")
    assert not split, split


# --- the register's headings -------------------------------------------------------------------------------


def test_each_register_column_is_wider_than_the_longest_word_of_its_heading(long_agency):
    """In the PDF and the DOCX (10 pt bold, 1 mm padding each side) and in the XLSX (11 pt bold, about
    1 mm of cell margins), so that a heading wraps between its words."""
    xlsx = services.render_register(agency=long_agency, start=NOW.date(), end=NOW.date(), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    too_narrow = []
    for n, (heading, mm) in enumerate(zip(REGISTER_HEADERS, REGISTER_WIDTHS, strict=True), start=1):
        xlsx_mm = column_mm(sheet.column_dimensions[sheet.cell(row=6, column=n).column_letter].width)
        for word in heading.split():
            if line_width_mm(word, size=REGISTER_HEADING_SIZE, bold=True) + 2 > mm:
                too_narrow.append(("pdf", heading, word))
            if line_width_mm(word, size=HEADING_SIZE, bold=True) + 1.5 > xlsx_mm:
                too_narrow.append(("xlsx", heading, word))
    assert not too_narrow, too_narrow
    assert all(sheet.cell(row=6, column=n).alignment.wrap_text for n in range(1, len(REGISTER_HEADERS) + 1))


def test_the_printed_register_splits_no_heading_word(signed, long_agency):
    rendered = {
        fmt: services.render_register(agency=long_agency, start=NOW.date(), end=NOW.date(), fmt=fmt).content
        for fmt in ("pdf", "docx")
    }
    words = {word for heading in REGISTER_HEADERS for word in heading.split()}
    for writer, pdf in (
        ("weasyprint", rendered["pdf"]),
        ("libreoffice", libreoffice_pdfs([rendered["docx"]])[0]),
    ):
        lines = pdf_layout_pages(pdf)[0].splitlines()
        start = next(n for n, line in enumerate(lines) if "Từ ngày" in line) + 1
        end = next(n for n, line in enumerate(lines) if line.split()[:1] == ["1"])
        printed = [token for line in lines[start:end] for token in line.split()]
        assert printed, writer
        assert not [token for token in printed if token not in words], (writer, lines[start:end])
        save_png(pdf, f"print-register-{writer}")
