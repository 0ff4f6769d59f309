"""The e-declaration (tờ khai) of a procedure as a Django form: one validation for the page and the API."""

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import FieldType, Procedure, english_wanted, shown_item
from motcua.text import clean_text

from .errors import Invalid

ID_NUMBER = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


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
    """Built from `procedure.form_fields`; `sections` groups the bound fields for the page."""

    def __init__(self, procedure: Procedure, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(procedure.form_fields.all())
        for spec in self.specs:
            self.fields[spec.name] = _field_for(spec)

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
        return cleaned


def as_form_data(data: dict) -> dict:
    """JSON values (true, 1, '2026-01-05') as the strings an HTML form would post."""
    posted = {}
    for key, value in data.items():
        if value is True:
            posted[key] = "on"
        elif value is False or value is None:
            continue
        else:
            posted[key] = str(value)
    return posted


def clean_form(procedure: Procedure, data: dict) -> dict:
    """The validated declaration, or `Invalid` naming each wrong field in Vietnamese."""
    form = DeclarationForm(procedure, data=as_form_data(data))
    if not form.is_valid():
        raise Invalid({f"form.{name}": " ".join(errors) for name, errors in form.errors.items()})
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
    for spec in procedure.form_fields.all():
        if not grouped or spec.section != section:
            section = spec.section
            grouped.append((spec.tr("section"), []))
        grouped[-1][1].append((spec.tr("label"), display(spec, form_data.get(spec.name))))
    return grouped
