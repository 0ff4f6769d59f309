"""Every citizen page fits the DESIGN.md budget: HTML + CSS + JS ≤ 14 KB gzipped."""

import pytest

from bench.weight import page_weight
from motcua.portal.models import Article

pytestmark = pytest.mark.django_db
BUDGET = 14 * 1024


def citizen_pages() -> list[str]:
    article = Article.objects.first()
    return [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.004873/",
        "/tin-tuc/",
        article.get_absolute_url(),
        "/trang/lien-he/",
    ]


def test_every_citizen_page_fits_the_budget(client, catalogue, content, agency):
    for url in citizen_pages():
        weight = page_weight(client, url)
        assert weight["total"] <= BUDGET, (url, weight)
        assert weight["css"] > 0 and weight["js"] > 0, url


def test_every_citizen_page_fits_the_budget_in_english(client, catalogue, content, agency, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in citizen_pages():
        weight = page_weight(client, url)
        assert weight["total"] <= BUDGET, (url, weight)
        assert '<html lang="en">' in client.get(url).content.decode(), url
