"""Posters (A4) and leaflets (A5) of a procedure or a life event, as print-ready PDF, from the catalogue.

One page each, large type, black on white only (a village photocopier keeps every line): who pays nothing
first, then what you get, what to bring, the fee, the time, three to five steps, a large QR code to the
guide (tagged with its channel and campaign, `links.tagged`) and where to get help. A life event's sheet says
what to do in order (the joined-up filing first), what to bring once for all, and each step's fee. The same
path as the
dossier documents (WeasyPrint, Liberation Sans from fonts-liberation2 for every Vietnamese glyph, only
data: URLs fetched); a page that would run over is set again a step smaller. Officers print a set — one
page per procedure — as one PDF.
"""

import functools
import hashlib
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.catalog.models import LifeEvent, Procedure
from motcua.catalog.services import describe_fee, describe_time, life_event_guide
from motcua.text import clean_text

from .links import Channel, tagged

__all__ = [
    "SIZES",
    "Sheet",
    "event_sheet_for",
    "guide_link",
    "is_cached",
    "render_set",
    "render_sheet",
    "sheet_for",
]

STYLESHEET = Path(__file__).resolve().parent / "print" / "poster.css"
SIZES = {"a4": Channel.POSTER, "a5": Channel.LEAFLET}  # a poster is A4, a leaflet A5
DENSITIES = ("", "dense", "denser", "densest")  # set again smaller while a page runs over
CACHE_SECONDS = 3600
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@functools.cache
def _fetcher():
    """Only data: URLs (the QR code): a poster never reaches the network or the file system."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


@functools.cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetcher())


@dataclass(frozen=True)
class Sheet:
    """What one poster or leaflet says; plain text in the reader's language (the catalogue's, else
    Vietnamese, marked `lang`), so that a hash of it says whether a cached PDF is still right."""

    size: str
    title: str
    agency: str
    free: list[str]  # who pays nothing, first on the page
    free_note: str
    result: str
    documents: list[str]
    fees: list[str]
    fee_heading: str  # "Phí", "Lệ phí" or both, from the procedure's fees
    time: str
    steps: list[tuple[str, str]]
    online: bool
    link: str
    help_lines: list[str] = field(default_factory=list)
    lang: str = "vi"
    result_heading: str = ""  # "" = "Bạn nhận được"; a life event says what it is about
    documents_heading: str = ""  # "" = "Mang theo"


def guide_link(procedure: Procedure, *, site_url: str, channel: str, campaign: str = "") -> str:
    """The guide's address as a QR code or a message carries it, with its tag."""
    return tagged(f"{site_url}/thu-tuc/{procedure.code}/", channel=channel, campaign=campaign)


