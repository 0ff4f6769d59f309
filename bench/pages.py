"""The weight of each citizen page: HTML, CSS and JS gzipped (budget 14 KB).

Import once Django is set up (`bench.database`); the real catalogue must be loaded.
"""

from django.test import Client

from motcua.portal.models import Article
from motcua.portal.services import DATA, load_content

from .weight import page_weight


def bench() -> None:
    load_content(DATA / "demo_content.json")
    client = Client()
    article = Article.objects.first()
    print("page weight, gzip (budget 14,336 B = 14 KB for HTML + CSS + JS):")
    for url in [
        "/",
        "/thu-tuc/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.004873/",
        "/tin-tuc/",
        article.get_absolute_url(),
        "/trang/lien-he/",
    ]:
        w = page_weight(client, url)
        print(
            f"  {url[:40]:<40} html {w['html']:>6,} · css {w['css']:>5,} · js {w['js']:>4,} · "
            f"total {w['total']:>6,} B"
        )
