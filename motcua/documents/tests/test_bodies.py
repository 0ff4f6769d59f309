"""Slips in the name of the body that decides (issue 12, item 3).

A residence registration is the commune police's (Luật Cư trú số 68/2020/QH14, Điều 2 khoản 4): its
receipt said "ỦY BAN NHÂN DÂN XÃ VĨNH LINH". Its slips now carry the police in the Nghị định 30/2020 header
("CÔNG AN TỈNH QUẢNG TRỊ / CÔNG AN XÃ VĨNH LINH"), in their sentences and in the signer's title; a birth
registration's still carry the People's Committee. Read back from the PDF with pdftotext, as a person's
software reads it.
"""

import pytest

from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in, file_residence

from .tools import docx_text, pdf_layout_pages, pdf_text

pytestmark = pytest.mark.django_db

POLICE_HEADER = ["CÔNG AN TỈNH QUẢNG TRỊ", "CÔNG AN XÃ VĨNH LINH"]
STOP_REASON = "Người yêu cầu đề nghị dừng để bổ sung giấy tờ gốc."


def header(pdf: bytes) -> list[str]:
    """The issuing body's lines: the left column of the first page's header, above the number."""
    lines = []
    page = pdf_layout_pages(pdf)[0].splitlines()
    # The form's note above the header may take one line or two: the body's first line sits beside the
    # national motto's first line.
    first = next(n for n, line in enumerate(page) if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line)
    for line in page[first:]:
        if line.strip().startswith("Số:"):
            return lines
        lines.append(line[:45].strip())
    raise AssertionError("no number line under the header")


def pdf_of(dossier, kind: str) -> bytes:
    return documents.render(dossier=dossier, kind=kind, fmt="pdf").content


@pytest.fixture
def residence(catalogue, agency, people, police):
    """A permanent residence registration received by the desk."""
    return services.perform(file_residence(people["citizen"], agency), "receive", by=people["desk"])


def test_a_residence_receipt_is_issued_by_the_commune_police(residence):
    pdf = pdf_of(residence, "tiep-nhan")

    assert header(pdf) == POLICE_HEADER
    text = pdf_text(pdf)
    assert "Công an xã Vĩnh Linh tiếp nhận hồ sơ của:" in text
    assert "ỦY BAN NHÂN DÂN" not in text
    docx = docx_text(documents.render(dossier=residence, kind="tiep-nhan", fmt="docx").content)
    assert all(line in docx.splitlines() for line in POLICE_HEADER)


def test_a_residence_stop_notice_is_signed_by_the_chief_of_the_commune_police(residence, people, police):
    dossier = services.perform(residence, "forward", by=people["desk"], data={"assignee": police.pk})
    dossier = services.perform(dossier, "stop", by=police, note=STOP_REASON)

    pdf = pdf_of(dossier, "dung-xu-ly")

    assert header(pdf) == POLICE_HEADER
    text = pdf_text(pdf)
    assert "TRƯỞNG CÔNG AN XÃ" in text.splitlines()
    assert "THỦ TRƯỞNG CƠ QUAN" not in text
    assert "Công an xã Vĩnh Linh thông báo dừng giải quyết hồ sơ" in text
    control = pdf_text(pdf_of(dossier, "kiem-soat"))
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Công an xã Vĩnh Linh" in control


def test_a_residence_declaration_left_unaddressed_goes_to_the_commune_police(residence):
    assert "Kính gửi: Công an xã Vĩnh Linh" in pdf_text(pdf_of(residence, "to-khai")).splitlines()


def test_a_birth_registration_is_still_the_peoples_committees(catalogue, agency, people, police):
    dossier = dossier_in(Status.STOPPED, people=people, agency=agency)

    for kind in ("tiep-nhan", "dung-xu-ly"):
        pdf = pdf_of(dossier, kind)
        assert header(pdf) == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LINH"], kind
        assert "CÔNG AN" not in pdf_text(pdf), kind
    assert "Ủy ban nhân dân xã Vĩnh Linh tiếp nhận hồ sơ của:" in pdf_text(pdf_of(dossier, "tiep-nhan"))
    assert "THỦ TRƯỞNG CƠ QUAN" in pdf_text(pdf_of(dossier, "dung-xu-ly")).splitlines()


def test_a_commune_without_a_police_row_names_its_police_from_its_own_name(
    catalogue, other_agency, other_desk, citizen, police
):
    """Xã Cửa Tùng wrote nothing down: its residence slips still name its own police, not Vĩnh Linh's."""
    dossier = services.perform(file_residence(citizen, other_agency), "receive", by=other_desk)

    pdf = pdf_of(dossier, "tiep-nhan")

    assert header(pdf) == ["CÔNG AN TỈNH QUẢNG TRỊ", "CÔNG AN XÃ CỬA TÙNG"]
    assert "Công an xã Cửa Tùng tiếp nhận hồ sơ của:" in pdf_text(pdf)
