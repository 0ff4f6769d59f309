"""The JSON API goes through a lean middleware stack (motcua/middleware.py `pages_only`): no session, no
CSRF check, no session user, no messages for /api/; the security headers, the request id, the metrics and
the access policy as for every page. Pages keep all of it."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_an_api_answer_keeps_the_security_headers_and_the_request_id(client):
    answer = client.get("/api/v1/lookup", {"code": "X", "phone_last4": "1234"}, HTTP_X_REQUEST_ID="abc-1")

    assert answer.status_code == 404
    assert answer["X-Request-ID"] == "abc-1"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    assert "no-store" in answer["Cache-Control"]


def test_the_api_never_reads_the_session_a_browser_sends_along(client, citizen):
    client.force_login(citizen)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get("/api/v1/dossiers")

    assert answer.status_code == 401  # bearer tokens only: the session cookie signs nobody in
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]
    assert not answer.cookies
    assert not hasattr(answer.wsgi_request, "session")  # SessionMiddleware did not run for /api/
    assert not answer.wsgi_request.user.is_authenticated


def test_pages_still_check_csrf_and_keep_their_session(client, citizen):
    client.force_login(citizen)
    strict = client.__class__(enforce_csrf_checks=True)
    strict.cookies = client.cookies

    refused = strict.post("/dang-xuat/")
    page = client.get("/ho-so/")

    assert refused.status_code == 403
    assert page.status_code == 200 and settings.SESSION_COOKIE_NAME in client.cookies
