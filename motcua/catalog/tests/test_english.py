"""The catalogue in English: names, guides and their fallback to Vietnamese, said out loud."""

import unicodedata

import pytest
from django.conf import settings

from motcua.catalog.models import ExemptionCategory, Procedure
from motcua.catalog.services import CatalogueError, get_procedure, import_catalogue, untranslated

from .factories import catalogue_with, make_procedure, procedure_dict

pytestmark = pytest.mark.django_db

NOT_TRANSLATED = "Not yet translated — shown in Vietnamese."
PARTLY_TRANSLATED = "Some parts are not yet translated — shown in Vietnamese."


@pytest.fixture
def english(client):
    """A visitor who pressed "English" in the footer."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_every_text_of_the_demo_catalogue_has_english(catalogue):
    for procedure in Procedure.objects.all():
        assert untranslated(procedure, part="guide") == [], procedure.code
        assert untranslated(procedure, part="form") == [], procedure.code
    assert [c.code for c in ExemptionCategory.objects.all() if c.untranslated()] == []


def test_guide_in_english_shows_every_part_in_english(english, catalogue, agency):
    page = main(english.get("/thu-tuc/1.001193/"))
    assert "<h1>Birth registration</h1>" in page
    assert "› Civil status</nav>" in page
    assert "Registration within 60 days of the birth is free of charge." in page  # summary
    assert "A birth certificate (original)" in page  # result
    assert "The child&#x27;s father or mother." in page  # who may apply
    assert "<strong>Birth notice issued by the hospital or health station</strong>" in page  # papers
    assert "Fee for late birth registration (more than 60 days after the birth): " in page
    assert "<strong>Get the birth notice</strong><br>When you leave hospital" in page  # steps
    assert "<strong>Poor household</strong>: Members of poor households are exempt" in page
    law = "Law on Civil Status No. 60/2014/QH13, Article 11, Articles 13–17"
    assert f"<li>{law} (National Assembly, 20/11/2014)</li>" in page
    assert "Đăng ký khai sinh" not in page and "Giấy chứng sinh" not in page
    assert 'lang="vi"' not in page and NOT_TRANSLATED not in page and PARTLY_TRANSLATED not in page


def test_guide_title_in_english_is_plain_text(english, catalogue):
    html = english.get("/thu-tuc/1.004873/").content.decode()
    assert "<title>Issuance of a certificate of marital status · " in html


def test_guide_in_vietnamese_is_unchanged(client, catalogue):
    page = main(client.get("/thu-tuc/1.001193/"))
    assert "<h1>Đăng ký khai sinh</h1>" in page and "<strong>Lấy giấy chứng sinh</strong>" in page
    assert "Birth registration" not in page and 'lang="vi"' not in page


def test_catalogue_list_in_english_shows_english_names(english, catalogue):
    page = main(english.get("/thu-tuc/"))
    assert '">Birth registration</a></h2>' in page
    assert (
        '">Certification of copies made from originals of papers and documents issued or certified by' in page
    )
    assert "<span>Residence</span>" in page  # the field
    assert "Đăng ký" not in page and NOT_TRANSLATED not in page and PARTLY_TRANSLATED not in page


def test_search_results_in_english_show_english_names(english, catalogue):
    page = main(english.get("/thu-tuc/?q=lam+giay+khai+sinh"))
    assert '">Birth registration</a></h2>' in page
    assert '">Re-registration of a birth</a></h2>' in page
    assert "khai sinh</a>" not in page


def test_home_page_in_english_shows_english_names(english, catalogue, content):
    page = main(english.get("/"))
    assert "<strong>Birth registration</strong>" in page


def test_a_procedure_without_english_says_so_and_marks_its_vietnamese(english, agency):
    make_procedure(
        name="Đăng ký khai thác cát",
        fees=[{"label": "Lệ phí khai thác", "amount_vnd": 5000}],
        steps=[{"title": "Nộp đơn", "text": "Nộp tại xã."}],
        legal_basis=[{"title": "Luật Khoáng sản"}],
    )
    page = main(english.get("/thu-tuc/9.000001/"))
    assert f'<p class="hint">{NOT_TRANSLATED}</p>' in page
    assert '<h1><span lang="vi">Đăng ký khai thác cát</span></h1>' in page
    assert '<li><span lang="vi">Lệ phí khai thác</span>: <strong>5.000 đồng</strong></li>' in page
    assert '<strong><span lang="vi">Nộp đơn</span></strong><br><span lang="vi">Nộp tại xã.</span>' in page
    assert '<li><span lang="vi">Luật Khoáng sản</span></li>' in page
    title = english.get("/thu-tuc/9.000001/").content.decode()
    assert "<title>Đăng ký khai thác cát · " in title  # a <title> holds no markup


def test_a_partly_translated_guide_says_which_parts_are_vietnamese(english):
    make_procedure(
        name="Đăng ký khai thác cát",
        name_en="Registration of sand mining",
        steps=[{"title": "Nộp đơn", "title_en": "Apply", "text": "Nộp tại xã."}],
    )
    page = main(english.get("/thu-tuc/9.000001/"))
    assert f'<p class="hint">{PARTLY_TRANSLATED}</p>' in page
    assert "<h1>Registration of sand mining</h1>" in page
    assert '<strong>Apply</strong><br><span lang="vi">Nộp tại xã.</span>' in page
    assert untranslated(get_procedure("9.000001")) == ["field", "result", "steps[0].text"]


def test_the_list_says_when_some_names_are_vietnamese(english, catalogue):
    make_procedure(name="Đăng ký khai thác cát", popularity=100)
    page = main(english.get("/thu-tuc/"))
    assert f'<p class="hint">{PARTLY_TRANSLATED}</p>' in page
    assert '"><span lang="vi">Đăng ký khai thác cát</span></a></h2>' in page


def test_a_vietnamese_page_never_mentions_translation(client):
    make_procedure(name="Đăng ký khai thác cát")
    page = main(client.get("/thu-tuc/9.000001/"))
    assert "<h1>Đăng ký khai thác cát</h1>" in page
    assert 'lang="vi"' not in page and "tiếng Anh" not in page


def test_english_text_is_stored_nfc():
    decomposed = unicodedata.normalize("NFD", "Registration in Vĩnh Linh")
    import_catalogue(catalogue_with(procedure_dict(name_en=decomposed)))
    assert Procedure.objects.get(code="9.000001").name_en == "Registration in Vĩnh Linh"


def test_a_row_saved_from_the_admin_is_stored_nfc():
    category = ExemptionCategory(code="x", name=unicodedata.normalize("NFD", "Hộ nghèo"), name_en="Poor")
    category.save()
    category.refresh_from_db()
    assert category.name == "Hộ nghèo" and unicodedata.is_normalized("NFC", category.name)


def test_english_without_its_vietnamese_is_refused_by_name():
    bad = procedure_dict(steps=[{"title": "Nộp", "text": "Nộp tại xã.", "title_en": "Apply", "text_en": ""}])
    bad["documents"] = [{"name": "Đơn", "kind": "original", "note_en": "Signed"}]
    with pytest.raises(CatalogueError, match=r"procedures\[0\] \(9.000001\)\.documents\[0\]: .*note_en"):
        import_catalogue(catalogue_with(bad))


def test_the_api_in_english_names_fees_in_plain_text(english):
    make_procedure(
        fees=[
            {"label": "Lệ phí khai thác", "amount_vnd": 5000},
            {"label": "Phí bản sao", "label_en": "Charge for copies", "amount_vnd": 8000, "unit": "copy"},
        ]
    )
    assert english.get("/api/v1/procedures/9.000001").json()["fees"] == [
        {"label": "Lệ phí khai thác", "text": "5.000 đồng"},
        {"label": "Charge for copies", "text": "8.000 đồng/copy"},
    ]
