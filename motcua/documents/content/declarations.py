"""The declaration (tờ khai) of any procedure, from its form fields, as it reads on paper."""

import datetime as dt
import re

from motcua.text import format_vnd

from ..layout import Doc, Grid, Para, Run, b, box, i, p
from ..models import Kind
from ..words import amount_in_words, clean_text, date_in_figures, date_to_words
from .common import (
    MOTTO,
    NATIONAL_NAME,
    SIGNATURE_WIDTHS,
    SIGNER_TEXT_WIDTH,
    NotApplicable,
    Source,
    field,
    form_note,
    local,
    place_and_date_lines,
    signature,
    signatures,
    title,
)

# Date fields that the official form asks to write in words as well ("ghi bằng chữ").
DATES_IN_WORDS = {("1.001193", "child_birth_date"), ("1.004884", "subject_birth_date")}
# Sections whose fields are printed without a heading (the form has none for them).
UNTITLED_SECTIONS = {"", "Kính gửi", "Cam đoan", "Nơi làm tờ khai", "Đề nghị cấp bản sao"}
# Fields printed in the header or the signature block rather than in the list of fields.
PLACED_FIELDS = {"kinh_gui", "signed_place"}
SIGNER_FIELDS = (
    "requester_name",
    "full_name",
    "applicant_name",
    "host_name",
    "owner_name",
    "head_name",
    "guardian_name",
)


def national_header() -> list[Para]:
    return [
        p(b(NATIONAL_NAME), align="center", size=13, after=0),
        Para([b(MOTTO)], align="center", size=14, rule="text", after=6),
    ]


def choice_label(spec, value) -> str:
    for choice in spec.choices or []:
        if str(choice.get("value")) == str(value):
            return str(choice.get("label", value))
    return str(value)


def form_reference(procedure) -> str:
    """The form's own reference at the top right, from the procedure's legal basis, if it names one.

    "Mẫu CT01, CT08" under Thông tư 56/2021 -> "Mẫu CT01 ban hành kèm theo Thông tư 56/2021/TT-BCA (...)";
    a civil-status declaration -> "Mẫu tờ khai ban hành kèm theo Thông tư 04/2020/TT-BTP (...)".
    """
    for basis in procedure.legal_basis or []:
        article, text = str(basis.get("article", "")), str(basis.get("title", ""))
        match = re.match(r"^Mẫu\s+(số\s+)?([\w.]+)", article)
        if match:
            return f"Mẫu {match.group(1) or ''}{match.group(2)} ban hành kèm theo {text}"
        if article.lower().startswith(("tờ khai", "phiếu yêu cầu")):
            return f"Mẫu ban hành kèm theo {text}"
    return ""


def _date_value(raw) -> tuple[str, dt.date | None]:
    try:
        day = dt.date.fromisoformat(str(raw))
    except ValueError:
        return clean_text(raw), None
    return date_in_figures(day), day


def field_paragraphs(procedure, spec, raw) -> list[Para]:
    """One field of the e-declaration as it reads on paper."""
    label = spec.label
    empty = raw is None or raw == "" or raw is False
    kind = spec.type
    if kind == "boolean":
        if spec.name == "commitment":
            return [p(label, align="justify", indent=True, before=4, after=4)]
        return [p(box(not empty), " ", label, align="justify", after=2)]
    if kind == "choice":
        known = {str(c.get("value")) for c in spec.choices or []}
        runs: list[Run] = [Run(f"{label}: ")]
        for choice in spec.choices or []:
            runs += [
                box(not empty and str(choice.get("value")) == str(raw)),
                Run(f" {choice.get('label')}   "),
            ]
        if not empty and str(raw) not in known:  # data from an older version of the form
            runs.append(b(str(raw)))
        runs[-1] = Run(runs[-1].text.rstrip(), bold=runs[-1].bold)
        return [Para(runs, after=2)]
    if empty:
        return [field(label)]
    if kind == "date":
        text, day = _date_value(raw)
        out = [field(label, text)]
        if day is not None and (procedure.code, spec.name) in DATES_IN_WORDS:
            out.append(field("Ghi bằng chữ", date_to_words(day)))
        return out
    if kind == "integer" and spec.name.endswith("_vnd") and str(raw).isdigit():
        amount = int(raw)
        return [field(label, f"{format_vnd(amount)} ({amount_in_words(amount)})")]
    return [field(label, clean_text(raw))]


def declaration(source: Source, *, today: dt.date) -> Doc:
    dossier, procedure, agency = source.dossier, source.procedure, source.agency
    specs = list(procedure.form_fields.all())
    if not procedure.form_title or not specs:
        raise NotApplicable
    data = dossier.form_data or {}
    day = local(dossier.submitted_at).date() if dossier.submitted_at else today
    blocks: list = []
    reference = form_reference(procedure)
    if reference:
        blocks.append(form_note(reference))
    blocks += national_header()
    addressee = clean_text(data.get("kinh_gui") or source.body.name)  # CT01: "Công an xã Vĩnh Linh"
    blocks += title(procedure.form_title)
    if any(spec.name == "kinh_gui" for spec in specs):
        blocks.append(p("Kính gửi: ", b(addressee), align="center", before=4, after=8))
    else:
        blocks.append(p("", after=6))
    section = None
    for spec in specs:
        if spec.name in PLACED_FIELDS:
            continue
        if spec.section != section and spec.section not in UNTITLED_SECTIONS:
            blocks.append(p(b(spec.section), before=6, after=2, keep=True))
        section = spec.section
        blocks += field_paragraphs(procedure, spec, data.get(spec.name))
    place = clean_text(data.get("signed_place") or agency.place_name)
    place_date = place_and_date_lines(place, day, SIGNER_TEXT_WIDTH, prefix="Làm tại ")
    hint = "(Ký, ghi rõ họ, chữ đệm, tên)"
    names = {spec.name for spec in specs}
    if {"bride_name", "groom_name"} <= names:
        blocks.append(
            Grid(
                widths=SIGNATURE_WIDTHS,
                rows=[[[], [p(i(place_date), align="center", before=8)]]],
                keep_with_previous=True,  # the place and date belong to the signatures below
            )
        )
        blocks.append(
            signatures(
                signature("Bên nữ", hint, clean_text(data.get("bride_name", ""))),
                signature("Bên nam", hint, clean_text(data.get("groom_name", ""))),
                pair=True,
            )
        )
    else:
        signer = next((data[n] for n in SIGNER_FIELDS if n in names and data.get(n)), dossier.applicant_name)
        blocks.append(
            signatures([], signature("Người yêu cầu", hint, clean_text(signer), place_date=place_date))
        )
    return Doc(
        kind=Kind.DECLARATION,
        filename=f"to-khai-{dossier.code}",
        title=procedure.form_title,
        blocks=blocks,
    )
