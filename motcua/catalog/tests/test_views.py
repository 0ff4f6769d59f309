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
    # The empty query skips the search index's check and counts the catalogue instead; either way only
    # the page's rows are read (with their fees and exemptions), not the whole catalogue.
    assert counts[0] == counts[1] == counts[2] <= 7


def test_the_catalogue_reads_only_the_procedures_of_the_page_it_shows(client, catalogue):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.catalog.models import Procedure
    from motcua.catalog.views import PAGE_SIZE

    in_force = Procedure.objects.current().count()
    assert in_force > PAGE_SIZE
    for query in ["", "khai sinh"]:
        client.get("/thu-tuc/", {"q": query})  # the search index is built at the first search
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/thu-tuc/", {"q": query})
        [fees] = [q["sql"] for q in queries if 'FROM "catalog_fee"' in q["sql"]]
        ids = re.search(r"IN \(([^)]*)\)", fees).group(1).split(",")
        assert len(ids) == len(page.context["rows"]) <= PAGE_SIZE
    last = client.get("/thu-tuc/", {"trang": "9999"})  # past the end: the last page, as before
    assert len(last.context["rows"]) == (in_force % PAGE_SIZE or PAGE_SIZE)
