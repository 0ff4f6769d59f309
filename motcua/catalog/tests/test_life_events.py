"""Life events (/su-kien/): what to do when a baby is born, a couple marries, someone dies, and so on."""

import datetime as dt
import io
import json
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.weight import page_weight
from conftest import CATALOGUE_FILE
from motcua.catalog.models import LifeEvent, Procedure
from motcua.catalog.services import (
    CatalogueError,
    export_catalogue,
    import_catalogue,
    life_event_guide,
)

from .factories import catalogue_with, make_procedure, procedure_dict

pytestmark = pytest.mark.django_db

BUDGET = 14 * 1024
SIX = [
    ("gia-dinh-co-em-be", "Gia đình có em bé"),
    ("ket-hon", "Kết hôn"),
    ("nguoi-than-qua-doi", "Người thân qua đời"),
    ("chuyen-noi-o", "Chuyển nơi ở"),
    ("mo-ho-kinh-doanh", "Mở hộ kinh doanh"),
    ("chung-thuc-giay-to", "Cần chứng thực giấy tờ"),
]


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def event_dict(**overrides) -> dict:
    data = {
        "slug": "viec-thu",
        "name": "Việc thử",
        "summary": "Một việc để thử.",
        "steps": [{"procedure_code": "1.001193", "title": "Đăng ký khai sinh"}],
    }
    data.update(overrides)
    return data


def import_events(*events: dict) -> None:
    data = catalogue_with()
    data["life_events"] = list(events)
    import_catalogue(data)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the list and the home page ----------------------------------------------------------------------


def test_the_list_shows_the_six_events_in_order_each_a_link(client, catalogue):
    response = client.get("/su-kien/")

    assert response.status_code == 200
    links = re.findall(r'<a href="/su-kien/([a-z-]+)/">.*?<strong>([^<]+)</strong>', main(response))
    assert links == SIX


def test_the_home_page_links_to_every_life_event(client, catalogue, content):
    page = client.get("/").content.decode()

    assert '<a href="/su-kien/">' in page  # the section, and the footer
    for slug, name in SIX:
        assert f'<a href="/su-kien/{slug}/">' in page and name in page


def test_the_footer_links_to_the_life_events(client, catalogue):
    html = client.get("/thu-tuc/").content.decode()

    assert '<a href="/su-kien/">Sự kiện cuộc sống</a>' in html[html.index("<footer") :]


def test_an_unknown_event_is_a_404(client, catalogue):
    assert client.get("/su-kien/khong-co/").status_code == 404


# --- one event ----------------------------------------------------------------------------------------


def test_a_new_baby_offers_the_joined_up_filing_first_then_the_steps_in_order(client, catalogue):
    page = main(client.get("/su-kien/gia-dinh-co-em-be/"))

    joined = page.index("Làm một lần cho cả ba việc")
    steps = page.index("Hoặc làm lần lượt từng việc")
    assert joined < steps
    # 2.000986 is in the catalogue: its step links to its guide, under its name on the national portal.
    assert "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú" in page[joined:steps]
    assert 'href="/thu-tuc/2.000986/"' in page[joined:steps]
    ordered = [
        page.index(s, steps) for s in ("Đăng ký khai sinh", "Đăng ký thường trú", "Cấp thẻ bảo hiểm y tế")
    ]
    assert ordered == sorted(ordered)


def test_each_step_names_its_procedure_where_time_fee_and_the_online_button(client, catalogue):
    page = main(client.get("/su-kien/gia-dinh-co-em-be/"))
    birth = page[page.index('<a href="/thu-tuc/1.001193/">') : page.index('<a href="/thu-tuc/1.004222/">')]

    assert "<strong>Đăng ký khai sinh</strong>" in birth
    assert "Nộp ở đâu: <strong>Trực tuyến hoặc tại bộ phận một cửa</strong>" in birth
    assert "Thời gian: <strong>Trong ngày</strong>" in birth
    assert "Lệ phí: <strong>Miễn phí nếu đúng hạn</strong>" in birth
    assert (
        '<a class="button" href="/thu-tuc/1.001193/nop/" aria-label="Nộp trực tuyến: Đăng ký khai sinh">'
        in birth
    )


def test_a_procedure_done_only_at_the_counter_has_no_online_button(client, catalogue):
    page = main(client.get("/su-kien/chung-thuc-giay-to/"))
    signature = page[
        page.index('<a href="/thu-tuc/2.000884/">') : page.index('<a href="/thu-tuc/2.001035/">')
    ]

    assert "Nộp ở đâu: <strong>Tại bộ phận một cửa</strong>" in signature
    assert "Lệ phí: <strong>10.000 đồng</strong>" in signature
    assert "/nop/" not in signature
    assert "Chọn việc bạn cần" in page  # alternatives, not a sequence


