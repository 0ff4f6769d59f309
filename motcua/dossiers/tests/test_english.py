"""Filing in English: the declaration's labels, help, choices and papers come from the catalogue's English."""

import pytest
from django.conf import settings

from bench.weight import page_weight
from motcua.catalog.tests.factories import make_procedure
from motcua.dossiers.models import Status

from .factories import BIRTH_FORM, dossier_in, number_of_step, post_steps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_filing_form_in_english_shows_english_labels_help_choices_and_papers(
    client, catalogue, agency, citizen
):
    client.force_login(citizen)
    in_english(client)
    child = number_of_step("child_name")
    page = main(client.get(f"/thu-tuc/1.001193/nop/buoc/{child}/"))
    assert '<a href="/thu-tuc/1.001193/">Birth registration</a> › Applying online' in page
    assert f'<p class="step-count">Step {child} of 10</p>' in page
    assert "<h1>Child being registered</h1>" in page
    assert '<label for="id_child_name">Full name</label>' in page
    assert 'value="nu" required id="id_child_sex_1">\n Female</label>' in page
    assert "Họ, chữ đệm" not in page and 'lang="vi"' not in page and "Bấm" not in page
    place = main(client.get(f"/thu-tuc/1.001193/nop/buoc/{number_of_step('child_birth_place')}/"))
    assert "As on the birth notice, for example: ... Medical Centre, Quảng Trị province." in place
    papers = main(client.get("/thu-tuc/1.001193/nop/giay-to/"))
    assert '<label for="file-2">Birth notice issued by the hospital or health station</label>' in papers
    assert "Giấy chứng sinh" not in papers and 'lang="vi"' not in papers


def test_review_in_english_shows_english_labels_and_answers(client, catalogue, agency, citizen):
    client.force_login(citizen)
    in_english(client)
    post_steps(client, BIRTH_FORM)
    page = main(client.get("/thu-tuc/1.001193/nop/xem-lai/"))
    assert "<summary>Child being registered<span" in page
    assert "<div><dt>Sex</dt><dd>Female</dd></div>" in page
    assert "Birth notice issued by the hospital or health station" in page  # not yet sent
    assert "Giấy chứng sinh" not in page


def test_a_declaration_not_yet_translated_is_shown_in_vietnamese_and_says_so(client, agency, citizen):
    choices = [{"value": "a", "label": "Một", "label_en": "One"}] + [
        {"value": v, "label": label} for v, label in [("b", "Hai"), ("c", "Ba"), ("d", "Bốn"), ("e", "Năm")]
    ]
    make_procedure(
        name="Đăng ký khai thác cát",
        name_en="Registration of sand mining",
        form={
            "title": "ĐƠN",
            "fields": [
                {"name": "mine", "label": "Mỏ", "type": "choice", "choices": choices, "section": "Nơi mỏ"},
                {"name": "agree", "label": "Đồng ý", "label_en": "I agree", "type": "boolean"},
            ],
        },
    )
    client.force_login(citizen)
    in_english(client)
    page = main(client.get("/thu-tuc/9.000001/nop/"))
    assert '<p class="hint">Some parts are not yet translated — shown in Vietnamese.</p>' in page
    assert '<h1><span lang="vi">Nơi mỏ</span></h1>' in page
    assert '<label for="id_mine"><span lang="vi">Mỏ</span> <span class="optional">' in page
    assert '<option value="a">One</option>' in page
    assert '<option value="b" lang="vi">Hai</option>' in page  # an <option> cannot hold a <span>
    page = main(client.get("/thu-tuc/9.000001/nop/buoc/2/"))
    assert '<label for="id_agree">I agree</label>' in page


def test_the_citizens_own_pages_fit_the_budget_in_english(client, catalogue, agency, people):
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    client.force_login(people["citizen"])
    in_english(client)
    for url in ["/ho-so/", dossier.get_absolute_url(), "/thu-tuc/1.001193/nop/"]:
        weight = page_weight(client, url)
        assert weight["total"] <= 14 * 1024, (url, weight)
