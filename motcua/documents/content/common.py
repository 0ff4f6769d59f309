"""What every document shares: the dossier as read once (`Source`), small helpers, and the parts of
Nghị định 30/2020/NĐ-CP, Phụ lục I: the two-column header (issuing body with a short rule; national name
and motto with a rule the length of the motto), the italic place-and-date line with leading zeros, the
title in bold capitals, the signature blocks.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from motcua.accounts.phones import national

from ..layout import TEXT_WIDTH, Grid, Para, Picture, Run, b, i, p
from ..words import clean_text, place_and_date

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
HEADER_WIDTHS = [73.0, 92.0]  # the national name in 12 pt bold needs 88 mm
SIGNATURE_SPACE = 54.0  # points left blank for the signature above the signer's name


class NotApplicable(Exception):
    """The document does not exist for this dossier (yet): no receipt before receipt, and so on."""


@dataclass
class Source:
    """Everything a builder reads, fetched once: the dossier, its events in order, the site's address."""

    dossier: object
    events: list
    site_url: str

    @property
    def agency(self):
        return self.dossier.agency

    @property
    def procedure(self):
        return self.dossier.procedure

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


def issuing_body(name: str) -> str:
    """The issuing body in capitals, a People's Committee on two lines: "ỦY BAN NHÂN DÂN\nXÃ VĨNH LINH"."""
    upper = clean_text(name).upper()
    prefix = "ỦY BAN NHÂN DÂN "
    if upper.startswith(prefix) and len(upper) > len(prefix):
        return f"{prefix.strip()}\n{upper[len(prefix) :]}"
    return upper


def agency_header(agency, *, number: str, day: dt.date) -> Grid:
    """Decree 30's header: issuing body left, national name and motto right, number and date below."""
    left: list[Para | Picture] = []
    if agency.parent_name:
        left.append(p(agency.parent_name.upper(), align="center", size=12, after=0))
    left.append(Para([b(issuing_body(agency.name))], align="center", size=12, rule="short", after=0))
    right: list[Para | Picture] = [
        p(b(NATIONAL_NAME), align="center", size=12, after=0),
        Para([b(MOTTO)], align="center", size=13, rule="text", after=0),
    ]
    return Grid(
        widths=HEADER_WIDTHS,
        rows=[
            [left, right],
            [
                [p(number, align="center", size=12, before=4, after=0)] if number else [],
                [p(i(place_and_date(agency.place_name, day)), align="center", size=13, before=4, after=0)],
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
    widths = [TEXT_WIDTH / 2] * 2 if pair else [70.0, TEXT_WIDTH - 70.0]
    return Grid(widths=widths, rows=[[left, right]])


def table(
    widths: list[float], headers: list[str], rows: list[list[str]], *, size: float = 12, padding: float = 1.5
) -> Grid:
    head = [[p(b(h), align="center", size=size, after=0)] for h in headers]
    body = [
        [[p(value, align="center" if n == 0 else "left", size=size, after=0)] for n, value in enumerate(row)]
        for row in rows
    ]
    return Grid(widths=widths, rows=[head, *body], ruled=True, header_rows=1, padding=padding)
