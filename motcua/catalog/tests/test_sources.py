"""The catalogue a commune really runs: the procedures people file most, each with its law, and each fee with
the text that sets it (issue 12, items 7–9).
"""

import datetime as dt

import pytest

from motcua.catalog.models import FeeKind, Procedure
from motcua.catalog.services import (
    CatalogueError,
    export_catalogue,
    fee_summary,
    get_procedure,
    import_catalogue,
)
from motcua.catalog.services import quote as quote_fee

from .factories import catalogue_with, procedure_dict

pytestmark = pytest.mark.django_db

ND120_LAST_DAY = dt.date(2027, 2, 28)  # Nghị định 120/2025/NĐ-CP lapses on 1 March 2027
FOREIGN_ELEMENT = ["2.000528", "2.000806", "2.000554", "2.002189", "1.001766", "2.000779"]


def test_the_catalogue_holds_at_least_50_commune_procedures_each_complete(catalogue):
    codes = set(Procedure.objects.values_list("code", flat=True))
    assert len(codes) >= 50
    for procedure in Procedure.objects.prefetch_related("fees", "documents", "steps"):
        where = f"{procedure.code} from {procedure.valid_from}"
        assert procedure.legal_basis, where
        assert all(b["title"] and (b.get("issued") or b.get("issuer")) for b in procedure.legal_basis), where
        assert procedure.fees.all() and procedure.documents.all() and procedure.steps.all(), where
        assert procedure.time_kind == "same_day" or procedure.time_value > 0, where


def test_every_fee_names_the_text_that_sets_it_and_the_day_it_applies_from(catalogue):
    for procedure in Procedure.objects.prefetch_related("fees"):
        for fee in procedure.fees.all():
            where = f"{procedure.code} {fee.label}"
            assert fee.source and fee.source_issuer and fee.effective_from, where
            assert fee.source_date or "cần xác minh" in fee.note.lower(), where
            if fee.amount_vnd is None:  # not yet verified: the data says so rather than invent an amount
                assert "cần xác minh" in fee.note.lower(), where


def test_provincial_fees_say_which_council_resolution_is_still_to_be_verified(catalogue):
    late_birth = get_procedure("1.001193").fees.get(label__startswith="Lệ phí đăng ký khai sinh quá hạn")
    assert (late_birth.amount_vnd, late_birth.kind) == (8000, FeeKind.LE_PHI)
    assert late_birth.source_issuer == "Hội đồng nhân dân tỉnh Quảng Trị"
    assert "Cần xác minh" in late_birth.note and "Thông tư 85/2019/TT-BTC, Điều 3 khoản 3" in late_birth.note
    business = get_procedure("1.001612").fees.all()
    assert [f.amount_vnd for f in business] == [100000, 50000]
    assert all("Điều 3 khoản 7" in f.note and "Cần xác minh" in f.note for f in business)


def test_names_are_the_national_portals(catalogue):
    assert get_procedure("2.000635").name == "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"
    assert get_procedure("1.004859").name == (
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc"
    )
    assert get_procedure("2.000554").name.startswith("Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn")


def test_certification_charges_are_phi_and_registrations_lephi(catalogue):
    for code in ["2.000815", "2.000884", "2.001019", "2.001035", "2.000992", "2.001406", "2.001016"]:
        assert get_procedure(code).fee_kinds == {FeeKind.PHI}, code
        assert get_procedure(code).fee_heading == "Phí"
    assert get_procedure("1.004873").fee_heading == "Lệ phí"
    assert get_procedure("1.001193").fee_heading == "Phí, lệ phí"  # late registration and a copy


def test_the_foreign_element_procedures_switch_version_when_decree_120_lapses(catalogue):
    for code in FOREIGN_ELEMENT:
        under_decree = get_procedure(code, on=ND120_LAST_DAY)
        after = get_procedure(code, on=ND120_LAST_DAY + dt.timedelta(days=1))
        assert under_decree.valid_to == dt.date(2027, 3, 1) and under_decree.last_day == ND120_LAST_DAY, code
        assert "Nghị định 120/2025/NĐ-CP" in [b["title"] for b in under_decree.legal_basis], code
        assert after.pk != under_decree.pk and after.valid_from == dt.date(2027, 3, 1), code
        assert after.legal_basis[0]["title"] == "Luật Hộ tịch số 03/2026/QH16", code
        assert "Cần xác minh" in after.source_note, code
    assert get_procedure("2.000806", on=dt.date(2025, 6, 30)) is None  # a district task before 1/7/2025


