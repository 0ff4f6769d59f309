"""Catalogue rules: finding procedures, their fees in money and in words, life events, import and export."""

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Literal

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pydantic import ValidationError as PydanticError

from motcua.text import fold, format_vnd, whole_number

from . import search as search_engine
from .models import (
    ExemptionCategory,
    Fee,
    FeeChannel,
    FeeUnit,
    FormField,
    GuideStep,
    LifeEvent,
    LifeEventStep,
    Procedure,
    ProcedureExemption,
    ProcedurePart,
    RequiredDocument,
    TimeKind,
    english_wanted,
)
from .schemas import FORMAT, CatalogueIn

__all__ = [
    "CatalogueError",
    "describe_fee",
    "describe_time",
    "export_catalogue",
    "fee_for",
    "quote",
    "quote_form",
    "Quote",
    "fee_summary",
    "get_procedure",
    "import_catalogue",
    "legal_sources",
    "life_event_as_dict",
    "list_procedures",
    "life_event_guide",
    "LifeEventGuide",
    "list_life_events",
    "load_catalogue_file",
    "procedure_as_dict",
    "search_procedures",
    "untranslated",
    "untranslated_events_note",
    "untranslated_note",
]


LIST_PREFETCH = ("fees", "exemption_rows__category")


def get_procedure(code: str, *, on: dt.date | None = None) -> Procedure | None:
    """The version of procedure `code` in force on `on` (today by default), or None."""
    return (
        Procedure.objects.current(on)
        .filter(code=code)
        .order_by("-valid_from")
        .prefetch_related("fees", "exemption_rows__category", "documents", "steps", "form_fields", "parts")
        .first()
    )


def search_procedures(query: str, *, limit: int | None = None) -> list[Procedure]:
    """Procedures in force matching `query` best first; every one, most used first, when it is empty."""
    if not query.strip():
        procedures = (
            Procedure.objects.current().order_by("-popularity", "name").prefetch_related(*LIST_PREFETCH)
        )
        return list(procedures[:limit] if limit else procedures)
    ids = search_engine.search(query, limit=limit)
    by_id = Procedure.objects.prefetch_related(*LIST_PREFETCH).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class _Found:
    """Search results for a paginator: counted by their ids, and only the page's rows read."""

    def __init__(self, ids: list[int]):
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        by_id = Procedure.objects.prefetch_related(*LIST_PREFETCH).in_bulk(ids)
        found = [by_id[pk] for pk in ids if pk in by_id]
        return found if isinstance(index, slice) else found[0]


def list_procedures(query: str):
    """What the catalogue page lists, in the order of `search_procedures`, for a paginator: only the rows
    of the page shown are read with their fees and exemptions (the whole catalogue with its fees was
    read for every page view: the costliest read of `make loadtest`)."""
    if not query.strip():
        return Procedure.objects.current().order_by("-popularity", "name").prefetch_related(*LIST_PREFETCH)
    return _Found(search_engine.search(query))


# On-time registration is free (Luật Hộ tịch 2014, Điều 11): the declaration's own date proves it.
ON_TIME_DAYS = {"on_time_birth": ("child_birth_date", 60), "on_time_death": ("death_date", 15)}


@dataclass
class Quote:
    """A dossier's fee from the catalogue: the total, one line per fee, and what was waived and why."""

    amount_vnd: int = 0
    lines: list[tuple[str, int]] = field(default_factory=list)
    waived: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(label for label, amount in self.lines if amount)


def quote(
    procedure: Procedure,
    *,
    channel: str,
    pages: int = 1,
    copies: int = 0,
    exemption: str | None = None,
    form: dict | None = None,
    filed_on: dt.date | None = None,
) -> Quote:
    """The fee in whole VND for one dossier filed through `channel` ('online' or 'counter').

    A citizen in one of the procedure's exemption categories pays nothing; a birth or death registered in
    time (proved by the declaration in `form`, filed on `filed_on`) pays no flat fee. Per-copy fees charge
    `copies` copies; page-priced fees (certified copies) charge `amount_vnd` per page, `later_amount_vnd`
    from page `later_from`, capped at `cap_vnd` per copy, for at least one copy.
    """
    result = Quote()
    if exemption and procedure.exemption_rows.filter(category__code=exemption).exists():
        return result
    on_time = _on_time(procedure, form or {}, filed_on) if filed_on else None
    for fee in procedure.fees.all():
        # An amount not yet verified (None) is not charged from the catalogue: the desk enters it by hand.
        if fee.channel not in (FeeChannel.ANY, channel) or not fee.amount_vnd:
            continue
        if fee.unit == FeeUnit.COPY:
            amount = fee.amount_vnd * copies
        elif fee.unit == FeeUnit.PAGE:
            per_copy = sum(
                fee.later_amount_vnd if fee.later_from and page >= fee.later_from else fee.amount_vnd
                for page in range(1, pages + 1)
            )
            amount = min(per_copy, fee.cap_vnd or per_copy) * max(copies, 1)
        elif on_time:
            result.waived.append(_("%(fee)s: miễn (%(why)s)") % {"fee": fee.label, "why": on_time})
            continue
        else:
            amount = fee.amount_vnd
        if amount:
            result.lines.append((fee.label, amount))
            result.amount_vnd += amount
    return result