def test_papers_two_steps_ask_for_are_listed_once_after_the_events_own_list(client, catalogue):
    page = main(client.get("/su-kien/chuyen-noi-o/"))
    papers = page[page.index("Giấy tờ cần mang (một lần cho tất cả)") :]

    own = papers.index("<strong>Căn cước của người chuyển đến</strong>")
    form = papers.index("<strong>Tờ khai thay đổi thông tin cư trú (mẫu CT01)</strong>")
    home = papers.index("<strong>Giấy tờ chứng minh chỗ ở hợp pháp</strong>")
    assert own < form < home
    assert papers.count("Tờ khai thay đổi thông tin cư trú (mẫu CT01)") == 1
    assert "Dùng cho bước 1, 2, 3, 5." in papers[form:home]
    assert "Dùng cho bước 1, 2, 3." in papers[home:]


def test_a_paper_only_one_step_asks_for_is_left_to_that_steps_guide(catalogue):
    guide = life_event_guide("gia-dinh-co-em-be")

    names = [p.source["name"] if isinstance(p.source, dict) else p.source.name for p in guide.papers]
    assert names == ["Giấy chứng sinh của bé", "Căn cước của cha hoặc mẹ"]


def test_the_legal_notes_cite_their_source(client, catalogue):
    page = main(client.get("/su-kien/nguoi-than-qua-doi/"))
    notes = page[page.index("<summary>Căn cứ pháp lý</summary>") :]

    assert "đăng ký khai tử trong 15 ngày" in notes
    assert "<small>Luật Hộ tịch số 60/2014/QH13, Điều 33</small>" in notes
    assert "Nghị định 63/2024/NĐ-CP ngày 10/6/2024" in notes


def test_an_unknown_procedure_code_is_shown_as_text_never_an_error(client, catalogue):
    import_events(
        event_dict(
            steps=[
                {"procedure_code": "9.999999", "title": "Việc chưa có trong danh mục"},
                {"procedure_code": "", "title": "Việc không có mã", "note": "Hỏi cơ quan thuế."},
            ]
        )
    )

    response = client.get("/su-kien/viec-thu/")

    assert response.status_code == 200
    page = main(response)
    assert "<strong>Việc chưa có trong danh mục</strong>" in page and "/thu-tuc/9.999999/" not in page
    assert "Việc này chưa có hướng dẫn trên trang của xã: hỏi bộ phận một cửa." in page
    assert "Hỏi cơ quan thuế." in page


def test_a_step_shows_the_version_of_its_procedure_in_force_today(client, catalogue):
    today, later = timezone.localdate(), timezone.localdate() + dt.timedelta(days=30)
    make_procedure(code="9.000002", name="Tên cũ", valid_from="2020-01-01", valid_to=today.isoformat())
    make_procedure(code="9.000002", name="Tên mới", valid_from=today.isoformat(), valid_to=later.isoformat())
    make_procedure(code="9.000002", name="Tên sắp tới", valid_from=later.isoformat())
    import_events(event_dict(steps=[{"procedure_code": "9.000002", "title": "Việc thử"}]))

    page = main(client.get("/su-kien/viec-thu/"))

    assert "<strong>Tên mới</strong>" in page
    assert "Tên cũ" not in page and "Tên sắp tới" not in page


def test_the_page_asks_the_same_few_queries_however_many_steps(client, catalogue):
    counts = []
    client.get("/su-kien/")  # the layout's site agency is read once, then remembered by the process
    for slug in ("ket-hon", "chung-thuc-giay-to"):  # 3 steps, then 6
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/su-kien/{slug}/")
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10


