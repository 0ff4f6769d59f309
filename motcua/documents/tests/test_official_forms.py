"""The civil-status declarations print the official forms line for line (issue 12, item 4).

The birth declaration's lines are held here as the current form words them (Thông tư 04/2020/TT-BTP as
replaced by Thông tư 04/2024/TT-BTP), each filled with the answer it asks for, and found in that order in
the DOCX and in the PDF; each field of the e-declaration is found in the line the mapping table names; no
web help text and no web-only label is printed in any declaration of the catalogue.
"""

import re

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import get_procedure
from motcua.documents import services
from motcua.documents.content import official_forms
from motcua.documents.layout import Grid
from motcua.documents.models import Kind
from motcua.dossiers.tests.factories import BIRTH_FORM

from .factories import filed_at_counter, sample_form
from .tools import docx_text, pdf_text

pytestmark = pytest.mark.django_db

BIRTH_ANSWERS = {
    **BIRTH_FORM,
    "kinh_gui": "Ủy ban nhân dân xã Vĩnh Linh",
    "requester_birth_date": "1990-03-15",
    "mother_id_number": "045190012345",
    "father_name": "Lê Văn Bình",
    "father_birth_year": 1988,
    "father_ethnicity": "Kinh",
    "father_nationality": "Việt Nam",
    "father_residence": "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "father_id_number": "045088006789",
    "parents_marriage_number": "12",
    "parents_marriage_book": "01/2015",
    "parents_marriage_date": "2015-05-20",
    "parents_marriage_place": "Ủy ban nhân dân xã Vĩnh Linh, tỉnh Quảng Trị",
    "copies_requested": True,
    "copies_count": 2,
    "signed_place": "Vĩnh Linh",
}

# The form's lines in order, as the current form words them, each blank filled with the answer above.
# (Chú thích (1)–(6) of the form, how to fill a blank paper form, are not part of a filled declaration.)
BIRTH_TEMPLATE = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân xã Vĩnh Linh",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hường",
    "Ngày, tháng, năm sinh: 15/03/1990",
    "Nơi cư trú: Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "Giấy tờ tùy thân: Thẻ căn cước / Căn cước công dân số 045190012345 do Cục Cảnh sát QLHC về TTXH "
    "cấp ngày 10/04/2021",
    "Quan hệ với người được khai sinh: Mẹ",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Họ, chữ đệm, tên: Lê Nguyễn Bảo Ngọc",
    "Ngày, tháng, năm sinh: 02/11/2026 ghi bằng chữ: Ngày mùng hai tháng mười một năm hai nghìn không "
    "trăm hai mươi sáu",
    "Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam",
    "Nơi sinh: Trung tâm Y tế Vĩnh Linh, tỉnh Quảng Trị",
    "Quê quán: Vĩnh Linh, Quảng Trị",
    "Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hường",
    "Năm sinh: 1990 Dân tộc: Kinh Quốc tịch: Việt Nam",
    "Nơi cư trú: Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "Giấy tờ tùy thân: 045190012345",
    "Họ, chữ đệm, tên người cha: Lê Văn Bình",
    "Năm sinh: 1988 Dân tộc: Kinh Quốc tịch: Việt Nam",
    "Nơi cư trú: Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "Giấy tờ tùy thân: 045088006789",
    "Thông tin về Giấy chứng nhận kết hôn của cha, mẹ trẻ (nếu cha, mẹ trẻ đã ĐKKH):",
    "Số: 12 Quyển số: 01/2015 đăng ký ngày 20/05/2015 tại Ủy ban nhân dân xã Vĩnh Linh, tỉnh Quảng Trị",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự thỏa thuận nhất trí "
    "của các bên liên quan theo quy định pháp luật.",
    "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.",
    "Đề nghị cấp bản sao: Có ☒ Không ☐",
    "Số lượng: 2 bản",
    "Làm tại: Vĩnh Linh, ngày",  # the day the dossier was filed follows
    "NGƯỜI YÊU CẦU",
    "(Ký, ghi rõ họ, chữ đệm, tên)",
    "Nguyễn Thị Hường",
]