def quote_form(
    procedure: Procedure, *, channel: str, form: dict, filed_on: dt.date, exemption: str | None = None
) -> Quote:
    """The fee of a filed declaration: the copies and pages it asks for, on-time exemptions it proves, and
    an `exemption` category known to hold (a child's part of a joined-up filing)."""
    copies = 0
    if form.get("copies_requested") in (True, "on", "true"):
        try:
            copies = max(int(form.get("copies_count") or 1), 1)
        except (TypeError, ValueError):
            copies = 1
    pages = whole_number(str(form.get("pages") or "")) or 1
    return quote(
        procedure,
        channel=channel,
        pages=pages,
        copies=copies,
        form=form,
        filed_on=filed_on,
        exemption=exemption or None,
    )


def _on_time(procedure: Procedure, form: dict, filed_on: dt.date) -> str | None:
    for row in procedure.exemption_rows.all():
        rule = ON_TIME_DAYS.get(row.category.code)
        if rule is None:
            continue
        name, days = rule
        try:
            event_day = dt.date.fromisoformat(str(form.get(name, "")))
        except ValueError:
            continue
        if (filed_on - event_day).days <= days:
            return row.category.name
    return None


def fee_for(
    procedure: Procedure, *, channel: str, pages: int = 1, copies: int = 1, exemption: str | None = None
) -> int:
    """The fee in whole VND (see `quote`), one copy unless told otherwise."""
    return quote(procedure, channel=channel, pages=pages, copies=copies, exemption=exemption).amount_vnd


@dataclass(frozen=True)
class FeeLine:
    label: str  # plain text in the reader's language, or Vietnamese while not yet translated ...
    text: str
    lang: str = ""  # ... then "vi", for the page to mark it


def describe_fee(procedure: Procedure) -> list[FeeLine]:
    """The fees in plain words, one line per fee; one 'Miễn phí' line when nothing is charged."""
    lines = []
    fees = list(procedure.fees.all())
    for fee in fees:
        if fee.amount_vnd == 0 and not fee.later_amount_vnd:
            continue
        unit = FeeUnit(fee.unit).label
        if fee.amount_vnd is None:
            text = _("theo nghị quyết của Hội đồng nhân dân tỉnh, bộ phận một cửa báo mức thu khi tiếp nhận")
        elif fee.unit == FeeUnit.REQUEST:
            text = format_vnd(fee.amount_vnd)
        else:
            text = f"{format_vnd(fee.amount_vnd)}/{unit}"
        if fee.later_from:
            text += "; " + _("từ trang thứ %(n)s: %(amount)s/trang") % {
                "n": fee.later_from,
                "amount": format_vnd(fee.later_amount_vnd),
            }
        if fee.cap_vnd:
            text += "; " + _("tối đa %(amount)s mỗi bản") % {"amount": format_vnd(fee.cap_vnd)}
        if fee.channel != FeeChannel.ANY:
            text = f"{FeeChannel(fee.channel).label}: {text}"
        lang = "vi" if english_wanted() and fee.untranslated() else ""
        lines.append(FeeLine(fee.tr("label", marked=False), text, lang))
    if not lines:
        lines.append(FeeLine(procedure.fee_heading, _("Miễn phí")))
    return lines


