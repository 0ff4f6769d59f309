"""The catalogue in the JSON API (/api/v1/procedures): search, and one procedure with all it takes to file."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from . import services
from .models import Procedure, declaration_fields

# Operation ids are published in /api/v1/openapi.json and generated clients name their methods after
# them: they keep the names they had when this router lived in motcua/api/catalog.py.
router = Router(tags=["procedures"])


class ProcessingTime(Schema):
    kind: str
    value: int
    text: str


class FeeOut(Schema):
    text: str
    amount_vnd: int = Field(description="the lowest fee that may apply, in whole VND")


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    level: str
    processing_time: ProcessingTime
    fee: FeeOut
    url: str


class ProcedureList(Schema):
    count: int
    items: list[ProcedureOut]


class DocumentOut(Schema):
    name: str
    copies: int
    kind: str
    required: bool
    note: str


class StepOut(Schema):
    title: str
    text: str


class ChoiceOut(Schema):
    value: str
    label: str


class FormFieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    choices: list[ChoiceOut]
    help_text: str
    max_length: int | None
    section: str


class FormOut(Schema):
    title: str
    fields: list[FormFieldOut]


class LegalBasisOut(Schema):
    title: str
    article: str = ""


class ExemptionOut(Schema):
    category: str
    name: str
    evidence: str
    note: str


class FeeLineOut(Schema):
    label: str
    text: str


class ProcedureDetail(ProcedureOut):
    summary: str
    result: str
    who_may_apply: str
    channels: list[str]
    fees: list[FeeLineOut]
    exemptions: list[ExemptionOut]
    documents: list[DocumentOut]
    steps: list[StepOut]
    form: FormOut
    legal_basis: list[LegalBasisOut]
    valid_from: str


def _summary(request, p: Procedure) -> dict:
    amounts = [f.amount_vnd for f in p.fees.all() if f.amount_vnd is not None]
    return {
        "code": p.code,
        "name": p.name,
        "field": p.field,
        "level": p.level,
        "processing_time": {"kind": p.time_kind, "value": p.time_value, "text": services.describe_time(p)},
        "fee": {"text": services.fee_summary(p), "amount_vnd": min(amounts) if amounts else 0},
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }


@router.get(
    "", response=ProcedureList, summary="Tìm thủ tục", operation_id="motcua_api_catalog_list_procedures"
)
def list_procedures(request, q: str = "", limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0)):
    found = services.search_procedures(q[:200])
    return {"count": len(found), "items": [_summary(request, p) for p in found[offset : offset + limit]]}


@router.get(
    "/{code}",
    response=ProcedureDetail,
    summary="Một thủ tục, đủ để nộp hồ sơ",
    operation_id="motcua_api_catalog_get_procedure",
)
def get_procedure(request, code: str):
    p = services.get_procedure(code)
    if p is None:
        raise Http404(_("Không tìm thấy thủ tục này."))
    return {
        **_summary(request, p),
        "summary": p.summary,
        "result": p.result,
        "who_may_apply": p.who_may_apply,
        "channels": p.channels,
        "fees": [line.__dict__ for line in services.describe_fee(p)],
        "exemptions": [
            {
                "category": e.category.code,
                "name": e.category.name,
                "evidence": e.category.evidence,
                "note": e.note,
            }
            for e in p.exemption_rows.all()
        ],
        "documents": list(p.documents.all()),
        "steps": list(p.steps.all()),
        "form": {"title": p.form_title, "fields": declaration_fields(p)},
        "legal_basis": p.legal_basis,
        "valid_from": p.valid_from.isoformat(),
    }
