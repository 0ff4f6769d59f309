"""The e-declaration (tờ khai) of a procedure as a Django form: one validation for the page and the API.

Names, places and addresses must be written as on the citizen's papers, with their diacritics: a text of
two words or more without any ("nguyen van an", "thon 3, xa vinh linh") is refused with a plain warning
until the citizen confirms it is written as on the papers (`as_written`, a checkbox on the page, a list of
field names in the API's `form`). What "without diacritics" means is `diacritics.lacks_diacritics`, which
the desk's correction of a declaration uses too.
"""

import datetime as dt
import re
from collections import Counter

from django import forms
from django.core.validators import RegexValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import FieldType, Procedure, declaration_fields, english_wanted, shown_item
from motcua.text import clean_text

from .diacritics import lacks_diacritics
from .errors import Invalid

AS_WRITTEN = "as_written"  # the names of the fields the citizen confirmed as written on their papers

ID_NUMBER = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


# --- names as on the papers -------------------------------------------------------------------------------

PERSON, PLACE, WORDING = "person", "place", "wording"
# Which declaration fields hold a name or a place, told by the field's name in the catalogue (every form of
# the catalogue follows these names; a test lists what they pick). A new flag on FormField would have to be
# set by hand on ~100 fields, and forgotten on the next form.
_PERSON_NAMES = re.compile(r"^(full_name|[a-z_]+_name)$")
_NOT_PEOPLE = frozenset({"business_name", "document_name"})  # a shop's or a paper's name, not a person's
_PLACES = re.compile(r"(^|_)(residence|address|place|home_town|destination)$")
_WORDINGS = re.compile(r"_(ethnicity|nationality)$")


def as_on_papers(spec) -> str | None:
    """PERSON, PLACE or WORDING when the field must be written as on the papers, else None."""
    if spec.type != FieldType.TEXT:
        return None
    if _PERSON_NAMES.match(spec.name) and spec.name not in _NOT_PEOPLE:
        return PERSON
    if _PLACES.search(spec.name):
        return PLACE
    if _WORDINGS.search(spec.name):
        return WORDING
    return None


def warning(kind: str) -> str:
    if kind == PERSON:
        return _("Tên này chưa có dấu. Hãy ghi đúng như trên căn cước, ví dụ: Nguyễn Văn An.")
    if kind == PLACE:
        return _("Địa chỉ này chưa có dấu. Hãy ghi đúng như trên giấy tờ, ví dụ: Thôn 3, xã Vĩnh Linh.")
    return _("Chữ này chưa có dấu. Hãy ghi có dấu, ví dụ: Việt Nam.")


def _confirmations(values) -> list[str]:
    """`as_written` as posted: field names (checkboxes, a JSON list), or true for every field."""
    if values is True or values in ("on", "true", "1"):
        return ["*"]
    if isinstance(values, str):
        return [values]
    return [str(v) for v in values or () if isinstance(v, str)]


