"""What every document shares: the dossier as read once (`Source`), small helpers, and the parts of
Nghị định 30/2020/NĐ-CP, Phụ lục I: the two-column header (issuing body with a short rule; national name
and motto with a rule the length of the motto), the italic place-and-date line with leading zeros, the
title in bold capitals, the signature blocks.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from motcua.accounts.phones import national
from motcua.agencies.services import body_for

from ..layout import CELL_PADDING, TEXT_WIDTH, Grid, Para, Picture, Run, b, fit_lines, fits, i, p
from ..words import clean_text, long_date, place_and_date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADER_WIDTHS = [73.0, 92.0]  # the national name in 12 pt bold needs 88 mm
# The units of the 2025 reform: 34 provinces (tỉnh, thành phố) and their communes (xã, phường, đặc khu).
UNIT = re.compile(r"^(TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU) (.+)$", re.IGNORECASE)
SIGNATURE_SPACE = 54.0  # points left blank for the signature above the signer's name
SIGNATURE_WIDTHS = [70.0, TEXT_WIDTH - 70.0]  # "Nơi nhận" or nothing on the left, the signer on the right
SIGNER_TEXT_WIDTH = SIGNATURE_WIDTHS[1] - 2 * CELL_PADDING  # the lines inside the signer's cell


class NotApplicable(Exception):
    """The document does not exist for this dossier (yet): no receipt before receipt, and so on."""


@dataclass
class Source:
    """Everything a builder reads, fetched once: the dossier, its events in order, the site's address."""

    dossier: object
    events: list
    site_url: str
    claim_code: str = ""  # just issued by the desk, for a person without a phone: printed on the receipt

    @property
    def agency(self):
        return self.dossier.agency

    @property
    def procedure(self):
        return self.dossier.procedure

    @cached_property
    def body(self):
        """Who decides the dossier (agencies.Body): its slips are issued and signed in that body's name."""
        return body_for(self.agency, self.procedure.executing_body)

    def last(self, action: str):
        for event in reversed(self.events):
            if event.action == action:
                return event
        return None


# --- small helpers ---------------------------------------------------------------------------------------


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def applicant_address(dossier) -> str:
    data = dossier.form_data or {}
    return dossier.applicant_address or clean_text(
        data.get("requester_residence") or data.get("residence") or data.get("address") or ""
    )


def applicant_phone(dossier) -> str:
    if not dossier.applicant_phone:
        return ""
    try:
        return national(dossier.applicant_phone)
    except Exception:  # a number typed at the counter that phonenumbers cannot parse is printed as typed
        return dossier.applicant_phone


# --- shared parts ----------------------------------------------------------------------------------------


def form_note(text: str) -> Para:
    return p(i(text), align="right", size=11, after=6)


def title(text: str, *lines: Para) -> list[Para]:
    return [p(b(text.upper()), align="center", size=14, before=14, after=2, keep=True), *lines]


def name_parts(
    name: str, width_mm: float, *, size: float, bold: bool = False, italic: bool = False
) -> list[str]:
    """A place name as the fewest phrases that each fit a line of `width_mm`, none of them ever broken.

    The whole name ("TỈNH QUẢNG TRỊ"); else its unit apart from the proper name ("PHƯỜNG" and "TRƯƠNG
    QUANG TRỌNG"); else the proper name also at its hyphens, where the 2025 merger joined two names
    ("VĂN MIẾU -" and "QUỐC TỬ GIÁM"). Nothing is kept for a text that cannot fit even so: an address
    typed by a citizen, which may wrap at any space.
    """

    def fit(text: str) -> bool:
        return fits(text, width_mm, size=size, bold=bold, italic=italic)

    if fit(name):
        return [name]
    match = UNIT.match(name)
    unit, proper = (match.group(1), match.group(2)) if match else ("", name)
    parts = [proper] if fit(proper) else re.split(r"(?<= -) ", proper)
    if not all(fit(part) for part in parts):
        return []
    return [unit, *parts] if unit else parts