def test_a_certification_renamed_on_1_november_2025_keeps_its_old_name_before(catalogue):
    before = get_procedure("2.001035", on=dt.date(2025, 10, 31))
    after = get_procedure("2.001035", on=dt.date(2025, 11, 1))
    assert before.name.startswith("Chứng thực hợp đồng, giao dịch liên quan")
    assert after.name == "Chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở"
    assert "Nghị định 280/2025/NĐ-CP" in [b["title"] for b in after.legal_basis]
    assert "Nghị định 280/2025/NĐ-CP" not in [b["title"] for b in before.legal_basis]


def test_an_amount_not_yet_verified_is_not_charged_and_says_who_sets_it(client, catalogue):
    marriage = get_procedure("2.000806")
    fee = marriage.fees.get(label="Lệ phí đăng ký kết hôn có yếu tố nước ngoài")
    assert fee.amount_vnd is None
    assert quote_fee(marriage, channel="counter").amount_vnd == 0
    assert fee_summary(get_procedure("2.000554")) == "Theo quy định của tỉnh"
    html = client.get("/thu-tuc/2.000806/").text
    assert "theo nghị quyết của Hội đồng nhân dân tỉnh, bộ phận một cửa báo mức thu khi tiếp nhận" in html


def test_the_guide_folds_the_sources_of_the_law_and_of_each_fee(client, catalogue):
    html = client.get("/thu-tuc/2.000884/").text
    assert "<dt>Phí</dt>" in html and "<dt>Lệ phí</dt>" not in html
    assert "<li>Nghị định 23/2015/NĐ-CP, Điều 23 - 26 (Chính phủ, 16/02/2015)</li>" in html
    assert (
        "<li>Phí chứng thực chữ ký: Thông tư 226/2016/TT-BTC, Điều 4 (Bộ Tài chính, 11/11/2016); "
        "áp dụng từ 01/01/2017</li>"
    ) in html
    foreign = client.get("/thu-tuc/2.000806/").text
    assert "Áp dụng từ 01/07/2025 đến hết ngày 28/02/2027" in foreign
    assert "Ai không phải nộp phí, lệ phí" in foreign  # a lệ phí, and a phí for extra copies


@pytest.mark.usefixtures("empty_catalogue")
def test_import_and_export_carry_the_fee_sources():
    fee = {
        "label": "Phí chứng thực chữ ký",
        "amount_vnd": 10000,
        "kind": "phi",
        "source": "Thông tư 226/2016/TT-BTC",
        "source_en": "Circular 226/2016/TT-BTC",
        "source_date": "2016-11-11",
        "source_issuer": "Bộ Tài chính",
        "source_article": "Điều 4",
        "source_article_en": "Article 4",
        "effective_from": "2017-01-01",
        "note": "",
    }
    basis = {
        "title": "Nghị định 23/2015/NĐ-CP",
        "article": "Điều 24",
        "issued": "2015-02-16",
        "issuer": "Chính phủ",
    }
    import_catalogue(
        catalogue_with(procedure_dict(fees=[fee], legal_basis=[basis], source_note="Cần xác minh: x"))
    )
    exported = export_catalogue()["procedures"][0]
    assert {k: exported["fees"][0][k] for k in fee} == fee
    assert {k: exported["legal_basis"][0][k] for k in basis} == basis
    assert exported["source_note"] == "Cần xác minh: x"


def test_an_unknown_amount_without_a_reason_is_refused():
    unknown = {"label": "Lệ phí", "amount_vnd": None}
    with pytest.raises(CatalogueError, match=r"fees\[0\]"):
        import_catalogue(catalogue_with(procedure_dict(code="9.000003", fees=[unknown])))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_guide_fits_the_page_budget(client, catalogue, agency, settings, language):
    from bench.weight import page_weight

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for code in sorted(set(Procedure.objects.current().values_list("code", flat=True))):
        weight = page_weight(client, f"/thu-tuc/{code}/")
        assert weight["total"] <= 14 * 1024, (code, weight)
