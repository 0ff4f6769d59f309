"""The counter receipt of a person without a phone (issue 11, wall 5): it carries the claim code the desk
has just issued, says in plain words what the code is for, and its QR code opens the status. The code is
printed only right after it is issued: printed again later, the receipt says where it went."""

import re

import pytest

from motcua.documents import services as services_documents
from motcua.documents.models import Kind
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import lookup_token
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, filed_at_counter

from .tools import decode_qr, page_png, pdf_pages, pdf_text, visible

pytestmark = pytest.mark.django_db
LONG_SITE = "https://dichvucong.vinhlinh.quangtri.gov.vn"


def intake(client, desk, *, phone: str):
    """The desk files a birth registration at the counter for Cụ Hường, through its page."""
    client.force_login(desk)
    applicant = {"nguoi-nop-applicant_name": "Nguyễn Thị Hường", "nguoi-nop-applicant_phone": phone}
    form = {k: ("on" if v is True else v) for k, v in BIRTH_FORM.items()}
    return client.post(f"/can-bo/tiep-nhan/{BIRTH}/", {**applicant, **form})


def test_the_counter_receipt_carries_the_claim_code_and_says_what_it_is_for(
    client, catalogue, agency, people
):
    response = intake(client, people["desk"], phone="")
    dossier = Dossier.objects.get()
    page = client.get(response["Location"])
    shown = re.search(r'<p class="bigcode">([0-9A-Z]{4}-[0-9A-Z]{4})</p>', page.text).group(1)
    assert services.lookup(code=dossier.code, claim_code=shown) == dossier

    receipt = client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.pdf")
    assert receipt.status_code == 200 and receipt["Cache-Control"] == "private, no-store"
    text = visible(pdf_text(receipt.content))
    assert visible(f"Mã nhận hồ sơ: {shown}") in text
    for words in [
        "Người nộp không có số điện thoại. Mã nhận hồ sơ dùng thay cho 4 số cuối điện thoại khi tra cứu",
        "để người nộp hoặc người thân nhận hồ sơ vào tài khoản dịch vụ công",
        "mất mã, đề nghị Bộ phận Một cửa cấp lại",
        "hoặc vào địa chỉ dưới đây và nhập mã hồ sơ cùng mã nhận hồ sơ: http://testserver/tra-cuu/",
    ]:
        assert visible(words) in text, words
    [link] = decode_qr(page_png(receipt.content, dpi=150))
    assert link == f"http://testserver/tra-cuu/{lookup_token(dossier.code)}/"


def test_the_claim_code_is_shown_once_never_printed_again(client, catalogue, agency, people):
    intake(client, people["desk"], phone="")
    dossier = Dossier.objects.get()
    client.cookies.pop("ma-nhan")  # half an hour later, or another officer's browser
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    receipt = visible(pdf_text(client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.pdf").content))

    assert 'class="bigcode"' not in page.text
    assert visible("Mã nhận hồ sơ: đã in trên giấy tiếp nhận giao cho người nộp.") in receipt
    assert not re.search(r"Mãnhậnhồsơ:[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)


def test_the_receipt_with_a_claim_code_stays_on_one_page(catalogue, agency, people):
    dossier = filed_at_counter(BIRTH, desk=people["desk"], agency=agency, form=BIRTH_FORM, phone="")
    rendered = services_documents.render(
        dossier=dossier,
        kind=Kind.RECEIPT,
        fmt="pdf",
        site_url=LONG_SITE,
        claim_code=dossier.issued_claim_code,
    )

    pages = [page for page in pdf_pages(rendered.content) if page.strip()]
    assert len(pages) == 1
    assert visible(f"Mã nhận hồ sơ: {services.format_claim_code(dossier.issued_claim_code)}") in visible(
        pages[0]
    )


def test_a_receipt_with_a_phone_asks_for_its_last_four_digits_and_has_no_claim_code(
    catalogue, agency, people
):
    dossier = filed_at_counter(BIRTH, desk=people["desk"], agency=agency, form=BIRTH_FORM)
    text = "\n".join(services_documents.build(dossier=dossier, kind=Kind.RECEIPT, site_url=LONG_SITE).texts())

    assert f"và nhập mã hồ sơ {dossier.code} cùng 4 số cuối điện thoại của người nộp." in text
    assert "Mã nhận hồ sơ" not in text
