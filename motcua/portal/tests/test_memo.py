"""The layout's chrome is rendered once per process and language ({% memo %} in base.html) and reused: the
pages come out exactly as a fresh render makes them, in the reader's language, with the right menu entry
marked, and a signed-in person's menu is never a stranger's."""

import re

import pytest
from django.conf import settings

from motcua.portal.templatetags import memo

pytestmark = pytest.mark.django_db


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("url", ["/tra-cuu/", "/thu-tuc/", "/tin-tuc/", "/su-kien/"])
def test_a_page_from_remembered_parts_is_the_page_rendered_afresh(client, catalogue, agency, url):
    client.get("/")  # fills the memo from another page
    remembered = client.get(url).text
    memo.forget()
    fresh = client.get(url).text

    assert remembered == fresh


def test_each_language_has_its_own_chrome_and_each_section_its_marked_entry(client, catalogue, agency):
    vietnamese = client.get("/thu-tuc/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/thu-tuc/").text
    news = client.get("/tin-tuc/").text

    assert ">Tra cứu hồ sơ</a>" in vietnamese and ">Track a dossier</a>" not in vietnamese
    assert ">Track a dossier</a>" in english and 'lang="vi">Tiếng Việt</button>' in english
    assert '<a href="/thu-tuc/" aria-current="page">' in english
    assert '<a href="/tin-tuc/" aria-current="page">' in news and 'href="/thu-tuc/" aria-current' not in news


def test_a_signed_in_person_gets_their_own_menu_after_a_strangers_page(client, agency, citizen):
    client.get("/tra-cuu/")
    client.force_login(citizen)
    page = client.get("/tra-cuu/").text

    assert "/ho-so/" in page and "Đăng xuất" in page and ">Đăng nhập</a>" not in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_found_dossier_from_remembered_parts_is_the_page_rendered_afresh(
    client, catalogue, agency, citizen, language
):
    from motcua.dossiers.tests.factories import file_birth

    first, second = file_birth(citizen, agency), file_birth(citizen, agency)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.get("/tra-cuu/", {"ma": first.code, "so": "5678"})
    remembered = client.get("/tra-cuu/", {"ma": second.code, "so": "5678"}).text
    memo.forget()
    fresh = client.get("/tra-cuu/", {"ma": second.code, "so": "5678"}).text

    assert remembered == fresh and second.code in remembered and first.code not in remembered
