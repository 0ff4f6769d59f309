"""The e-receipt of a paid fee (biên lai thu phí, lệ phí): issue 5, item 8."""

import pytest

from motcua.documents import services
from motcua.documents.models import DocumentTemplate, Kind
from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import dossier_in

from .tools import docx_text, pdf_text, visible

pytestmark = pytest.mark.django_db
EXPECTED = ["BIÊN LAI", "15.000 đồng", "Mười lăm nghìn đồng", "BL-0042", "Người thu tiền".upper()]


def token(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": "demo-2026"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def asked(catalogue, agency, people):
    """A dossier in status 6: the specialist asked for a fee, not yet paid."""
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    return perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        data={"amount_vnd": 15000, "reason": "Lệ phí cấp bản sao"},
    )


@pytest.fixture
def paid(asked, people):
    return perform(asked, "confirm_payment", by=people["desk"], data={"receipt_number": "BL-0042"})


def test_the_receipt_template_is_seeded_from_1_july_2022():
    template = DocumentTemplate.objects.get(kind=Kind.FEE_RECEIPT)
    assert str(template.valid_from) == "2022-07-01" and template.valid_to is None
    assert "Nghị định 123/2020/NĐ-CP" in template.legal_basis
    assert "Thông tư 78/2021/TT-BTC" in template.legal_basis


def test_there_is_no_receipt_before_payment(client, asked, people):
    assert asked.status == Status.PAYMENT
    assert Kind.FEE_RECEIPT not in dict(services.available(dossier=asked))
    with pytest.raises(services.NotApplicable):
        services.build(dossier=asked, kind=Kind.FEE_RECEIPT)
    for who in ["citizen", "desk"]:
        client.force_login(people[who])
        assert client.get(f"/ho-so/{asked.code}/van-ban/bien-lai.pdf").status_code == 404
        assert client.get(f"/ho-so/{asked.code}/van-ban/bien-lai.docx").status_code == 404
    response = client.get(f"/api/v1/dossiers/{asked.code}/documents/bien-lai.pdf", **token(client, "motcua"))
    assert response.status_code == 404


def test_a_paid_dossier_lists_its_receipt(paid):
    assert paid.status != Status.PAYMENT
    assert dict(services.available(dossier=paid))[Kind.FEE_RECEIPT] == "Biên lai thu phí, lệ phí"


def test_the_receipt_says_everything(paid, people):
    texts = services.build(dossier=paid, kind=Kind.FEE_RECEIPT).texts()
    text = "\n".join(texts)
    for value in [
        *EXPECTED,
        paid.code,
        "Lệ phí cấp bản sao",
        "Tiền mặt",
        paid.applicant_name,
        paid.procedure.name,
        "Trần Thị Mai",  # the desk officer who took the cash
    ]:
        assert value in text, value
    assert "Số: BL-0042" in texts


def test_the_pdf_reads_back(client, paid, people):
    client.force_login(people["citizen"])
    response = client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="bien-lai-{paid.code}.pdf"' in response["Content-Disposition"]
    text = visible(pdf_text(response.content))
    for value in [*EXPECTED, paid.code]:
        assert visible(value) in text, value


def test_the_docx_reads_back(client, paid, people):
    client.force_login(people["desk"])
    response = client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.docx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    text = docx_text(response.content)
    for value in [*EXPECTED, paid.code]:
        assert value in text, value


def test_the_owner_and_the_desk_get_it_another_citizen_does_not(client, paid, people, other_citizen):
    for user, status in [(people["citizen"], 200), (people["desk"], 200), (other_citizen, 404)]:
        client.force_login(user)
        for fmt in ["pdf", "docx"]:
            assert client.get(f"/ho-so/{paid.code}/van-ban/bien-lai.{fmt}").status_code == status
        page = client.get(f"/ho-so/{paid.code}/van-ban/")
        assert page.status_code == status
        if status == 200:
            assert f"/ho-so/{paid.code}/van-ban/bien-lai.pdf" in page.content.decode()


def test_the_api_has_it_with_the_same_access_rule(client, paid, other_citizen):
    base = f"/api/v1/dossiers/{paid.code}/documents"
    for username, status in [("0912345678", 200), ("motcua", 200), ("0987654321", 404)]:
        headers = token(client, username)
        assert client.get(f"{base}/bien-lai.pdf", **headers).status_code == status
        assert client.get(f"{base}/bien-lai.docx", **headers).status_code == status
    listed = client.get(base, **token(client, "0912345678")).json()
    assert listed[-1]["kind"] == "bien-lai"


def test_a_bank_payment_is_numbered_by_its_reference(paid):
    payment = paid.payment_requests.get(state="paid")
    type(payment).objects.filter(pk=payment.pk).update(receipt_number="", method="chuyển khoản")
    texts = services.build(dossier=paid, kind=Kind.FEE_RECEIPT).texts()
    assert f"Số: {payment.reference}" in texts
    assert any("Chuyển khoản" in line for line in texts)
