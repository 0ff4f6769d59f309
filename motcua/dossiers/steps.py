"""The online declaration cut into short steps, one topic per screen of a 360×740 phone.

A step is a section of the declaration (`FormField.section`), required fields first; a section too tall
for about one screen is cut in two or more. Sections with nothing required and one or two fields ("Kính
gửi", "Nơi làm tờ khai") do not open the form: they wait, folded under "Thêm thông tin không bắt buộc",
on the last step. The papers and the review are two more steps (motcua/dossiers/filing.py).

The heights below are what Chromium draws at 360 px (motcua/dossiers/tests/test_steps_browser.py measures
every step of the birth declaration); they only decide where to cut, nothing is drawn from them.
"""

import math
from dataclasses import dataclass

from motcua.catalog.models import FieldType, Procedure, declaration_fields

STEP_BUDGET = 720  # px of fields per step: a phone screen and a half, with the page's header and buttons
MINOR_FIELDS = 2  # an optional section this small is folded away
_LINE = 27  # px of one line of text at 17 px
_CHARS_PER_LINE = 30  # characters of a label or a hint on one line of a 360 px phone


@dataclass(frozen=True)
class Step:
    number: int
    title: str  # in the reader's language
    fields: tuple[str, ...]  # shown on the step
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (section title, fields) folded away
    part: int = 0  # 1, 2, … when a section is cut; 0 when it is whole

    @property
    def names(self) -> tuple[str, ...]:
        """Every field the step posts, the folded ones included."""
        return self.fields + tuple(name for _title, names in self.extras for name in names)


def _lines(text: str) -> int:
    return math.ceil(len(text) / _CHARS_PER_LINE) if text else 0


def height(spec) -> int:
    """About how tall a field is drawn at 360 px: label, hint, control."""
    label, hint = _lines(spec.label), _lines(spec.help_text)
    if spec.type == FieldType.BOOLEAN:
        return 24 + _LINE * (label + hint)
    drawn = 28 + _LINE * (label + hint)
    if spec.type == FieldType.CHOICE and len(spec.choices) <= 4:
        return drawn + sum(34 * max(1, _lines(c.get("label", ""))) for c in spec.choices)
    if spec.type == FieldType.TEXTAREA:
        return drawn + 110
    return drawn + 56


def _sections(specs) -> list[tuple[str, list]]:
    grouped: list[tuple[str, list]] = []
    for spec in specs:
        if not grouped or grouped[-1][1][0].section != spec.section:
            grouped.append((spec.tr("section"), []))
        grouped[-1][1].append(spec)
    return grouped


def _cut(specs: list) -> list[list]:
    """Required fields first, then in as many parts of about even height as the budget asks."""
    ordered = [s for s in specs if s.required] + [s for s in specs if not s.required]
    total = sum(height(s) for s in ordered)
    parts = max(1, math.ceil(total / STEP_BUDGET))
    target = total / parts
    cut: list[list] = [[]]
    drawn = 0
    for spec in ordered:
        if cut[-1] and len(cut) < parts and drawn + height(spec) / 2 > target * len(cut):
            cut.append([])
        cut[-1].append(spec)
        drawn += height(spec)
    return cut


def plan(procedure: Procedure) -> list[Step]:
    """The declaration's steps, numbered from 1 (the papers and the review come after them)."""
    sections = _sections(declaration_fields(procedure))
    minor = [
        (title, specs)
        for title, specs in sections
        if len(specs) <= MINOR_FIELDS and not any(s.required for s in specs)
    ]
    main = [section for section in sections if section not in minor] or sections
    if main is sections:
        minor = []
    steps: list[Step] = []
    for title, specs in main:
        parts = _cut(specs)
        for n, part in enumerate(parts, start=1):
            steps.append(
                Step(
                    number=len(steps) + 1,
                    title=title,
                    fields=tuple(s.name for s in part),
                    part=n if len(parts) > 1 else 0,
                )
            )
    if steps and minor:
        last = steps[-1]
        extras = tuple((title, tuple(s.name for s in specs)) for title, specs in minor)
        steps[-1] = Step(last.number, last.title, last.fields, extras, last.part)
    return steps


def step_of(steps: list[Step], name: str) -> Step | None:
    return next((step for step in steps if name in step.names), None)
