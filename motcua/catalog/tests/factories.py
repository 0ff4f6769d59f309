import copy

from motcua.catalog.models import Procedure
from motcua.catalog.schemas import FORMAT
from motcua.catalog.services import import_catalogue

BASE = {
    "code": "9.000001",
    "valid_from": "2025-07-01",
    "valid_to": None,
    "name": "Thủ tục thử nghiệm",
    "field": "Hộ tịch",
    "level": "toan_trinh",
    "summary": "",
    "result": "Giấy xác nhận",
    "who_may_apply": "",
    "processing_time": {"kind": "working_days", "value": 3, "note": ""},
    "channels": ["online", "counter"],
    "fees": [],
    "exemptions": [],
    "documents": [],
    "steps": [],
    "legal_basis": [],
    "keywords": [],
    "popularity": 0,
    "form": {"title": "", "fields": []},
}
CATEGORIES = [
    {"code": "poor_household", "name": "Hộ nghèo", "evidence": "Giấy chứng nhận hộ nghèo"},
    {"code": "disability", "name": "Người khuyết tật", "evidence": "Giấy xác nhận khuyết tật"},
]


def procedure_dict(**overrides) -> dict:
    data = copy.deepcopy(BASE)
    data.update(overrides)
    return data


def catalogue_with(*procedures: dict) -> dict:
    return {"format": FORMAT, "exemption_categories": CATEGORIES, "procedures": list(procedures)}


def make_procedure(**overrides) -> Procedure:
    data = procedure_dict(**overrides)
    import_catalogue(catalogue_with(data))
    return Procedure.objects.get(code=data["code"], valid_from=data["valid_from"])
