"""The documents in the API: the same services and the same access rule, with a bearer token."""

import pytest

from .factories import with_every_slip

pytestmark = pytest.mark.django_db


def token(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", {"username": username, "password": "demo-2026"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def dossier(catalogue, agency, people):
    return with_every_slip(people, agency)


def test_the_list_names_each_document_with_its_urls(client, dossier, people):
    response = client.get(f"/api/v1/dossiers/{dossier.code}/documents", **token(client, "0912345678"))
    assert response.status_code == 200
    items = response.json()
    assert [item["kind"] for item in items] == [
        "to-khai",
        "tiep-nhan",
        "bo-sung",
        "xin-loi",
        "dung-xu-ly",
        "kiem-soat",
    ]
    receipt = items[1]
    assert receipt == {
        "kind": "tiep-nhan",
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "docx_url": f"/api/v1/dossiers/{dossier.code}/documents/tiep-nhan.docx",
        "pdf_url": f"/api/v1/dossiers/{dossier.code}/documents/tiep-nhan.pdf",
    }


def test_a_document_downloads_from_its_url(client, dossier, people):
    headers = token(client, "motcua")
    for item in client.get(f"/api/v1/dossiers/{dossier.code}/documents", **headers).json():
        response = client.get(item["pdf_url"], **headers)
        assert response.status_code == 200, item
        assert response.content.startswith(b"%PDF-")
    docx = client.get(f"/api/v1/dossiers/{dossier.code}/documents/to-khai.docx", **headers)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_without_a_token_it_is_401(client, dossier):
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents").status_code == 401
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/to-khai.pdf").status_code == 401


def test_a_dossier_the_caller_cannot_see_is_404(client, dossier, other_citizen, other_desk):
    for username in ["0987654321", "motcua.cuatung"]:
        headers = token(client, username)
        assert client.get(f"/api/v1/dossiers/{dossier.code}/documents", **headers).status_code == 404
        response = client.get(f"/api/v1/dossiers/{dossier.code}/documents/to-khai.pdf", **headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy văn bản này."}


def test_a_document_the_dossier_does_not_have_is_404(client, dossier, people):
    headers = token(client, "0912345678")
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/tu-choi.pdf", **headers).status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/documents/to-khai.rtf", **headers).status_code == 404
