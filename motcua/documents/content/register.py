"""The register of dossiers (sổ theo dõi hồ sơ) over a period, A4 landscape."""

import datetime as dt

from ..layout import CELL_PADDING, Doc, Grid, Para, b, i, p
from ..models import DocumentTemplate, Kind
from ..words import date_in_figures
from .common import (
    MOTTO,
    NATIONAL_NAME,
    agency_lines,
    applicant_address,
    applicant_phone,
    form_note,
    local,
    table,
    title,
)

REGISTER_HEADERS = [
    "TT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết",
    "Có kết quả giải quyết",
    "Trả kết quả cho cá nhân, tổ chức",
    "Ghi chú",
]
# mm, 252 in all (A4 landscape). Each column is wider than the longest word of its heading ("lượng" in
# 10 pt bold is 8.8 mm, plus the cell's padding), so a heading wraps only between words: in the PDF, the
# DOCX and the XLSX alike.
REGISTER_WIDTHS = [8, 25, 32, 12, 24, 25, 20, 19, 19, 19, 19, 19, 11]
REGISTER_HEADING_SIZE = 10  # points, in the PDF and the DOCX


def _when(moment) -> str:
    return local(moment).strftime("%d/%m/%Y\n%H:%M") if moment else ""


def register_rows(dossiers) -> list[list[str]]:
    rows = []
    for n, dossier in enumerate(dossiers, start=1):
        forwarded = next((e.at for e in dossier.forward_events), None)
        contact = ", ".join(part for part in [applicant_address(dossier), applicant_phone(dossier)] if part)
        rows.append(
            [
                str(n),
                dossier.code,
                dossier.procedure.name,
                "01",
                dossier.applicant_name,
                contact,
                dossier.agency.name,
                _when(dossier.received_at),
                _when(dossier.due_at),
                _when(forwarded),
                _when(dossier.completed_at),
                _when(dossier.returned_at),
                dossier.status_label if dossier.status in (3, 7, 8) else "",
            ]
        )
    return rows


def register(
    agency, template: DocumentTemplate, rows: list[list[str]], *, start: dt.date, end: dt.date
) -> Doc:
    widths = [100.0, 152.0]
    body = agency_lines(
        agency.name, agency, width_mm=widths[0] - 2 * CELL_PADDING, size=12, bold=True, own_line=True
    )
    blocks = [
        form_note(template.form_note),
        Grid(
            widths=widths,
            rows=[
                [
                    [Para([b(body)], align="center", size=12, rule="short", after=0)],
                    [
                        p(b(NATIONAL_NAME), align="center", size=12, after=0),
                        Para([b(MOTTO)], align="center", size=13, rule="text", after=0),
                    ],
                ]
            ],
        ),
        *title(
            template.title,
            p(
                i(f"Từ ngày {date_in_figures(start)} đến ngày {date_in_figures(end)}"),
                align="center",
                after=8,
            ),
        ),
        table(
            REGISTER_WIDTHS,
            REGISTER_HEADERS,
            rows or [[""] * len(REGISTER_HEADERS)],
            size=REGISTER_HEADING_SIZE,
            padding=1,
        ),
        p(i(f"Tổng số: {len(rows):02d} hồ sơ."), size=12, before=4),
    ]
    return Doc(
        kind=Kind.REGISTER,
        filename=f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}",
        title=template.title,
        blocks=blocks,
        landscape=True,
    )
