import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_list_matches_without_diacritics(client, catalogue):
    body = client.get("/api/v1/procedures", {"q": "khai sinh"}).json()
    assert body["count"] >= 1
    first = body["items"][0]
    assert first["code"] == "1.001193"
    assert set(first) == {"code", "name", "field", "level", "processing_time", "fee", "url"}
    assert first["url"] == "http://testserver/thu-tuc/1.001193/"
    assert first["level"] == "toan_trinh"


def test_list_without_query_returns_everything_paged(client, catalogue):
    today = dt.date.today().isoformat()
    in_force = {  # one version of each procedure: the one in force today
        p["code"]
        for p in catalogue["procedures"]
        if p["valid_from"] <= today and (p["valid_to"] is None or today < p["valid_to"])
    }
    body = client.get("/api/v1/procedures", {"limit": 5}).json()
    assert body["count"] == len(in_force)
    assert len(body["items"]) == 5


def test_detail_carries_documents_steps_form_and_legal_basis(client, catalogue):
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["documents"] and body["steps"] and body["legal_basis"]
    fields = body["form"]["fields"]
    assert fields and all({"name", "label", "type", "required", "choices"} <= set(f) for f in fields)
    assert any(f["type"] == "choice" and f["choices"] for f in fields)


def test_marital_status_form_is_complete(client, catalogue):
    body = client.get("/api/v1/procedures/1.004873").json()
    labels = " ".join(f["label"].lower() for f in body["form"]["fields"])
    for part in ["họ, chữ đệm, tên", "nơi cư trú", "tình trạng hôn nhân", "mục đích"]:
        assert part in labels


def test_unknown_procedure_is_404_in_vietnamese(client, catalogue):
    response = client.get("/api/v1/procedures/khong-ton-tai")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy thủ tục này."}


def test_bad_paging_is_422_naming_the_field(client, catalogue):
    response = client.get("/api/v1/procedures", {"limit": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


@pytest.mark.parametrize("query", ["x" * 10_000, "<script>", "' OR 1=1 --"])
def test_hostile_queries_answer_normally(client, catalogue, query):
    response = client.get("/api/v1/procedures", {"q": query})
    assert response.status_code == 200


def test_openapi_schema_is_served(client):
    body = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/procedures" in body["paths"]