def fee_summary(procedure: Procedure) -> str:
    """One short phrase for lists: 'Miễn phí', '15.000 đồng', 'từ 7.000 đồng', 'Miễn phí nếu đúng hạn'.

    'Theo quy định của tỉnh' when the only amounts are the provincial council's, not yet verified.
    """
    fees = list(procedure.fees.all())
    amounts = [f.amount_vnd for f in fees if f.amount_vnd]
    if not amounts:
        if any(f.amount_vnd is None for f in fees):
            return _("Theo quy định của tỉnh")
        return _("Miễn phí")
    # On-time birth and death registration are free: the fee only applies to a late one.
    if any(e.category.code.startswith("on_time") for e in procedure.exemption_rows.all()):
        return _("Miễn phí nếu đúng hạn")
    if len(set(amounts)) == 1 and all(f.unit == FeeUnit.REQUEST for f in fees if f.amount_vnd):
        return format_vnd(amounts[0])
    return _("từ %(amount)s") % {"amount": format_vnd(min(amounts))}


def legal_sources(procedure: Procedure) -> dict:
    """What the guide's folded "Căn cứ pháp lý" lists: the texts the version rests on (issue dates as
    dd/mm/yyyy) and, for each fee line, the text that sets its amount and the day it applies from."""
    basis = []
    for item in procedure.legal_basis:
        issued = item.get("issued") or ""
        with contextlib.suppress(ValueError):  # blank, or typed in the admin another way: shown as it is
            issued = dt.date.fromisoformat(issued).strftime("%d/%m/%Y")
        basis.append({**item, "issued": issued})
    fees = [f for f in procedure.fees.all() if f.source or f.note or f.amount_vnd]
    return {"basis": basis, "fees": fees}


def describe_time(procedure: Procedure, *, short: bool = False) -> str:
    if procedure.time_kind == TimeKind.SAME_DAY:
        if short:
            return _("Trong ngày")
        return _("Trong ngày (nộp sau 15 giờ thì nhận kết quả vào ngày làm việc tiếp theo)")
    if procedure.time_kind == TimeKind.HOURS:
        return ngettext("%(n)d giờ làm việc", "%(n)d giờ làm việc", procedure.time_value) % {
            "n": procedure.time_value
        }
    return ngettext("%(n)d ngày làm việc", "%(n)d ngày làm việc", procedure.time_value) % {
        "n": procedure.time_value
    }


class CatalogueError(Exception):
    """A catalogue file that cannot be imported; the message names the bad record and field."""


def _location(data: dict, loc: tuple) -> str:
    parts, node = [], data
    for i, key in enumerate(loc):
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            label = f"[{key}]"
            if i == 1 and isinstance(node, dict) and node.get("code"):
                label += f" ({node['code']})"
            parts.append(label)
        else:
            node = node.get(key) if isinstance(node, dict) else None
            parts.append(("." if parts else "") + str(key))
    return "".join(parts)


@transaction.atomic
def import_catalogue(data: dict) -> int:
    """Create or replace every procedure version in `data`; all or nothing. Returns the count."""
    try:
        catalogue = CatalogueIn.model_validate(data)
    except PydanticError as exc:
        messages = [f"{_location(data, e['loc'])}: {e['msg']}" for e in exc.errors()[:10]]
        raise CatalogueError("\n".join(messages)) from None
    for category in catalogue.exemption_categories:
        ExemptionCategory.objects.update_or_create(
            code=category.code, defaults=category.model_dump(exclude={"code"})
        )
    categories = {c.code: c for c in ExemptionCategory.objects.all()}
    for i, item in enumerate(catalogue.procedures):
        where = f"procedures[{i}] ({item.code})"
        procedure, _created = Procedure.objects.update_or_create(
            code=item.code,
            valid_from=item.valid_from,
            defaults={
                "valid_to": item.valid_to,
                "name": item.name,
                "name_en": item.name_en,
                "field": item.field,
                "field_en": item.field_en,
                "executing_body": item.executing_body,
                "level": item.level,
                "summary": item.summary,
                "summary_en": item.summary_en,
                "result": item.result,
                "result_en": item.result_en,
                "who_may_apply": item.who_may_apply,
                "who_may_apply_en": item.who_may_apply_en,
                "time_kind": item.processing_time.kind,
                "time_value": item.processing_time.value,
                "time_note": item.processing_time.note,
                "time_note_en": item.processing_time.note_en,
                "channels": item.channels,
                "legal_basis": [b.model_dump(mode="json") for b in item.legal_basis],
                "keywords": item.keywords,
                "popularity": item.popularity,
                "form_title": item.form.title,
                "min_identity_level": item.min_identity_level,
                "source_note": item.source_note,
                "source_note_en": item.source_note_en,
            },
        )
        try:
            procedure.clean()
        except Exception as exc:
            raise CatalogueError(f"{where}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}") from None
        for related in (
            procedure.fees,
            procedure.exemption_rows,
            procedure.documents,
            procedure.steps,
            procedure.form_fields,
            procedure.parts,
        ):
            related.all().delete()
        Fee.objects.bulk_create(
            Fee(procedure=procedure, order=n, **f.model_dump()) for n, f in enumerate(item.fees)
        )
        for exemption in item.exemptions:
            if exemption.category not in categories:
                raise CatalogueError(
                    f"{where}.exemptions: không có đối tượng miễn giảm '{exemption.category}'"
                )
            ProcedureExemption.objects.create(
                procedure=procedure,
                category=categories[exemption.category],
                note=exemption.note,
                note_en=exemption.note_en,
            )
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, order=n, **d.model_dump())
            for n, d in enumerate(item.documents)
        )
        GuideStep.objects.bulk_create(
            GuideStep(procedure=procedure, order=n, **s.model_dump()) for n, s in enumerate(item.steps)
        )
        FormField.objects.bulk_create(
            FormField(procedure=procedure, order=n, **f.model_dump()) for n, f in enumerate(item.form.fields)
        )
        ProcedurePart.objects.bulk_create(
            ProcedurePart(procedure=procedure, order=n, **p.model_dump()) for n, p in enumerate(item.parts, 1)
        )
    for n, item in enumerate(catalogue.life_events):
        event, _created = LifeEvent.objects.update_or_create(
            slug=item.slug,
            defaults={
                "order": n,
                **item.model_dump(include={"name", "name_en", "summary", "summary_en", "icon", "in_order"}),
                "bring": [p.model_dump() for p in item.bring],
                "legal_notes": [note.model_dump() for note in item.legal_notes],
            },
        )
        event.steps.all().delete()
        LifeEventStep.objects.bulk_create(
            LifeEventStep(event=event, order=i, **step.model_dump()) for i, step in enumerate(item.steps)
        )
    return len(catalogue.procedures)