def qualified_labels(specs) -> dict:
    """Each field's label as an error message names it: "Mẹ — Dân tộc" when another section has a
    "Dân tộc" too, the bare label otherwise."""
    labels = Counter(spec.label for spec in specs)
    return {
        spec.name: format_html("{} — {}", spec.tr("section"), spec.tr("label"))
        if labels[spec.label] > 1 and spec.section
        else spec.tr("label")
        for spec in specs
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


class Select(forms.Select):
    """A drop-down whose options not yet translated keep lang="vi": an <option> cannot hold a <span>."""

    def __init__(self, *args, vietnamese=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.vietnamese = frozenset(vietnamese)

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.vietnamese:
            option["attrs"]["lang"] = "vi"
        return option


def _field_for(spec) -> forms.Field:
    """The form field of one declaration field, labelled in the reader's language (Vietnamese fallback)."""
    common = {"label": spec.tr("label"), "required": spec.required, "help_text": spec.tr("help_text")}
    kind = spec.type
    if kind == FieldType.TEXTAREA:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), max_length=spec.max_length or 2000, **common
        )
    if kind == FieldType.DATE:
        return forms.DateField(widget=DateInput, input_formats=DATE_FORMATS, **common)
    if kind == FieldType.INTEGER:
        return forms.IntegerField(
            min_value=0, max_value=100000, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    if kind == FieldType.CHOICE:
        if len(spec.choices) <= 4:
            choices = [(c["value"], shown_item(c, "label")) for c in spec.choices]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        choices = [
            ("", _("— Chọn —")),
            *((c["value"], shown_item(c, "label", marked=False)) for c in spec.choices),
        ]
        vietnamese = [c["value"] for c in spec.choices if english_wanted() and not c.get("label_en")]
        return forms.ChoiceField(choices=choices, widget=Select(vietnamese=vietnamese), **common)
    if kind == FieldType.BOOLEAN:
        return forms.BooleanField(**common)
    if kind == FieldType.PHONE:
        return forms.CharField(
            max_length=20, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common
        )
    if kind == FieldType.ID_NUMBER:
        return forms.CharField(
            max_length=12,
            validators=[ID_NUMBER],
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if kind == FieldType.EMAIL:
        return forms.EmailField(**common)
    return forms.CharField(max_length=spec.max_length or 255, **common)


class DeclarationForm(forms.Form):
    """Built from `procedure.form_fields`; `sections` groups the bound fields for the page.

    `only` keeps some fields (one step of the online form); the whole declaration is checked again when it
    is filed. `flagged` names the fields whose answer lacks diacritics, `confirmed` those the citizen
    confirmed as written on the papers (`as_written`); a flagged field not confirmed is an error.
    """

    def __init__(self, procedure: Procedure, *args, only=None, officer_checked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer_checked = officer_checked
        every = list(declaration_fields(procedure))
        self.labels = qualified_labels(every)
        self.specs = [spec for spec in every if only is None or spec.name in only]
        for spec in self.specs:
            self.fields[spec.name] = _field_for(spec)
        if self.is_bound:
            getlist = getattr(self.data, "getlist", None)
            posted = getlist(AS_WRITTEN) if getlist else self.data.get(AS_WRITTEN)
        else:
            posted = self.initial.get(AS_WRITTEN)
        confirmed = _confirmations(posted)
        self.confirmed = set(self.fields) if "*" in confirmed else set(confirmed) & set(self.fields)
        self.flagged: dict[str, str] = {}
        if not self.is_bound:  # a step shown again: its confirmed answers keep their ticked box
            self._flag({name: self.initial.get(name) for name in self.fields})

    def _flag(self, values: dict) -> None:
        if self.officer_checked:  # the desk compared the answers with the papers: theirs to judge
            return
        self.flagged = {
            spec.name: kind
            for spec in self.specs
            if (kind := as_on_papers(spec))
            and isinstance(values.get(spec.name), str)
            and lacks_diacritics(values[spec.name])
        }

    def error_items(self) -> list[tuple[str, str, str]]:
        """(field name, the label that names it exactly, message) for the error summary."""
        return [
            (name, self.labels.get(name, ""), message)
            for name, messages in self.errors.items()
            if name != forms.forms.NON_FIELD_ERRORS
            for message in messages
        ]

    def sections(self) -> list[tuple[str, list]]:
        grouped: list[tuple[str, list]] = []
        section = None
        for spec in self.specs:
            if not grouped or spec.section != section:
                section = spec.section
                grouped.append((spec.tr("section"), []))
            grouped[-1][1].append(self[spec.name])
        return grouped

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = clean_text(value.strip())
            elif isinstance(value, dt.date):
                cleaned[name] = value.isoformat()
        self._flag(cleaned)
        for name, kind in self.flagged.items():
            if name not in self.confirmed:
                self.add_error(name, warning(kind))
        if as_written := sorted(set(self.flagged) & self.confirmed):
            cleaned[AS_WRITTEN] = as_written
        return cleaned


def as_form_data(data: dict) -> dict:
    """JSON values (true, 1, '2026-01-05') as the strings an HTML form would post."""
    posted = {}
    for key, value in data.items():
        if value is True:
            posted[key] = "on"
        elif value is False or value is None:
            continue
        elif key == AS_WRITTEN and isinstance(value, list):
            posted[key] = value
        else:
            posted[key] = str(value)
    return posted


def clean_form(procedure: Procedure, data: dict, *, officer_checked: bool = False) -> dict:
    """The validated declaration, or `Invalid` naming each wrong field in Vietnamese. `officer_checked`: the
    desk compared it with the papers, and a name without diacritics needs no confirmation."""
    form = DeclarationForm(procedure, data=as_form_data(data), officer_checked=officer_checked)
    if not form.is_valid():
        errors = {f"form.{name}": " ".join(errors) for name, errors in form.errors.items()}
        for name in set(form.flagged) - form.confirmed:
            errors[f"form.{name}"] += " " + _(
                'Nếu đã ghi đúng như trên giấy tờ, gửi kèm "%(flag)s": ["%(name)s"].'
            ) % {"flag": AS_WRITTEN, "name": name}
        raise Invalid(errors)
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def display(spec, value) -> str:
    """One answer as a person reads it: a choice's label, 'Có' for a ticked box, dates as dd/mm/yyyy."""
    if value in (None, "", False):
        return ""
    if spec.type == FieldType.CHOICE:
        return next((shown_item(c, "label") for c in spec.choices if c["value"] == value), str(value))
    if spec.type == FieldType.BOOLEAN:
        return str(_("Có"))
    if spec.type == FieldType.DATE:
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    return str(value)


def answers(procedure: Procedure, form_data: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The declaration grouped by section: [(section, [(label, answer in words), ...]), ...]."""
    grouped: list[tuple[str, list[tuple[str, str]]]] = []
    section = None
    for spec in declaration_fields(procedure):
        if not grouped or spec.section != section:
            section = spec.section
            grouped.append((spec.tr("section"), []))
        grouped[-1][1].append((spec.tr("label"), display(spec, form_data.get(spec.name))))
    return grouped
