import pytest

from motcua.portal.markdown import render_markdown
from motcua.portal.models import Article

pytestmark = pytest.mark.django_db


def test_home_has_search_popular_procedures_and_news(client, catalogue, content, agency):
    html = client.get("/").text
    assert 'role="search"' in html
    assert "Thủ tục nhiều người làm" in html and "/thu-tuc/1.001193/" in html
    assert "Tin mới" in html
    assert agency.name in html


def test_home_query_count_is_bounded(client, catalogue, content, agency, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/")


def test_news_list_filters_by_category(client, content):
    article = Article.objects.first()
    html = client.get("/tin-tuc/", {"muc": article.category.slug}).text
    assert article.title in html
    assert client.get("/tin-tuc/", {"muc": "khong-co"}).status_code == 404


def test_article_page_shows_body_and_other_news(client, content):
    article = Article.objects.first()
    html = client.get(article.get_absolute_url()).text
    assert f"<h1>{article.title}</h1>" in html
    assert "Các tin khác" in html


def test_unpublished_article_is_404(client, content):
    article = Article.objects.first()
    article.is_published = False
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_static_pages_exist(client, content):
    assert client.get("/trang/lien-he/").status_code == 200
    assert client.get("/trang/huong-dan-dich-vu-cong/").status_code == 200


def test_markdown_is_sanitised():
    html = render_markdown(
        "Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.text == "ok"


def test_english_switch(client, catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/"})
    html = client.get("/thu-tuc/").text
    assert '<html lang="en">' in html
    assert "Administrative procedures" in html