def agency_lines(
    text: str, agency, *, width_mm: float, size: float, bold: bool, own_line: bool = False
) -> str:
    """An agency's name in capitals on lines that fit `width_mm`, the names of its commune and its
    province never split ("TỈNH QUẢNG / TRỊ" was). `own_line`: the first of them starts a line, as a
    People's Committee is written ("ỦY BAN NHÂN DÂN\nXÃ VĨNH LINH"), unless that name must be split.
    """
    upper = clean_text(text).upper()
    names = [name.upper() for name in (agency.ward_name, agency.province_name)]
    found = sorted((upper.find(name), name) for name in names if name in upper)
    if not found:
        return fit_lines(upper, width_mm, size=size, bold=bold)
    parts = {name: name_parts(name, width_mm, size=size, bold=bold) for _, name in found}
    start, first = found[0]
    head = upper[:start].strip()
    if own_line and head and len(parts[first]) == 1:
        upper = f"{head}\n{upper[start:]}"
    return fit_lines(
        upper, width_mm, size=size, bold=bold, keep=[part for kept in parts.values() for part in kept]
    )


def place_and_date_lines(place: str, day: dt.date, width_mm: float, *, prefix: str = "") -> str:
    """The italic place-and-date line (13 pt) on lines that fit `width_mm`, breaking after the place's
    comma before it breaks inside the place's name or the date."""
    place = clean_text(place)
    keep = [*name_parts(place, width_mm, size=13, italic=True), long_date(day)]
    return fit_lines(f"{prefix}{place_and_date(place, day)}", width_mm, size=13, italic=True, keep=keep)


def agency_header(agency, *, number: str, day: dt.date, body=None) -> Grid:
    """Decree 30's header: issuing body left, national name and motto right, number and date below.

    The issuing body is `body` (agencies.Body: the commune police for residence) or the agency itself;
    its superior body above it ("CÔNG AN TỈNH QUẢNG TRỊ / CÔNG AN XÃ VĨNH LINH")."""
    issuer = body or agency
    own_line = body.name_on_own_line if body is not None else True
    left_width, right_width = (width - 2 * CELL_PADDING for width in HEADER_WIDTHS)
    left: list[Para | Picture] = []
    if issuer.parent_name:
        parent = agency_lines(issuer.parent_name, agency, width_mm=left_width, size=12, bold=False)
        left.append(p(parent, align="center", size=12, after=0))
    name = agency_lines(issuer.name, agency, width_mm=left_width, size=12, bold=True, own_line=own_line)
    left.append(Para([b(name)], align="center", size=12, rule="short", after=0))
    right: list[Para | Picture] = [
        p(b(NATIONAL_NAME), align="center", size=12, after=0),
        Para([b(MOTTO)], align="center", size=13, rule="text", after=0),
    ]
    place_date = place_and_date_lines(agency.place_name, day, right_width)
    return Grid(
        widths=HEADER_WIDTHS,
        rows=[
            [left, right],
            [
                [p(number, align="center", size=12, before=4, after=0)] if number else [],
                [p(i(place_date), align="center", size=13, before=4, after=0)],
            ],
        ],
    )


def field(label: str, value: str = "", *, indent: bool = False) -> Para:
    """ "Label: value ........" with the dots to the right margin; an empty value leaves a dotted line."""
    runs = [Run(f"{label}: ")]
    if value:
        runs.append(b(value))
    return Para(runs, leader=True, indent=indent, after=2)


def signature(title_text: str, hint: str, name: str = "", *, place_date: str = "") -> list[Para | Picture]:
    cell: list[Para | Picture] = []
    if place_date:
        cell.append(p(i(place_date), align="center", before=8, after=2))
    cell.append(p(b(title_text.upper()), align="center", before=0 if place_date else 8, after=0))
    cell.append(p(i(hint), align="center", after=0))
    cell.append(p(b(name) if name else "", align="center", before=SIGNATURE_SPACE, after=0))
    return cell


def signatures(left: list, right: list, *, pair: bool = False) -> Grid:
    """Two signature blocks side by side (`pair`), or one on the right with "Nơi nhận" or nothing left."""
    widths = [TEXT_WIDTH / 2] * 2 if pair else SIGNATURE_WIDTHS
    return Grid(widths=widths, rows=[[left, right]], keep_with_previous=True)


def table(
    widths: list[float], headers: list[str], rows: list[list[str]], *, size: float = 12, padding: float = 1.5
) -> Grid:
    head = [[p(b(h), align="center", size=size, after=0)] for h in headers]
    body = [
        [[p(value, align="center" if n == 0 else "left", size=size, after=0)] for n, value in enumerate(row)]
        for row in rows
    ]
    return Grid(widths=widths, rows=[head, *body], ruled=True, header_rows=1, padding=padding)