def export_catalogue() -> dict:
    """Every procedure version in the exchange format; `import_catalogue` reads it back unchanged."""
    exemptions = Prefetch(
        "exemption_rows", ProcedureExemption.objects.select_related("category").order_by("pk")
    )
    procedures = Procedure.objects.order_by("code", "valid_from").prefetch_related(
        "fees", exemptions, "documents", "steps", "form_fields", "parts"
    )
    return {
        "format": FORMAT,
        "exemption_categories": [
            {
                "code": c.code,
                "name": c.name,
                "name_en": c.name_en,
                "evidence": c.evidence,
                "evidence_en": c.evidence_en,
            }
            for c in ExemptionCategory.objects.order_by("code")
        ],
        "procedures": [procedure_as_dict(p) for p in procedures],
        "life_events": [life_event_as_dict(e) for e in LifeEvent.objects.prefetch_related("steps")],
    }


def procedure_as_dict(p: Procedure) -> dict:
    """One procedure version in the exchange format, each English text beside its Vietnamese one."""
    return {
        "code": p.code,
        "valid_from": p.valid_from.isoformat(),
        "valid_to": p.valid_to.isoformat() if p.valid_to else None,
        "name": p.name,
        "name_en": p.name_en,
        "field": p.field,
        "field_en": p.field_en,
        "executing_body": p.executing_body,
        "level": p.level,
        "summary": p.summary,
        "summary_en": p.summary_en,
        "result": p.result,
        "result_en": p.result_en,
        "who_may_apply": p.who_may_apply,
        "who_may_apply_en": p.who_may_apply_en,
        "processing_time": {
            "kind": p.time_kind,
            "value": p.time_value,
            "note": p.time_note,
            "note_en": p.time_note_en,
        },
        "channels": p.channels,
        "fees": [
            {
                k: _json_value(getattr(f, k))
                for k in (
                    "channel",
                    "label",
                    "label_en",
                    "amount_vnd",
                    "unit",
                    "later_amount_vnd",
                    "later_from",
                    "cap_vnd",
                    "kind",
                    "source",
                    "source_en",
                    "source_date",
                    "source_issuer",
                    "source_article",
                    "source_article_en",
                    "effective_from",
                    "note",
                    "note_en",
                )
            }
            for f in p.fees.all()
        ],
        "exemptions": [
            {"category": e.category.code, "note": e.note, "note_en": e.note_en}
            for e in p.exemption_rows.all()
        ],
        "documents": [
            {k: getattr(d, k) for k in ("name", "name_en", "copies", "kind", "required", "note", "note_en")}
            for d in p.documents.all()
        ],
        "steps": [
            {"title": s.title, "title_en": s.title_en, "text": s.text, "text_en": s.text_en}
            for s in p.steps.all()
        ],
        "legal_basis": _items(p.legal_basis, LEGAL_BASIS_KEYS),
        "keywords": p.keywords,
        "popularity": p.popularity,
        "min_identity_level": p.min_identity_level,
        "source_note": p.source_note,
        "source_note_en": p.source_note_en,
        "form": {
            "title": p.form_title,
            "fields": [
                {
                    k: _items(f.choices, ("value", "label", "label_en")) if k == "choices" else getattr(f, k)
                    for k in (
                        "name",
                        "label",
                        "label_en",
                        "type",
                        "required",
                        "choices",
                        "help_text",
                        "help_text_en",
                        "max_length",
                        "section",
                        "section_en",
                        "prefill",
                    )
                }
                for f in p.form_fields.all()
            ],
        },
        "parts": [
            {
                "code": part.code,
                "after": part.after,
                "exemption": part.exemption,
                "days": part.days,
                "papers": part.papers,
            }
            for part in p.parts.all()
        ],
    }


