"""The declaration (tờ khai) of any procedure, from its form fields, as it reads on paper."""

import datetime as dt
import re

from motcua.text import format_vnd

from ..layout import Doc, Grid, Para, Run, b, box, i, p
from ..models import Kind
from ..words import amount_in_words, clean_text, date_in_figures, date_to_words
from . import official_forms as official
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
TABLE_WIDTHS = [45.0, 60.0, 60.0]  # an official form's table: what is asked, then one column a person
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


def folded(spec, by_name: dict) -> bool:
    """A web-only field that says what "Khác" (other) means: printed after the ticked choice, never with
    its own label ("Nếu chọn Khác, ghi rõ quan hệ" is help for the web form, not a line of the form)."""
    base = by_name.get(spec.name.removesuffix("_other"))
    return spec.name.endswith("_other") and base is not None and base.type == "choice"


def field_paragraphs(procedure, spec, raw, *, other: str = "") -> list[Para]:
    """One field of the e-declaration as it reads on paper; `other` is what a ticked "Khác" means."""
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
        if other and str(raw) == "khac":
            runs[-1] = Run(runs[-1].text.rstrip(), bold=runs[-1].bold)
            runs += [Run(": "), b(clean_text(other))]
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


def official_line(line, data: dict, specs: dict) -> Para:
    """One line of an official form with its blanks filled (see content/official_forms.py)."""
    runs: list[Run] = []
    parts = line.parts()
    for n, (words, name, how) in enumerate(parts):
        after_answer = n and parts[n - 1][1] and parts[n - 1][2] not in ("yes", "no")
        if after_answer and name and words.startswith(" "):
            words = official.GAP + words.lstrip(" ")  # the next blank's label, set apart from the answer
        if words:
            runs.append(Run(words))
        if not name or how == "sentence":
            continue
        if how in ("yes", "no"):
            runs.append(box(official.box_checked(how, data, name)))
            continue
        filled = official.value(name, how, data, specs)
        last = n == len(parts) - 1
        if filled:
            runs.append(b(filled))
        elif not last:
            runs.append(Run(official.BLANK))
    if line.kind == official.SENTENCE:
        return Para(runs, align="justify", indent=True, before=4, after=2)
    if line.kind == official.LEAD:
        return Para([Run(r.text, bold=True) for r in runs], before=4, after=2, keep=True)
    if line.kind == official.NOTE:
        return Para(
            [Run(r.text, italic=True) if not r.bold else r for r in runs], before=4, after=2, keep=True
        )
    ends_blank = bool(parts) and bool(parts[-1][1]) and not official.value(*parts[-1][1:], data, specs)
    return Para(runs, leader=ends_blank or line.kind == official.FIELD, after=2)


def official_row(line, data: dict, specs: dict) -> list[list]:
    """A row of an official form's table ("Họ, chữ đệm, tên | Bên nữ's | Bên nam's"): one cell a column."""
    cells = []
    for n, cell in enumerate(line.text.split("|")):
        para = official_line(official.Line(cell, official.CELL), data, specs)
        para.size, para.after, para.leader = 12, 0, False
        if n == 0 or not line.slots():  # the row's label, or the table's heading
            para.runs = [Run(r.text, bold=not line.slots()) for r in para.runs]
            para.align = "left" if line.slots() else "center"
        cells.append([para])
    return cells


def official_declaration(source: Source, form, day: dt.date) -> Doc:
    """The declaration as the official form prints it: every line of `form`, in order, filled."""
    dossier, agency = source.dossier, source.agency
    data = dossier.form_data or {}
    specs = {spec.name: spec for spec in source.procedure.form_fields.all()}
    blocks: list = [form_note(f"Mẫu ban hành kèm theo {form.source.split(', Phụ lục')[0]}")]
    blocks += national_header()
    blocks += title(form.title)
    copies: list[Para] = []
    rows: list = []
    place, signer_title = agency.place_name, "Người yêu cầu"
    for line in form.lines:
        if line.kind == official.ROW:
            rows.append(official_row(line, data, specs))
            continue
        if rows:
            blocks.append(Grid(widths=TABLE_WIDTHS, rows=rows, ruled=True, header_rows=1, padding=1.5))
            rows = []
        if line.kind == official.ADDRESSEE:
            addressee = clean_text(data.get("kinh_gui") or source.body.name)
            blocks.append(p("Kính gửi: ", b(addressee), align="center", before=4, after=8))
        elif line.kind == official.COPIES:
            copies.append(official_line(line, data, specs))
        elif line.kind == official.PLACE_DATE:
            place = clean_text(data.get("signed_place") or agency.place_name)
        elif line.kind == official.SIGNATURE:
            signer_title = line.text
        else:
            blocks.append(official_line(line, data, specs))
    names = [clean_text(data.get(n) or "") for n in form.signers]
    for para in copies:
        para.leader, para.size = False, 12
    if len(names) == 2:  # two signers side by side, the place and date above the right one
        place_date = place_and_date_lines(place, day, SIGNER_TEXT_WIDTH, prefix="Làm tại: ")
        left, right = signer_title.split("|")
        if copies:
            copies[0].before = 6
        blocks += copies
        blocks.append(
            Grid(
                widths=SIGNATURE_WIDTHS,
                rows=[[[], [p(i(place_date), align="center", before=8)]]],
                keep_with_previous=True,
            )
        )
        blocks.append(
            signatures(
                signature(left, official.SIGN_HINT, names[0]),
                signature(right, official.SIGN_HINT, names[1]),
                pair=True,
            )
        )
    else:
        signer = names[0] or clean_text(dossier.applicant_name)
        place_date = place_and_date_lines(place, day, SIGNER_TEXT_WIDTH, prefix="Làm tại: ")
        blocks.append(
            signatures(
                [p("", before=8, after=0), *copies],
                signature(signer_title, official.SIGN_HINT, signer, place_date=place_date),
            )
        )
    return Doc(kind=Kind.DECLARATION, filename=f"to-khai-{dossier.code}", title=form.title, blocks=blocks)


def declaration(source: Source, *, today: dt.date) -> Doc:
    dossier, procedure, agency = source.dossier, source.procedure, source.agency
    specs = list(procedure.form_fields.all())
    if not procedure.form_title or not specs:
        raise NotApplicable
    data = dossier.form_data or {}
    day = local(dossier.submitted_at).date() if dossier.submitted_at else today
    form = official.official_form(procedure, day)
    if form is not None:
        return official_declaration(source, form, day)
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
    by_name = {spec.name: spec for spec in specs}
    for spec in specs:
        if spec.name in PLACED_FIELDS or folded(spec, by_name):
            continue
        if spec.section != section and spec.section not in UNTITLED_SECTIONS:
            blocks.append(p(b(spec.section), before=6, after=2, keep=True))
        section = spec.section
        other = clean_text(data.get(f"{spec.name}_other") or "") if f"{spec.name}_other" in by_name else ""
        blocks += field_paragraphs(procedure, spec, data.get(spec.name), other=other)
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
