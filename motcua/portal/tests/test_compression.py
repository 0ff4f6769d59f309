import gzip
import io

import pytest
from django.http import FileResponse
from django.test import RequestFactory

from motcua.portal.compression import PageCompressionMiddleware

pytestmark = pytest.mark.django_db


def test_a_page_goes_out_gzipped_to_a_browser_that_accepts_it(client, catalogue, content, agency):
    response = client.get("/thu-tuc/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert html.startswith("<!doctype html>")
    assert len(response.content) * 2 < len(html)


def test_a_page_goes_out_plain_to_a_client_without_gzip(client, catalogue, content, agency):
    response = client.get("/thu-tuc/")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!doctype html>")


def test_a_streamed_file_is_sent_as_it_is():
    data = b"%PDF-1.7 " + b"0" * 5000
    middleware = PageCompressionMiddleware(lambda request: FileResponse(io.BytesIO(data)))
    response = middleware(RequestFactory().get("/ho-so/x/tep/1/", HTTP_ACCEPT_ENCODING="gzip"))
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == data