def _short(text: str, limit: int = 160) -> str:
    """The first sentence of a catalogue text, at most about `limit` characters."""
    text = " ".join(clean_text(text or "").split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    text = match.group(1) if match else text
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _plain(obj, name: str) -> str:
    return str(obj.tr(name, marked=False))


def _who_pays_nothing(procedures: list[Procedure]) -> tuple[list[str], str]:
    """Who pays nothing for these procedures (the categories exempted from any of them), and a note."""
    charged = any(f.amount_vnd or f.later_amount_vnd for p in procedures for f in p.fees.all())
    rows = [row for p in procedures for row in p.exemption_rows.all()]
    several = len(procedures) > 1
    if not charged:
        free, free_note = (
            [],
            (
                _("Các thủ tục này miễn phí: không ai phải nộp tiền.")
                if several
                else _("Thủ tục này miễn phí: không ai phải nộp tiền.")
            ),
        )
    elif not rows:
        free, free_note = (
            [],
            (
                _("Các thủ tục này không có trường hợp được miễn lệ phí.")
                if several
                else _("Thủ tục này không có trường hợp được miễn lệ phí.")
            ),
        )
    else:
        free, seen = [], set()
        for row in rows:
            if row.category.code in seen:  # two procedures exempt the same people: say it once
                continue
            seen.add(row.category.code)
            line = _plain(row.category, "name")
            if row.category.code.startswith("on_time") and row.note:
                line += ": " + _short(_plain(row, "note"), 90)
            free.append(line)
        free_note = _("Mang theo giấy tờ chứng minh (hộ nghèo, người có công, khuyết tật) khi nộp.")
    return free, free_note


def _help_lines(agency) -> list[str]:
    help_lines = []
    if agency is not None:
        help_lines.append(_("Bộ phận một cửa, %(agency)s") % {"agency": agency.name})
        if agency.address:
            help_lines.append(agency.address)
        if agency.phone:
            help_lines.append(_("Điện thoại: %(phone)s") % {"phone": agency.phone})
    help_lines.append(_("Hoặc nhờ Tổ công nghệ số cộng đồng ở thôn giúp nộp hồ sơ."))
    return help_lines


def sheet_for(procedure: Procedure, *, agency, size: str, site_url: str, campaign: str = "") -> Sheet:
    free, free_note = _who_pays_nothing([procedure])
    help_lines = _help_lines(agency)
    documents = [
        _short(_plain(d, "name"), 110) + ("" if d.required else " " + _("(nếu cần)"))
        for d in procedure.documents.all()
    ]
    fees = [
        f"{line.label}: {line.text}" if line.label != procedure.fee_heading else line.text
        for line in describe_fee(procedure)
    ]
    return Sheet(
        size=size,
        title=_plain(procedure, "name"),
        agency=agency.name if agency is not None else "",
        free=free,
        free_note=free_note,
        result=_short(_plain(procedure, "result"), 200),
        documents=documents,
        fees=fees,
        fee_heading=str(procedure.fee_heading),
        time=describe_time(procedure),
        steps=[
            (_short(_plain(s, "title"), 60), _short(_plain(s, "text"), 110)) for s in procedure.steps.all()
        ][:5],
        online=procedure.is_online,
        link=guide_link(procedure, site_url=site_url, channel=SIZES[size], campaign=campaign),
        help_lines=help_lines,
        lang=(get_language() or "vi").split("-")[0],
    )


def event_link(event: LifeEvent, *, site_url: str, channel: str, campaign: str = "") -> str:
    return tagged(f"{site_url}/su-kien/{event.slug}/", channel=channel, campaign=campaign)


def event_sheet_for(event: LifeEvent, *, agency, size: str, site_url: str, campaign: str = "") -> Sheet:
    """A life event's sheet: the joined-up filing first, then the steps in order, the papers to bring once
    for all of them, each step's fee and who pays nothing for any of them."""
    guide = life_event_guide(event.slug)
    found = [s for s in guide.joined + guide.steps if s.procedure is not None]
    free, free_note = _who_pays_nothing([s.procedure for s in found])
    steps = []
    for s in guide.joined:
        name = _plain(s.procedure, "name") if s.procedure else _plain(s.step, "title")
        steps.append((s.offer, _short(name, 110)))
    for s in guide.steps:
        name = _plain(s.procedure, "name") if s.procedure else _plain(s.step, "title")
        where = f"{s.where}, {s.time[:1].lower()}{s.time[1:]}" if s.procedure else _plain(s.step, "note")
        title = _("Bước %(n)s") % {"n": s.number} if event.in_order else _("Hoặc")
        steps.append((title, _short(f"{name}: {where}" if where else name, 130)))
    fees = []
    for s in guide.steps:
        if s.procedure is not None and s.fee:
            line = f"{_short(_plain(s.procedure, 'name'), 50)}: {s.fee}"
            if line not in fees:
                fees.append(line)
    return Sheet(
        size=size,
        title=_plain(event, "name"),
        agency=agency.name if agency is not None else "",
        free=free,
        free_note=free_note,
        result=_short(_plain(event, "summary"), 200),
        documents=[
            _short(
                str(p.source.get("name", "")) if isinstance(p.source, dict) else _plain(p.source, "name"), 110
            )
            for p in guide.papers
        ][:8],
        fees=fees[:5],
        fee_heading=_("Phí, lệ phí"),
        time="",
        steps=steps[:5],
        online=any(s.procedure.is_online for s in found),
        link=event_link(event, site_url=site_url, channel=SIZES[size], campaign=campaign),
        help_lines=_help_lines(agency),
        lang=(get_language() or "vi").split("-")[0],
        result_heading=_("Việc cần làm"),
        documents_heading=_("Mang theo một lần cho mọi bước"),
    )


def _qr(link: str) -> str:
    import segno

    # Level Q: a poster on a notice board gets creased and rained on; a quarter of it may go. A PNG (drawn
    # without smoothing, see poster.css) costs WeasyPrint a fifth of what the same code as SVG does.
    return segno.make(link, error="q").png_data_uri(scale=10, border=4)


def _key(sheet: Sheet) -> str:
    digest = hashlib.sha256(json.dumps(asdict(sheet), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    digest.update(STYLESHEET.read_bytes())
    return f"outreach:sheet:{digest.hexdigest()}"


def _document(sheet: Sheet):
    """The WeasyPrint document of one sheet, set smaller until it fits one page. The size that fitted is
    remembered, so the next rendering of the same sheet (a set, a cache miss) is one layout."""
    from weasyprint import HTML

    context = asdict(sheet) | {"qr": _qr(sheet.link), "display_link": sheet.link.split("?", 1)[0]}
    key = _key(sheet) + ":density"
    first = cache.get(key, 0)
    for index in range(first, len(DENSITIES)):
        markup = render_to_string("outreach/print/sheet.html", context | {"density": DENSITIES[index]})
        document = HTML(string=markup, url_fetcher=_fetcher()).render(stylesheets=[_stylesheet()])
        if len(document.pages) == 1:
            cache.set(key, index, CACHE_SECONDS)
            break
    return document


def is_cached(sheet: Sheet) -> bool:
    return cache.get(_key(sheet)) is not None


def render_sheet(sheet: Sheet) -> bytes:
    """One poster or leaflet as PDF bytes; kept in the cache while what it says stays the same."""
    key = _key(sheet)
    pdf = cache.get(key)
    if pdf is None:
        pdf = _document(sheet).write_pdf()
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def render_set(sheets: list[Sheet]) -> bytes:
    """Several sheets, one page each, in one PDF for one print job."""
    documents = [_document(sheet) for sheet in sheets]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
