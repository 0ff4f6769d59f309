import pytest

pytestmark = pytest.mark.django_db


def test_catalogue_page_finds_a_procedure_without_diacritics(client, catalogue):
    response = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert response.context["rows"][0][0].code == "1.001193"
    assert "Đăng ký khai sinh" in response.text


def test_catalogue_page_says_when_nothing_is_found(client, catalogue):
    response = client.get("/thu-tuc/", {"q": "zzzz qqqq"})
    assert response.status_code == 200
    assert "Không tìm thấy thủ tục nào." in response.text


@pytest.mark.parametrize("query", ["<script>alert('x')</script>", "x" * 10_000, "1' OR '1'='1"])
def test_hostile_queries_are_escaped_never_an_error(client, catalogue, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.text


def test_guide_shows_checklist_fee_time_and_steps(client, catalogue):
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Đăng ký khai sinh</h1>" in html
    assert "Giấy tờ cần chuẩn bị" in html and 'type="checkbox"' in html
    assert "Lệ phí" in html and "Thời gian" in html and "Các bước" in html
    assert "Căn cứ pháp lý" in html


def test_unknown_procedure_is_a_vietnamese_404_with_a_search_box(client, catalogue):
    response = client.get("/thu-tuc/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang này" in response.text
    assert 'role="search"' in response.text


def test_pages_carry_a_strict_content_security_policy(client, catalogue):
    policy = client.get("/thu-tuc/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_no_inline_script_or_style_in_pages(client, catalogue, content):
    for url in ["/", "/thu-tuc/", "/thu-tuc/1.001193/", "/tin-tuc/"]:
        html = client.get(url).text
        assert "<script>" not in html and "<style" not in html and " style=" not in html, url


def test_catalogue_page_query_count_does_not_grow_with_results(client, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/thu-tuc/", {"q": "khai sinh"})  # the first search after a change builds the index
    counts = []
    for query in ["1.004873", "dang ky", ""]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/thu-tuc/", {"q": query})
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2] + 1 <= 7  # the empty query skips the search index
