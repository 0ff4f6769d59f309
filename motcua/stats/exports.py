"""The report as CSV and XLSX: the same rows and cells as the page, suppressed cells as "<3" or "x"."""

import csv
import io

from django.utils.translation import gettext as _

from .indicators import INDICATORS, citation
from .report import Report


def header() -> list[str]:
    return [_("Kỳ"), *(str(i.label) for i in INDICATORS)]


def lines(report: Report) -> list[list[str | int | float]]:
    out: list[list] = []
    for row in [*report.rows, report.total]:
        cells = [row.cells[i.key] for i in INDICATORS]
        out.append([row.label, *(c.value if c.value is not None else c.text for c in cells)])
    return out


def notes(report: Report) -> list[str]:
    q = report.query
    return [
        f"{report.query.agency.name} ({q.agency.agency_id})",
        _("Thủ tục: %(code)s") % {"code": q.procedure_code} if q.procedure_code else _("Mọi thủ tục"),
        _("<3: ít hơn 3 hồ sơ, không công bố; x: ẩn để không suy ra được số nhỏ hơn 3 từ tổng."),
    ]


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for line in lines(report):
        writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in line])
    writer.writerow([])
    for note in notes(report):
        writer.writerow([note])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM: Excel opens UTF-8 CSV as UTF-8


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Chỉ số")
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines(report):
        sheet.append(line)
    sheet.append([])
    for note in notes(report):
        sheet.append([note])
    sheet.column_dimensions["A"].width = 12
    formulas = book.create_sheet(_("Công thức"))
    formulas.append([_("Chỉ số"), _("Mã"), _("Công thức"), _("Căn cứ")])
    for indicator in INDICATORS:
        formulas.append([str(indicator.label), indicator.key, str(indicator.formula), citation(indicator)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
