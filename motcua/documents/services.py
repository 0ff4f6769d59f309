"""Documents of a dossier: which ones exist, and each one as DOCX or PDF (the register also as XLSX).

One engine: `content` says what a document says as format-free blocks, `docx_writer` and `pdf_writer`
draw the same blocks. Access is the caller's job: views and the API call `dossiers.services.dossier_for`
first, and answer 404 when it returns None or when a document raises `NotApplicable`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from motcua.dossiers.models import Dossier, Event

from .content.common import NotApplicable, Source, local
from .content.declarations import declaration
from .content.fee_receipt import fee_receipt, paid_fee, paid_on, paper_title
from .content.register import register, register_rows
from .content.slips import SLIPS
from .layout import Doc
from .models import DocumentTemplate, Kind
from .words import amount_in_words, date_to_words, number_to_words

__all__ = [
    "FORMATS",
    "NotApplicable",
    "Rendered",
    "amount_in_words",
    "available",
    "build",
    "date_to_words",
    "number_to_words",
    "register_dossiers",
    "render",
    "render_register",
    "sample_declaration",
    "template_for",
]

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOSSIER_KINDS = [Kind.DECLARATION, *SLIPS]
REGISTER_MAX_DAYS = 366


@dataclass(frozen=True)
class Rendered:
    filename: str
    content_type: str
    content: bytes


def template_for(kind: str, *, on: dt.date) -> DocumentTemplate | None:
    """The version of form `kind` in force on `on`, or None when no circular has one that day."""
    return DocumentTemplate.objects.valid_on(on).filter(kind=kind).order_by("-valid_from").first()


def _source(dossier, site_url: str, claim_code: str = "") -> Source:
    events = list(dossier.events.select_related("actor").order_by("at", "pk"))
    return Source(dossier=dossier, events=events, site_url=site_url, claim_code=claim_code)


def _has_declaration(dossier) -> bool:
    return bool(dossier.procedure.form_title) and dossier.procedure.form_fields.exists()


def _in_force(templates: list[DocumentTemplate], kind: str, day: dt.date) -> DocumentTemplate | None:
    return next(
        (
            t
            for t in templates
            if t.kind == kind and t.valid_from <= day and (t.valid_to is None or day < t.valid_to)
        ),
        None,
    )


def available(*, dossier) -> list[tuple[str, str]]:
    """(kind, title) of every document this dossier has now, in the order of the one-stop process.

    The paper of a paid fee comes last, once a fee is paid: the latest paid fee's e-receipt when one was
    issued, else its confirmation of payment (content/fee_receipt.py).
    """
    source = _source(dossier, "")
    templates = list(DocumentTemplate.objects.order_by("-valid_from"))
    out: list[tuple[str, str]] = []
    if _has_declaration(dossier):
        out.append((Kind.DECLARATION, dossier.procedure.form_title))
    for kind, (action, _builder) in SLIPS.items():
        event = source.last(action)
        if event is None:
            continue
        template = _in_force(templates, kind, local(event.at).date())
        if template is not None:
            out.append((kind, template.title))
    payment = paid_fee(dossier)
    if payment is not None:
        template = _in_force(templates, Kind.FEE_RECEIPT, paid_on(payment).date())
        if template is not None:
            out.append((Kind.FEE_RECEIPT, paper_title(payment, template)))
    return out


@translation.override("vi")  # a document is in Vietnamese, whatever the language of the page asking
def build(
    *, dossier, kind: str, site_url: str = "", today: dt.date | None = None, claim_code: str = ""
) -> Doc:
    """Document `kind` of `dossier` as blocks; `NotApplicable` when it does not exist (yet). `claim_code`:
    the one the desk has just issued, printed on the receipt (it is not stored in clear to print later)."""
    source = _source(dossier, site_url, claim_code)
    if kind == Kind.DECLARATION:
        return declaration(source, today=today or timezone.localdate())
    if kind == Kind.FEE_RECEIPT:
        payment = paid_fee(dossier)
        if payment is None:
            raise NotApplicable
        template = template_for(kind, on=paid_on(payment).date())
        if template is None:
            raise NotApplicable
        return fee_receipt(source, template, payment)
    if kind not in SLIPS:
        raise NotApplicable
    action, builder = SLIPS[kind]
    event = source.last(action)
    if event is None:
        raise NotApplicable
    template = template_for(kind, on=local(event.at).date())
    if template is None:
        raise NotApplicable
    return builder(source, template, event)


@translation.override("vi")
def sample_declaration(*, procedure, agency, form_data: dict, applicant_name: str, today=None) -> Doc:
    """The declaration these answers would print, with no dossier behind it: practice filing shows it. The
    dossier is built in memory and never saved, with no events; `NotApplicable` when there is no form."""
    dossier = Dossier(
        procedure=procedure, agency=agency, form_data=form_data, applicant_name=applicant_name, code=""
    )
    return declaration(Source(dossier=dossier, events=[], site_url=""), today=today or timezone.localdate())


def write(doc: Doc, fmt: str) -> Rendered:
    if fmt == "docx":
        from .docx_writer import write as write_docx

        content = write_docx(doc)
    elif fmt == "pdf":
        from .pdf_writer import write as write_pdf

        content = write_pdf(doc)
    else:
        raise NotApplicable
    return Rendered(filename=f"{doc.filename}.{fmt}", content_type=FORMATS[fmt], content=content)


def render(
    *,
    dossier,
    kind: str,
    fmt: str,
    site_url: str = "",
    today: dt.date | None = None,
    claim_code: str = "",
) -> Rendered:
    """Document `kind` of `dossier` as a DOCX or PDF file (`NotApplicable` for anything else)."""
    if fmt not in ("docx", "pdf"):
        raise NotApplicable
    doc = build(dossier=dossier, kind=kind, site_url=site_url, today=today, claim_code=claim_code)
    return write(doc, fmt)


# --- the register ---------------------------------------------------------------------------------------


def register_dossiers(*, agency, start: dt.date, end: dt.date) -> QuerySet:
    """The agency's dossiers received from `start` to `end` (both included, local days), in order."""

    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        Dossier.objects.filter(agency=agency, received_at__gte=since, received_at__lt=until)
        .select_related("procedure", "agency")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(action="forward").order_by("at", "pk"),
                to_attr="forward_events",
            )
        )
        .order_by("received_at", "pk")
    )


@translation.override("vi")
def render_register(*, agency, start: dt.date, end: dt.date, fmt: str) -> Rendered:
    """Form 07 (06 under Thông tư 01/2018), the dossier register of a period, as DOCX, PDF or XLSX."""
    if fmt not in FORMATS or end < start or (end - start).days >= REGISTER_MAX_DAYS:
        raise NotApplicable
    template = template_for(Kind.REGISTER, on=end)
    if template is None:
        raise NotApplicable
    rows = register_rows(register_dossiers(agency=agency, start=start, end=end))
    doc = register(agency, template, rows, start=start, end=end)
    if fmt == "xlsx":
        from .xlsx_writer import write_register

        content = write_register(agency=agency, template=template, rows=rows, start=start, end=end)
        return Rendered(filename=f"{doc.filename}.xlsx", content_type=FORMATS["xlsx"], content=content)
    return write(doc, fmt)