LEGAL_BASIS_KEYS = ("title", "title_en", "article", "article_en", "issued", "issuer")


def _json_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


STEP_KEYS = ("procedure_code", "title", "title_en", "note", "note_en", "optional", "joined", "covers")


def life_event_as_dict(event: LifeEvent) -> dict:
    """One life event in the exchange format; its steps name procedures by code, not by version."""
    return {
        "slug": event.slug,
        "name": event.name,
        "name_en": event.name_en,
        "summary": event.summary,
        "summary_en": event.summary_en,
        "icon": event.icon,
        "in_order": event.in_order,
        "steps": [{k: getattr(s, k) for k in STEP_KEYS} for s in event.steps.all()],
        "bring": _items(event.bring, ("name", "name_en", "note", "note_en")),
        "legal_notes": _items(event.legal_notes, ("text", "text_en", "source", "source_en")),
    }


def _items(items: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """JSON list items with every key, in one order, whatever an older import or the admin left out."""
    return [{k: item.get(k, "") for k in keys} for item in items]


def untranslated(procedure: Procedure, *, part: Literal["guide", "form"] = "guide") -> list[str]:
    """The texts of the guide (`part='guide'`) or of the filing form (`'form'`) with no English yet.

    Paths like 'steps[2].text': a page in English says that it shows some Vietnamese when the list is
    not empty, and a translator gets the list of what is left.
    """
    missing = [f for f in procedure.untranslated() if part == "guide" or f == "name"]

    def rows(prefix: str, items) -> None:
        for n, row in enumerate(items):
            missing.extend(f"{prefix}[{n}].{f}" for f in row.untranslated())

    rows("documents", procedure.documents.all())
    if part == "form":
        rows("form.fields", procedure.form_fields.all())
        return missing
    rows("fees", procedure.fees.all())
    rows("exemptions", procedure.exemption_rows.all())
    rows("exemption_categories", [e.category for e in procedure.exemption_rows.all()])
    rows("steps", procedure.steps.all())
    for n, basis in enumerate(procedure.legal_basis):
        missing.extend(
            f"legal_basis[{n}].{k}" for k in ("title", "article") if basis.get(k) and not basis.get(f"{k}_en")
        )
    return missing


def untranslated_note(
    procedures: Procedure | list[Procedure], *, part: Literal["guide", "form"] = "guide"
) -> str:
    """Which note a page in English needs: 'all' (the procedure is not translated), 'some', or none ('').

    A list of procedures only needs their names: 'some' when any of them has none in English.
    """
    if not english_wanted():
        return ""
    if isinstance(procedures, Procedure):
        missing = untranslated(procedures, part=part)
        return ("all" if "name" in missing else "some") if missing else ""
    return "some" if any(not p.name_en for p in procedures) else ""


def load_catalogue_file(path) -> int:
    with open(path, encoding="utf-8") as f:
        return import_catalogue(json.load(f))


# --- life events ---------------------------------------------------------------------------------------

# The heading of a joined-up filing, by how many of the event's steps it does at once.
OFFERS = {
    2: gettext_lazy("Làm một lần cho cả hai việc"),
    3: gettext_lazy("Làm một lần cho cả ba việc"),
    4: gettext_lazy("Làm một lần cho cả bốn việc"),
    5: gettext_lazy("Làm một lần cho cả năm việc"),
}
STEP_PREFETCH = ("fees", "exemption_rows__category", "documents")


def list_life_events() -> list[LifeEvent]:
    return list(LifeEvent.objects.all())


@dataclass(frozen=True)
class EventStep:
    """A step as the reader sees it: the procedure version in force, or None when its code is unknown."""

    step: LifeEventStep
    procedure: Procedure | None
    number: int = 0  # its place among the steps done one by one; 0 for a joined-up filing
    where: str = ""
    time: str = ""
    fee: str = ""

    @property
    def offer(self) -> str:
        return str(OFFERS.get(self.step.covers, gettext_lazy("Làm một lần cho nhiều việc")))


@dataclass(frozen=True)
class Paper:
    """A paper to bring once: a RequiredDocument shared by several steps, or an item of the event's list."""

    source: RequiredDocument | dict  # both read through the `tr` filter: name, note
    steps: tuple[int, ...] = ()
    optional: bool = False

    @property
    def kind(self) -> str:
        return self.source.get_kind_display() if isinstance(self.source, RequiredDocument) else ""


@dataclass(frozen=True)
class LifeEventGuide:
    event: LifeEvent
    joined: list[EventStep]
    steps: list[EventStep]
    papers: list[Paper]

    @property
    def untranslated(self) -> str:
        """'all', 'some' or '' as `untranslated_note` says it, for the event with all it shows."""
        if not english_wanted():
            return ""
        if not self.event.name_en:
            return "all"
        rows = [self.event, *(s.step for s in self.joined + self.steps)]
        missing = any(row.untranslated() for row in rows)
        missing |= any(s.procedure is not None and not s.procedure.name_en for s in self.joined + self.steps)
        missing |= any(
            isinstance(p.source, RequiredDocument) and p.source.untranslated() for p in self.papers
        )
        return "some" if missing else ""


def life_event_guide(slug: str, *, on: dt.date | None = None) -> LifeEventGuide | None:
    """What to do for the life event `slug`: joined-up filings first, then the steps, then the papers.

    Each step's code is resolved to the procedure version in force on `on` (today by default); a code
    the catalogue does not hold is no error, the step is then shown by its own title.
    """
    event = LifeEvent.objects.filter(slug=slug).prefetch_related("steps").first()
    if event is None:
        return None
    rows = list(event.steps.all())
    found: dict[str, Procedure] = {}
    codes = {row.procedure_code for row in rows if row.procedure_code}
    procedures = (
        Procedure.objects.current(on)
        .filter(code__in=codes)
        .order_by("code", "-valid_from")
        .prefetch_related(*STEP_PREFETCH)
    )
    for procedure in procedures:
        found.setdefault(procedure.code, procedure)
    joined, steps = [], []
    for row in rows:
        procedure = found.get(row.procedure_code)
        number = 0 if row.joined else len(steps) + 1
        step = _event_step(row, procedure, number)
        (joined if row.joined else steps).append(step)
    return LifeEventGuide(event=event, joined=joined, steps=steps, papers=_papers(event, steps))


def _event_step(row: LifeEventStep, procedure: Procedure | None, number: int) -> EventStep:
    if procedure is None:
        return EventStep(row, None, number)
    where = _("Trực tuyến hoặc tại bộ phận một cửa") if procedure.is_online else _("Tại bộ phận một cửa")
    return EventStep(
        row,
        procedure,
        number,
        where=where,
        time=describe_time(procedure, short=True),
        fee=fee_summary(procedure),
    )


def _paper_key(name: str) -> str:
    return " ".join(fold(name).replace(",", " ").replace(".", " ").split())


def _papers(event: LifeEvent, steps: list[EventStep]) -> list[Paper]:
    """The event's own list, then each paper that two or more steps ask for under the same name."""
    uses: dict[str, list[tuple[int, RequiredDocument]]] = {}
    for step in steps:
        for document in step.procedure.documents.all() if step.procedure else ():
            uses.setdefault(_paper_key(document.name), []).append((step.number, document))
    papers = []
    for item in event.bring:
        found = uses.pop(_paper_key(item.get("name", "")), [])
        papers.append(Paper(item, tuple(sorted({n for n, _d in found}))))
    for found in uses.values():
        numbers = tuple(sorted({n for n, _d in found}))
        if len(numbers) > 1:
            optional = not any(d.required for _n, d in found)
            papers.append(Paper(found[0][1], numbers, optional))
    return papers


def untranslated_events_note(events: list[LifeEvent]) -> str:
    """'some' when a page in English lists an event whose name is not translated yet, else ''."""
    return "some" if english_wanted() and any(not e.name_en for e in events) else ""
