"""A certification is charged a phí (Thông tư 226/2016/TT-BTC), not a lệ phí: the papers say which."""

import pytest

from motcua.documents import services
from motcua.documents.models import Kind
from motcua.dossiers.services import perform

from .factories import filed_at_counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def signature_paid(catalogue, agency, people):
    """A signature certification filed at the counter, its 10.000 đồng paid in cash."""
    dossier = filed_at_counter("2.000884", desk=people["desk"], agency=agency)
    assert (dossier.fee_vnd, dossier.fee_pending) == (10000, True)
    return perform(dossier, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0007"})


def test_the_receipt_of_a_certification_names_the_phi_and_no_lephi(signature_paid):
    text = "\n".join(services.build(dossier=signature_paid, kind=Kind.FEE_RECEIPT).texts())
    assert "Tên loại phí, lệ phí: Phí chứng thực chữ ký" in text
    assert "Lệ phí" not in text
