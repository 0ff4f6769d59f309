"""Who gets which document: the dossier's citizen and its agency's officers; everyone else a 404."""

import pytest
from django.utils import timezone

from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in, file_birth

from .factories import with_every_slip

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def dossier(catalogue, agency, people):
    return with_every_slip(people, agency)


def test_the_citizen_lists_the_documents_of_their_dossier(client, dossier, people):
    client.force_login(people["citizen"])
    response = client.get(f"/ho-so/{dossier.code}/van-ban/")
    assert response.status_code == 200
    page = response.content.decode()
    for kind in ["to-khai", "tiep-nhan", "bo-sung", "xin-loi", "dung-xu-ly", "kiem-soat"]:
        assert f"/ho-so/{dossier.code}/van-ban/{kind}.pdf" in page
        assert f"/ho-so/{dossier.code}/van-ban/{kind}.docx" in page
    assert "tu-choi" not in page  # never refused
    assert "Tờ khai đăng ký khai sinh" in page


def test_the_citizen_downloads_their_declaration_as_docx_and_pdf(client, dossier, people):
    client.force_login(people["citizen"])
    docx = client.get(f"/ho-so/{dossier.code}/van-ban/to-khai.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"].startswith(f'attachment; filename="to-khai-{dossier.code}.docx"')
    assert docx["Cache-Control"] == "private, no-store"
    assert docx.content[:2] == b"PK"
    pdf = client.get(f"/ho-so/{dossier.code}/van-ban/to-khai.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["desk", "specialist", "leader"])
def test_every_officer_of_the_agency_downloads_every_slip(client, dossier, people, who):
    client.force_login(people[who])
    assert client.get(f"/ho-so/{dossier.code}/van-ban/").status_code == 200
    for kind in ["to-khai", "tiep-nhan", "kiem-soat"]:
        assert client.get(f"/ho-so/{dossier.code}/van-ban/{kind}.pdf").status_code == 200


def test_another_citizen_gets_a_404(client, dossier, other_citizen):
    client.force_login(other_citizen)
    assert client.get(f"/ho-so/{dossier.code}/van-ban/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/van-ban/to-khai.pdf").status_code == 404


def test_an_officer_of_another_commune_gets_a_404(client, dossier, other_desk):
    client.force_login(other_desk)
    assert client.get(f"/ho-so/{dossier.code}/van-ban/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.docx").status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, dossier):
    response = client.get(f"/ho-so/{dossier.code}/van-ban/to-khai.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_a_slip_that_does_not_exist_yet_is_a_404(client, catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency)  # filed, not yet received
    client.force_login(people["citizen"])
    assert client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.pdf").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/van-ban/to-khai.pdf").status_code == 200


def test_a_refusal_exists_only_for_a_refused_dossier(client, catalogue, agency, people):
    dossier = dossier_in(Status.REFUSED, people=people, agency=agency)
    client.force_login(people["citizen"])
    assert client.get(f"/ho-so/{dossier.code}/van-ban/tu-choi.docx").status_code == 200
    assert client.get(f"/ho-so/{dossier.code}/van-ban/tiep-nhan.docx").status_code == 404


@pytest.mark.parametrize("path", ["khong-co.pdf", "to-khai.odt", "to-khai.xlsx", "so-theo-doi.pdf"])
def test_unknown_kinds_and_formats_are_404(client, dossier, people, path):
    client.force_login(people["desk"])
    assert client.get(f"/ho-so/{dossier.code}/van-ban/{path}").status_code == 404


def test_the_list_page_makes_few_queries(client, dossier, people, django_assert_max_num_queries):
    client.force_login(people["desk"])
    with django_assert_max_num_queries(14):
        assert client.get(f"/ho-so/{dossier.code}/van-ban/").status_code == 200


def test_the_register_is_for_officers_only(client, dossier, people):
    client.force_login(people["citizen"])
    assert client.get("/can-bo/so-theo-doi/").status_code == 404
    client.force_login(people["desk"])
    assert client.get("/can-bo/so-theo-doi/").status_code == 200


def test_a_community_team_member_does_not_find_the_register(client, dossier, community):
    client.force_login(community)

    listing = client.get("/can-bo/so-theo-doi/")
    today = timezone.localdate().isoformat()
    download = client.get("/can-bo/so-theo-doi/", {"tu": today, "den": today, "dinh-dang": "xlsx"})

    assert (listing.status_code, download.status_code) == (404, 404)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", DOCX),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_an_officer_downloads_the_register_of_a_period(client, dossier, people, fmt, content_type):
    client.force_login(people["desk"])
    day = dossier.received_at.date().isoformat()
    response = client.get("/can-bo/so-theo-doi/", {"tu": day, "den": day, "dinh-dang": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_a_reversed_or_too_long_period_is_explained(client, dossier, people):
    client.force_login(people["desk"])
    response = client.get(
        "/can-bo/so-theo-doi/", {"tu": "2026-12-01", "den": "2026-11-01", "dinh-dang": "pdf"}
    )
    assert response.status_code == 422
    assert "“Đến ngày” phải sau hoặc bằng “Từ ngày”." in response.content.decode()
    response = client.get(
        "/can-bo/so-theo-doi/", {"tu": "2025-01-01", "den": "2026-11-01", "dinh-dang": "pdf"}
    )
    assert response.status_code == 422
