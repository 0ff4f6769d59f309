"""The dossier register as an XLSX workbook (openpyxl), the same rows as its DOCX and PDF."""

import datetime as dt
import io

from .content.register import REGISTER_HEADERS, REGISTER_WIDTHS
from .words import clean_text, date_in_figures

HEADING_SIZE = 11  # points
# A spreadsheet measures a column in digits of its default font (Calibri 11: 7 px at 96 dpi), padding
# included; the register's widths are millimetres, the same as in its PDF and DOCX.
DIGIT_PX = 7


def column_width(mm: float) -> float:
    return round(mm / 25.4 * 96 / DIGIT_PX, 2)


def column_mm(width: float) -> float:
    return width * DIGIT_PX / 96 * 25.4


def write_register(*, agency, template, rows: list[list[str]], start: dt.date, end: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.page import PageMargins

    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    font = Font(name="Times New Roman", size=11)
    bold = Font(name="Times New Roman", size=HEADING_SIZE, bold=True)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    last = len(REGISTER_HEADERS)

    def line(row: int, text: str, *, style: Font, align: str = "center") -> None:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        cell = sheet.cell(row=row, column=1, value=clean_text(text))
        cell.font, cell.alignment = style, Alignment(horizontal=align)

    line(1, agency.name.upper(), style=bold, align="left")
    line(2, template.title.upper(), style=Font(name="Times New Roman", size=14, bold=True))
    line(3, f"Từ ngày {date_in_figures(start)} đến ngày {date_in_figures(end)}", style=font)
    line(4, template.form_note, style=Font(name="Times New Roman", size=10, italic=True), align="right")
    header_row = 6
    for column, text in enumerate(REGISTER_HEADERS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            # Every value is text: a code like 000.20.44.H54-... or a phone number must never become a number.
            cell = sheet.cell(row=header_row + offset, column=column, value=clean_text(value))
            cell.data_type = "s"
            cell.font, cell.border, cell.alignment = font, border, wrap
    for column, mm in enumerate(REGISTER_WIDTHS, start=1):
        letter = sheet.cell(row=header_row, column=column).column_letter
        sheet.column_dimensions[letter].width = column_width(mm)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
