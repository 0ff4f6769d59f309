import io
import json

import pytest
from django.core.management import CommandError, call_command

from motcua.catalog.models import ExemptionCategory, Procedure
from motcua.catalog.schemas import CatalogueIn
from motcua.catalog.services import CatalogueError, export_catalogue, import_catalogue

from .factories import catalogue_with, procedure_dict

# Importing and exporting are tested from a fresh database, without the session's catalogue.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_catalogue")]


def test_the_real_catalogue_imports_and_exports_unchanged(catalogue_data):
    import_catalogue(catalogue_data)
    exported = export_catalogue()
    assert len(exported["procedures"]) == len(catalogue_data["procedures"]) >= 50
    by_version = {(p["code"], p["valid_from"]): p for p in exported["procedures"]}
    for original in catalogue_data["procedures"]:
        version = (original["code"], original["valid_from"])
        assert by_version[version]["form"]["fields"] == [
            {
                "choices": [],
                "help_text": "",
                "help_text_en": "",
                "max_length": None,
                "prefill": "",
                "required": False,
                "section": "",
                "section_en": "",
                **field,
            }
            for field in original["form"]["fields"]
        ]
        assert by_version[version]["fees"] == [
            {
                "channel": "any",
                "label_en": "",
                "unit": "request",
                "later_amount_vnd": None,
                "later_from": None,
                "cap_vnd": None,
                **fee,
            }
            for fee in original["fees"]
        ]


def test_the_demo_file_survives_import_and_export_field_for_field(catalogue_data):
    import_catalogue(catalogue_data)
    exported = export_catalogue()
    expected = CatalogueIn.model_validate(catalogue_data).model_dump(mode="json")
    assert exported["procedures"] == sorted(
        expected["procedures"], key=lambda p: (p["code"], p["valid_from"])
    )
    assert exported["exemption_categories"] == sorted(
        expected["exemption_categories"], key=lambda c: c["code"]
    )


def test_export_then_import_round_trips_both_languages(catalogue, tmp_path):
    path = tmp_path / "catalogue.json"
    call_command("catalogue", "export", str(path), stderr=io.StringIO())
    first = json.loads(path.read_text(encoding="utf-8"))
    Procedure.objects.all().delete()
    ExemptionCategory.objects.all().delete()
    call_command("catalogue", "import", str(path), stdout=io.StringIO())
    assert export_catalogue() == first
    birth = next(p for p in first["procedures"] if p["code"] == "1.001193")
    assert (birth["name"], birth["name_en"]) == ("Đăng ký khai sinh", "Birth registration")
    assert birth["steps"][0] == {
        "title": "Lấy giấy chứng sinh",
        "title_en": "Get the birth notice",
        "text": "Khi ra viện, nhớ lấy Giấy chứng sinh của bé. Chụp ảnh rõ cả mặt giấy.",
        "text_en": "When you leave hospital, remember to take the baby's birth notice. "
        "Take a clear photo of the whole page.",
    }
    assert birth["legal_basis"][0]["title_en"] == "Law on Civil Status No. 60/2014/QH13"
    sex = next(f for f in birth["form"]["fields"] if f["name"] == "child_sex")
    assert sex["choices"][1] == {"value": "nu", "label": "Nữ", "label_en": "Female"}


def test_a_file_written_before_english_imports_with_english_blank():
    import_catalogue(catalogue_with(procedure_dict(steps=[{"title": "Nộp", "text": "Nộp tại xã."}])))
    procedure = export_catalogue()["procedures"][0]
    assert procedure["name_en"] == "" and procedure["steps"] == [
        {"title": "Nộp", "title_en": "", "text": "Nộp tại xã.", "text_en": ""}
    ]


def test_importing_twice_replaces_instead_of_duplicating(catalogue_data):
    import_catalogue(catalogue_data)
    import_catalogue(catalogue_data)
    assert Procedure.objects.count() == len(catalogue_data["procedures"])


def test_a_malformed_record_is_named_and_nothing_is_imported():
    good = procedure_dict(code="9.000001")
    bad = procedure_dict(code="9.000002", level="cap_do_4", fees=[{"label": "x", "amount_vnd": -5}])
    with pytest.raises(CatalogueError) as error:
        import_catalogue(catalogue_with(good, bad))
    message = str(error.value)
    assert "procedures[1] (9.000002).level" in message
    assert "procedures[1] (9.000002).fees[0].amount_vnd" in message
    assert Procedure.objects.count() == 0


def test_an_unknown_exemption_category_rolls_back_the_whole_file():
    good = procedure_dict(code="9.000001")
    bad = procedure_dict(code="9.000002", exemptions=[{"category": "no_such_group"}])
    with pytest.raises(CatalogueError, match=r"procedures\[1\] \(9.000002\)\.exemptions"):
        import_catalogue(catalogue_with(good, bad))
    assert Procedure.objects.count() == 0


def test_overlapping_versions_are_refused():
    first = procedure_dict(code="9.000001", valid_from="2025-07-01")
    second = procedure_dict(code="9.000001", valid_from="2026-01-01")
    with pytest.raises(CatalogueError, match="trùng"):
        import_catalogue(catalogue_with(first, second))


def test_a_new_version_takes_over_on_its_date():
    old = procedure_dict(code="9.000001", valid_from="2025-07-01", valid_to="2027-03-01", name="Cũ")
    new = procedure_dict(code="9.000001", valid_from="2027-03-01", name="Mới")
    import_catalogue(catalogue_with(old, new))
    import datetime as dt

    from motcua.catalog.services import get_procedure

    assert get_procedure("9.000001", on=dt.date(2027, 2, 28)).name == "Cũ"
    assert get_procedure("9.000001", on=dt.date(2027, 3, 1)).name == "Mới"


def test_text_is_stored_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    import_catalogue(catalogue_with(procedure_dict(name=decomposed)))
    assert Procedure.objects.get().name == "Đăng ký khai sinh"


def test_command_round_trip(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_with(procedure_dict())), encoding="utf-8")
    out = io.StringIO()
    call_command("catalogue", "import", str(path), stdout=out)
    assert "Đã nhập 1 thủ tục." in out.getvalue()
    out = io.StringIO()
    call_command("catalogue", "export", stdout=out)
    assert json.loads(out.getvalue())["procedures"][0]["code"] == "9.000001"


def test_command_reports_a_bad_file_without_importing(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue_with(procedure_dict(code="9.000009", name=""))), encoding="utf-8")
    with pytest.raises(CommandError, match=r"procedures\[0\] \(9.000009\)\.name"):
        call_command("catalogue", "import", str(path))
    assert Procedure.objects.count() == 0
