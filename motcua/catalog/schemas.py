"""The catalogue's JSON exchange format (`motcua.catalogue/1`), validated field by field.

Every text a citizen reads has an English twin named `<field>_en`, optional and blank until translated;
files written before the twins existed import unchanged.
"""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from motcua.agencies.models import BodyKind
from motcua.text import nfc

from .models import (
    Channel,
    DocumentKind,
    FeeChannel,
    FeeKind,
    FeeUnit,
    FieldType,
    Level,
    LifeEventIcon,
    TimeKind,
)

FORMAT = "motcua.catalogue/1"
PREFILL_KEYS = ("", "full_name", "phone", "id_number", "address", "birth_date")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value):
        return nfc(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _english_beside_its_vietnamese(self):
        for name in type(self).model_fields:
            if name.endswith("_en") and getattr(self, name) and not getattr(self, name.removesuffix("_en")):
                raise ValueError(f"có {name} mà không có {name.removesuffix('_en')}")
        return self


class ExemptionCategoryIn(Strict):
    code: str = Field(pattern=r"^[a-z0-9_]{2,50}$")
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    evidence: str = Field(default="", max_length=500)
    evidence_en: str = Field(default="", max_length=500)


class ProcessingTimeIn(Strict):
    kind: Literal[tuple(TimeKind.values)]  # type: ignore[valid-type]
    value: int = Field(ge=0, le=365)
    note: str = Field(default="", max_length=300)
    note_en: str = Field(default="", max_length=300)


class FeeIn(Strict):
    """One fee line. `amount_vnd` null: set by the provincial council and not yet verified (`note` says so).

    `source*` name the text that sets the amount (number, date, issuer, article) and `effective_from` the
    day the amount applies from; files written before these existed import with them blank.
    """

    channel: Literal[tuple(FeeChannel.values)] = "any"  # type: ignore[valid-type]
    label: str = Field(min_length=1, max_length=200)
    label_en: str = Field(default="", max_length=200)
    amount_vnd: int | None = Field(ge=0)
    unit: Literal[tuple(FeeUnit.values)] = "request"  # type: ignore[valid-type]
    later_amount_vnd: int | None = Field(default=None, ge=0)
    later_from: int | None = Field(default=None, ge=2)
    cap_vnd: int | None = Field(default=None, ge=0)
    kind: Literal[tuple(FeeKind.values)] = "le_phi"  # type: ignore[valid-type]
    source: str = Field(default="", max_length=300)
    source_en: str = Field(default="", max_length=300)
    source_date: dt.date | None = None
    source_issuer: str = Field(default="", max_length=200)
    source_article: str = Field(default="", max_length=200)
    source_article_en: str = Field(default="", max_length=200)
    effective_from: dt.date | None = None
    note: str = Field(default="", max_length=500)
    note_en: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _tiers_go_together(self):
        if (self.later_amount_vnd is None) != (self.later_from is None):
            raise ValueError("later_amount_vnd và later_from phải có cùng nhau")
        return self

    @model_validator(mode="after")
    def _an_unknown_amount_says_why(self):
        if self.amount_vnd is None and not self.note:
            raise ValueError("amount_vnd để trống (chưa xác minh) thì note phải nói vì sao")
        return self


class ExemptionIn(Strict):
    category: str
    note: str = Field(default="", max_length=300)
    note_en: str = Field(default="", max_length=300)


class DocumentIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    name_en: str = Field(default="", max_length=300)
    copies: int = Field(default=1, ge=0, le=20)
    kind: Literal[tuple(DocumentKind.values)]  # type: ignore[valid-type]
    required: bool = True
    note: str = Field(default="", max_length=500)
    note_en: str = Field(default="", max_length=500)


class StepIn(Strict):
    title: str = Field(min_length=1, max_length=100)
    title_en: str = Field(default="", max_length=100)
    text: str = Field(min_length=1)
    text_en: str = ""


class LegalBasisIn(Strict):
    """A text the version rests on: its number (`title`), the article, who issued it and when."""

    title: str = Field(min_length=1, max_length=300)
    title_en: str = Field(default="", max_length=300)
    article: str = Field(default="", max_length=200)
    article_en: str = Field(default="", max_length=200)
    issued: str = Field(default="", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    issuer: str = Field(default="", max_length=200)


class ChoiceIn(Strict):
    value: str = Field(min_length=1, max_length=60)
    label: str = Field(min_length=1, max_length=200)
    label_en: str = Field(default="", max_length=200)


class FormFieldIn(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,59}$")
    label: str = Field(min_length=1, max_length=300)
    label_en: str = Field(default="", max_length=300)
    type: Literal[tuple(FieldType.values)] = "text"  # type: ignore[valid-type]
    required: bool = False
    choices: list[ChoiceIn] = []
    help_text: str = Field(default="", max_length=300)
    help_text_en: str = Field(default="", max_length=300)
    max_length: int | None = Field(default=None, ge=1, le=5000)
    section: str = Field(default="", max_length=100)
    section_en: str = Field(default="", max_length=100)
    prefill: Literal[PREFILL_KEYS] = ""  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _choices_only_for_choice(self):
        if (self.type == FieldType.CHOICE) != bool(self.choices):
            raise ValueError("chỉ trường kiểu 'choice' mới có danh sách lựa chọn, và phải có")
        return self


class FormIn(Strict):
    title: str = Field(default="", max_length=200)
    fields: list[FormFieldIn] = []

    @field_validator("fields")
    @classmethod
    def _unique_names(cls, fields):
        names = [f.name for f in fields]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"tên trường bị trùng: {', '.join(duplicates)}")
        return fields


class PartIn(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,29}$")
    after: int | None = Field(default=None, ge=1, le=9)
    exemption: str = Field(default="", max_length=50)
    days: int | None = Field(default=None, ge=1, le=60)
    papers: dict[str, str] = {}


class ProcedureIn(Strict):
    code: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,29}$")
    valid_from: dt.date
    valid_to: dt.date | None = None
    name: str = Field(min_length=1, max_length=300)
    name_en: str = Field(default="", max_length=300)
    field: str = Field(min_length=1, max_length=100)
    field_en: str = Field(default="", max_length=100)
    executing_body: Literal[tuple(BodyKind.values)] = BodyKind.COMMITTEE.value  # type: ignore[valid-type]
    level: Literal[tuple(Level.values)]  # type: ignore[valid-type]
    summary: str = ""
    summary_en: str = ""
    result: str = ""
    result_en: str = ""
    who_may_apply: str = ""
    who_may_apply_en: str = ""
    processing_time: ProcessingTimeIn
    channels: list[Literal[tuple(Channel.values)]] = []  # type: ignore[valid-type]
    fees: list[FeeIn] = []
    exemptions: list[ExemptionIn] = []
    documents: list[DocumentIn] = []
    steps: list[StepIn] = []
    legal_basis: list[LegalBasisIn] = []
    keywords: list[str] = []
    popularity: int = Field(default=0, ge=0, le=100)
    min_identity_level: int = Field(default=0, ge=0, le=3)
    form: FormIn = FormIn()
    # A joined-up procedure (liên thông): the procedures it files at once, in order.
    parts: list[PartIn] = []
    source_note: str = ""
    source_note_en: str = ""

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to phải sau valid_from")
        return self

    @model_validator(mode="after")
    def _parts_wait_for_earlier_parts(self):
        for n, part in enumerate(self.parts, start=1):
            if part.after is not None and part.after >= n:
                raise ValueError("phần liên thông chỉ chờ một phần đứng trước nó (after < thứ tự)")
        return self


class PaperIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    name_en: str = Field(default="", max_length=300)
    note: str = Field(default="", max_length=500)
    note_en: str = Field(default="", max_length=500)


class LegalNoteIn(Strict):
    text: str = Field(min_length=1, max_length=500)
    text_en: str = Field(default="", max_length=500)
    source: str = Field(min_length=1, max_length=300)
    source_en: str = Field(default="", max_length=300)


class LifeEventStepIn(Strict):
    procedure_code: str = Field(default="", pattern=r"^([0-9A-Za-z][0-9A-Za-z.\-]{0,29})?$")
    title: str = Field(min_length=1, max_length=300)
    title_en: str = Field(default="", max_length=300)
    note: str = ""
    note_en: str = ""
    optional: bool = False
    joined: bool = False
    covers: int = Field(default=0, ge=0, le=9)

    @model_validator(mode="after")
    def _covers_only_when_joined(self):
        if self.joined != (self.covers >= 2):
            raise ValueError(
                "việc liên thông (joined) ghi số việc làm cùng lúc (covers ≥ 2); việc khác thì không ghi"
            )
        return self


class LifeEventIn(Strict):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)
    name: str = Field(min_length=1, max_length=120)
    name_en: str = Field(default="", max_length=120)
    summary: str = ""
    summary_en: str = ""
    icon: Literal[("", *LifeEventIcon.values)] = ""  # type: ignore[valid-type]
    in_order: bool = True
    steps: list[LifeEventStepIn] = Field(min_length=1)
    bring: list[PaperIn] = []
    legal_notes: list[LegalNoteIn] = []


class CatalogueIn(Strict):
    format: Literal[FORMAT]
    exemption_categories: list[ExemptionCategoryIn] = []
    procedures: list[ProcedureIn]
    life_events: list[LifeEventIn] = []

    @field_validator("life_events")
    @classmethod
    def _unique_slugs(cls, events):
        slugs = [e.slug for e in events]
        duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
        if duplicates:
            raise ValueError(f"sự kiện bị trùng đường dẫn: {', '.join(duplicates)}")
        return events
