"""The language switch is a GET form: anonymous pages carry no CSRF token and set no csrftoken cookie, and
the switch still works, back to the page it was pressed on; it never sends anyone to another site."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_sets_no_csrf_cookie_and_holds_no_token(client, agency):
    page = client.get("/tra-cuu/")

    assert page.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    assert "csrfmiddlewaretoken" not in page.text


def test_the_switch_sets_the_language_and_goes_back_to_the_page(client, catalogue, agency):
    page = client.get("/thu-tuc/")
    assert 'action="/ngon-ngu/" method="get"' in page.text

    switched = client.get("/ngon-ngu/", {"language": "en", "next": "/thu-tuc/?q=khai+sinh"})

    assert switched.status_code == 302 and switched["Location"] == "/thu-tuc/?q=khai+sinh"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-store" in switched["Cache-Control"]
    english = client.get("/thu-tuc/")
    assert '<html lang="en">' in english.text and "Administrative procedures" in english.text
    back = client.get("/ngon-ngu/", {"language": "vi", "next": "/thu-tuc/"})
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert '<html lang="vi">' in client.get("/thu-tuc/").text


def test_the_switch_goes_nowhere_but_this_site_and_knows_only_our_languages(client):
    away = client.get("/ngon-ngu/", {"language": "en", "next": "https://evil.example/"})
    unknown = client.get("/ngon-ngu/", {"language": "xx", "next": "/"})

    assert away["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_a_signed_in_persons_pages_still_carry_a_token_for_their_posts(client, citizen, agency):
    client.force_login(citizen)
    page = client.get("/tra-cuu/")

    assert "csrfmiddlewaretoken" in page.text  # the sign-out forms post