def flat(text: str) -> str:
    """Whitespace as one space, and no dotted leaders: how a line reads whatever wraps it."""
    text = re.sub(r"\.{4,}|…+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def in_order(text: str, lines: list[str]) -> list[str]:
    """The lines not found in `text` at or after the end of the line before them."""
    text, at, missing = flat(text), 0, []
    for line in lines:
        found = text.find(flat(line), at)
        if found < 0:
            missing.append(line)
        else:
            at = found + len(flat(line))
    return missing


def rows_of(doc):
    return [row for block in doc.blocks if isinstance(block, Grid) and block.ruled for row in block.rows]


@pytest.fixture
def birth(catalogue, agency, people):
    return filed_at_counter("1.001193", desk=people["desk"], agency=agency, form=BIRTH_ANSWERS)


def test_the_birth_declarations_lines_match_the_template(birth):
    docx = services.render(dossier=birth, kind=Kind.DECLARATION, fmt="docx").content
    pdf = services.render(dossier=birth, kind=Kind.DECLARATION, fmt="pdf").content
    for name, text in (("DOCX", docx_text(docx)), ("PDF", pdf_text(pdf))):
        assert not in_order(text, BIRTH_TEMPLATE), f"{name}: {in_order(text, BIRTH_TEMPLATE)}\n{text}"
        assert "Nếu chọn Khác" not in text and "Đánh dấu" not in text


def test_the_birth_declaration_cites_the_form_and_its_source(catalogue):
    form = official_forms.BIRTH
    assert "04/2024/TT-BTP" in form.source and "04/2020/TT-BTP" in form.source
    assert form.effective_from.isoformat() == "2024-07-20" and form.source_date.isoformat() == "2024-06-06"
    basis = " ".join(b["title"] for b in get_procedure("1.001193").legal_basis)
    assert "04/2024/TT-BTP" in basis


@pytest.mark.parametrize("form", official_forms.FORMS, ids=lambda f: f.codes[0])
def test_every_field_of_the_e_declaration_has_its_line_on_the_form(catalogue, form):
    """The mapping table covers the procedure's form fields exactly: none dropped, none invented."""
    for code in form.codes:
        fields = {spec.name for spec in get_procedure(code).form_fields.all()}
        mapped = official_forms.mapped_fields(form)
        assert fields - mapped == set(), f"{code}: fields the form does not print"
        assert mapped - fields == set(), f"{code}: lines filled from fields the procedure does not have"


@pytest.mark.parametrize("form", official_forms.FORMS, ids=lambda f: f.codes[0])
def test_each_field_is_printed_in_the_line_the_mapping_names(catalogue, agency, people, form):
    """Each text field, given a value of its own, turns up in its template line and nowhere else."""
    procedure = get_procedure(form.codes[0])
    specs = {spec.name: spec for spec in procedure.form_fields.all()}
    answers = sample_form(procedure)
    dossier = filed_at_counter(procedure.code, desk=people["desk"], agency=agency, form=answers)
    for name, line in official_forms.mapping(form):
        spec = specs[name]
        if spec.type not in ("text", "textarea") or name in ("kinh_gui", "signed_place"):
            continue
        marker = f"Giá trị riêng của {name.replace('_', ' ')}"
        data = {**answers, name: marker}
        if name.endswith("_other"):
            data[name.removesuffix("_other")] = "khac"
        dossier.form_data = data
        doc = services.build(dossier=dossier, kind=Kind.DECLARATION)
        holding = [t for t in doc.texts() if marker in t]
        words = line.split("{")[0]
        if name in form.signers:  # and under the signature
            assert holding[-1] == marker, holding
            holding = holding[:-1]
        if "|" in line:  # a row of the form's table: the row the marker is in is the line's row
            words = words.split("|")[0]
            holding = [" ".join(cell[0].text for cell in row) for row in rows_of(doc) if marker in str(row)]
        assert len(holding) == 1, f"{name}: printed {len(holding)} times"
        assert holding[0].startswith(words), f"{name}: in {holding[0]!r}, not in the line {line!r}"


def test_no_help_text_is_printed_in_any_declaration(catalogue, agency, people):
    """Every procedure with a declaration, every answer given: no field's web help appears on paper,
    nor the label of a web-only field (what "Khác" means is printed after the ticked choice)."""
    # A joined-up procedure has no declaration of its own: its parts' dossiers print theirs (test_docx.py).
    with_forms = Procedure.objects.exclude(form_title="").filter(parts__isnull=True)
    codes = sorted(set(with_forms.values_list("code", flat=True)))
    assert len(codes) >= 25
    for code in codes:
        procedure = get_procedure(code)
        specs = list(procedure.form_fields.all())
        form = sample_form(procedure)
        for spec in specs:
            if spec.name.endswith("_other") and spec.name.removesuffix("_other") in form:
                form[spec.name.removesuffix("_other")] = "khac"
        dossier = filed_at_counter(code, desk=people["desk"], agency=agency, form=form)
        text = flat("\n".join(services.build(dossier=dossier, kind=Kind.DECLARATION).texts()))
        printed_help = [spec.help_text for spec in specs if spec.help_text and flat(spec.help_text) in text]
        assert not printed_help, f"{code}: {printed_help}"
        assert "Nếu chọn Khác" not in text, code
        for spec in specs:
            if spec.name.endswith("_other") and form.get(spec.name):
                assert form[spec.name] in text, f"{code}: {spec.name} must still be printed"


def test_the_api_serves_the_new_fields_with_the_same_contract(client, catalogue):
    """`GET /api/v1/procedures/1.001193`: every field still has name, label, type, required; the fields the
    form asks for are there, optional; the names a client already uses are unchanged."""
    fields = {f["name"]: f for f in client.get("/api/v1/procedures/1.001193").json()["form"]["fields"]}
    assert all({"name", "label", "type", "required"} <= set(f) for f in fields.values())
    for name in (
        "requester_birth_date",
        "mother_id_number",
        "father_id_number",
        "parents_marriage_number",
        "parents_marriage_book",
        "parents_marriage_date",
        "parents_marriage_place",
    ):
        assert fields[name]["required"] is False, name
    for name in ("requester_relationship_other", "child_name", "mother_name", "father_name", "copies_count"):
        assert name in fields
    assert fields["commitment"]["label"].endswith(
        "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình."
    )