def test_life_event_pages_carry_no_inline_script_or_style(client, catalogue):
    for url in ["/su-kien/", *(f"/su-kien/{slug}/" for slug, _name in SIX)]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html, url


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_life_event_page_fits_the_budget(client, catalogue, agency, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in ["/su-kien/", *(f"/su-kien/{slug}/" for slug, _name in SIX)]:
        weight = page_weight(client, url)
        assert weight["total"] <= BUDGET, (url, weight)


# --- in English ---------------------------------------------------------------------------------------


def test_every_text_of_the_shipped_life_events_has_english(catalogue):
    for event in LifeEvent.objects.prefetch_related("steps"):
        assert event.untranslated() == [], event.slug
        assert [s.title for s in event.steps.all() if s.untranslated()] == [], event.slug


def test_an_event_in_english_shows_english_names_and_offer(english, catalogue):
    page = main(english.get("/su-kien/gia-dinh-co-em-be/"))

    assert "<h1>A new baby in the family</h1>" in page
    assert "Do all three at once" in page and "Or do one step after another" in page
    assert "<strong>Birth registration</strong>" in page  # the procedure's own English name
    assert "Where to file: <strong>Online or at the one-stop desk</strong>" in page
    assert "Papers to bring (once for all)" in page and "The baby&#x27;s birth notice" in page
    assert "Law on Civil Status No. 60/2014/QH13, Article 15" in page
    assert "Not yet translated" not in page and 'lang="vi"' not in page


def test_an_event_not_yet_translated_says_so_and_marks_its_vietnamese(english, catalogue):
    import_events(event_dict())

    page = main(english.get("/su-kien/viec-thu/"))

    assert "Not yet translated — shown in Vietnamese." in page
    assert '<h1><span lang="vi">Việc thử</span></h1>' in page


def test_the_list_in_english_shows_english_names(english, catalogue):
    page = main(english.get("/su-kien/"))

    assert "What is happening in your family?" in page
    assert "<strong>Getting papers certified</strong>" in page
    assert "translated" not in page


# --- the catalogue file -------------------------------------------------------------------------------


@pytest.mark.usefixtures("empty_catalogue")
def test_the_shipped_life_events_survive_import_and_export_field_for_field(catalogue_data):
    LifeEvent.objects.all().delete()
    import_catalogue(catalogue_data)

    assert export_catalogue()["life_events"] == catalogue_data["life_events"]


@pytest.mark.usefixtures("empty_catalogue")
def test_the_catalogue_command_imports_and_exports_the_life_events(tmp_path):
    LifeEvent.objects.all().delete()
    out = io.StringIO()

    call_command("catalogue", "import", str(CATALOGUE_FILE), stdout=out)

    assert "Đã nhập 6 sự kiện cuộc sống." in out.getvalue()
    out = io.StringIO()
    call_command("catalogue", "export", stdout=out)
    exported = json.loads(out.getvalue())["life_events"]
    assert [e["slug"] for e in exported] == [slug for slug, _name in SIX]


def test_a_file_without_life_events_leaves_the_events_alone(catalogue):
    import_catalogue(catalogue_with(procedure_dict()))

    assert [e.slug for e in LifeEvent.objects.all()] == [slug for slug, _name in SIX]


def test_importing_an_event_again_replaces_its_steps(catalogue):
    import_events(event_dict())
    import_events(event_dict(steps=[{"procedure_code": "1.000656", "title": "Đăng ký khai tử"}]))

    event = LifeEvent.objects.get(slug="viec-thu")
    assert [s.procedure_code for s in event.steps.all()] == ["1.000656"]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (event_dict(steps=[]), "life_events[0].steps"),
        (event_dict(steps=[{"title": "Liên thông", "joined": True}]), "covers"),
        (event_dict(slug="Có Dấu"), "life_events[0].slug"),
        (event_dict(icon="khong-co"), "life_events[0].icon"),
        (event_dict(name_en="Trial", name=""), "life_events[0].name"),
    ],
)
def test_a_bad_life_event_is_refused_by_name_and_nothing_is_imported(catalogue, event, message):
    before = Procedure.objects.count()
    data = catalogue_with(procedure_dict(code="9.000003"))
    data["life_events"] = [event]

    with pytest.raises(CatalogueError, match=re.escape(message)):
        import_catalogue(data)
    assert Procedure.objects.count() == before


def test_two_events_with_one_slug_are_refused(catalogue):
    data = catalogue_with()
    data["life_events"] = [event_dict(), event_dict(name="Việc khác")]

    with pytest.raises(CatalogueError, match="viec-thu"):
        import_catalogue(data)


# --- the admin ----------------------------------------------------------------------------------------


def test_the_administrator_edits_an_event_and_its_steps_in_the_admin(client, catalogue, administrator):
    client.force_login(administrator)
    event = LifeEvent.objects.get(slug="ket-hon")

    page = client.get(f"/quan-tri/catalog/lifeevent/{event.pk}/change/").content.decode()

    assert 'name="steps-0-procedure_code" value="1.000894"' in page
    assert "Hai người đăng ký kết hôn" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bring", "Căn cước"),
        ("bring", [{"note": "không có tên"}]),
        ("legal_notes", [{"text": "Một điều luật"}]),
    ],
)
def test_the_admin_refuses_lists_the_page_could_not_show(catalogue, field, value):
    event = LifeEvent.objects.get(slug="ket-hon")
    setattr(event, field, value)

    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert list(refused.value.message_dict) == [field]


def test_a_joined_up_step_says_how_many_steps_it_does(catalogue):
    step = LifeEvent.objects.get(slug="gia-dinh-co-em-be").steps.get(joined=True)
    step.covers = 0

    with pytest.raises(ValidationError) as refused:
        step.full_clean()
    assert list(refused.value.message_dict) == ["covers"]
