"""A certification is paid as a phí (Thông tư 226/2016/TT-BTC): the citizen's pages do not say lệ phí."""

import pytest

from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.tests.factories import sample_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature_unpaid(catalogue, agency, people):
    """The citizen's signature certification, taken at the counter, its 10.000 đồng not yet paid."""
    procedure = get_procedure("2.000884")
    return dossiers.file_at_counter(
        procedure=procedure,
        agency=agency,
        by=people["desk"],
        applicant=people["citizen"],
        applicant_name="Nguyễn Thị Hường",
        applicant_phone="0912345678",
        form=sample_form(procedure),
    )


def test_the_citizen_is_asked_for_the_phi_of_a_certification(client, signature_unpaid, people):
    assert signature_unpaid.fee_pending
    client.force_login(people["citizen"])
    mine = client.get("/ho-so/").text
    assert "Bạn cần nộp phí. Hồ sơ vẫn được xử lý trong lúc chờ." in mine
    page = client.get(signature_unpaid.get_absolute_url()).text
    assert "Cần nộp phí</h2>" in page
    assert "Phí chứng thực chữ ký" in page and "lệ phí" not in page.lower()
