"""What a citizen's phone downloads for one page: HTML plus the CSS and JS it links, gzipped."""

import gzip
import re

from django.contrib.staticfiles import finders
from django.test import Client

ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="/static/([^"?]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def page_weight(client: Client, url: str) -> dict[str, int]:
    """Gzipped bytes of the page's HTML, CSS and JS, and their total."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    weights = {"html": gz(html), "css": 0, "js": 0}
    for path in ASSET.findall(html.decode()):
        kind = "css" if path.endswith(".css") else "js"
        found = finders.find(re.sub(r"\.[0-9a-f]{12}\.", ".", path))
        with open(found, "rb") as f:
            weights[kind] += gz(f.read())
    weights["total"] = weights["html"] + weights["css"] + weights["js"]
    return weights
