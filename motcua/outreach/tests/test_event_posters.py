"""Every life event has a poster and a leaflet: what to do in order (the joined-up filing first), what to
bring once for all, each step's fee and who pays nothing; its QR code leads to the life event's page."""

import pytest

from motcua.catalog.models import LifeEvent

from .pdf import info, page_png, page_size_mm, qr_codes, save_png, text

pytestmark = pytest.mark.django_db
SITE = "https://dichvucong.vinhlinh.example.vn"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def test_every_life_events_poster_and_leaflet_is_one_page_whose_qr_opens_the_event(client, catalogue, agency):
    slugs = list(LifeEvent.objects.values_list("slug", flat=True))
    assert len(slugs) == len(catalogue["life_events"]) >= 6
    for slug in slugs:
        for name, channel, size in (("ap-phich", "ap-phich", (210, 297)), ("to-roi", "to-roi", (148, 210))):
            response = client.get(f"/su-kien/{slug}/{name}.pdf?cd=thang-khai-sinh")
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf", slug
            pdf = response.content
            assert info(pdf)["Pages"] == "1" and page_size_mm(pdf) == size, (slug, name)
            [link] = qr_codes(page_png(pdf))
            assert link == f"{SITE}/su-kien/{slug}/?cd=thang-khai-sinh&kenh={channel}", slug
            assert client.get(link.removeprefix(SITE)).status_code == 200


def test_the_new_baby_poster_puts_the_joined_up_filing_first_and_who_pays_nothing_before_it(
    client, catalogue
):
    pdf = client.get("/su-kien/gia-dinh-co-em-be/ap-phich.pdf").content
    save_png(pdf, "event-poster-gia-dinh-co-em-be")
    words = " ".join(text(pdf).split())
    assert words.index("AI KHÔNG PHẢI NỘP TIỀN") < words.index("CÁC BƯỚC")
    assert words.count("Đăng ký khai sinh đúng hạn") == 1  # exempt by two procedures, said once
    steps = words[words.index("CÁC BƯỚC") :]
    joined = steps.index("Liên thông thủ tục hành chính về đăng ký khai sinh")
    assert joined < steps.index("Bước 1")
    assert "MANG THEO MỘT LẦN CHO MỌI BƯỚC" in words
    assert "Đăng ký khai sinh:" in words  # each step's fee, named by its step


def test_an_unknown_event_has_no_poster(client, catalogue):
    assert client.get("/su-kien/khong-co/ap-phich.pdf").status_code == 404
    assert client.get("/su-kien/khong-co/to-roi.pdf").status_code == 404


def test_the_event_page_links_its_poster_and_leaflet(client, catalogue):
    page = client.get("/su-kien/ket-hon/").content.decode()
    assert 'href="/su-kien/ket-hon/ap-phich.pdf"' in page and 'href="/su-kien/ket-hon/to-roi.pdf"' in page
