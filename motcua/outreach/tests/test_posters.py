"""Every procedure's poster opens in a PDF reader, on one A4 page, and its QR code, read by a camera,
leads to the guide with its campaign and channel. Who pays nothing comes first."""

import io
import re

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.services import search_procedures

from .pdf import fonts, info, page_png, page_size_mm, qr_codes, save_png, text

pytestmark = pytest.mark.django_db
BIRTH, RESIDENCE, GUARDIAN = "1.001193", "1.004222", "1.004837"
SITE = "https://dichvucong.vinhlinh.example.vn"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def codes() -> list[str]:
    return list(Procedure.objects.current().order_by("code").values_list("code", flat=True))


def test_every_procedures_poster_is_one_a4_page_whose_qr_opens_its_guide_with_the_tag(
    client, catalogue, agency
):
    assert len(codes()) == len({p["code"] for p in catalogue["procedures"]})
    for code in codes():
        response = client.get(f"/thu-tuc/{code}/ap-phich.pdf?cd=thang-khai-sinh")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", code
        pdf = response.content
        reader = info(pdf)
        assert reader["Pages"] == "1" and page_size_mm(pdf) == (210, 297), (code, reader)

        [link] = qr_codes(page_png(pdf))
        assert link == f"{SITE}/thu-tuc/{code}/?cd=thang-khai-sinh&kenh=ap-phich", code
        guide = client.get(link.removeprefix(SITE))
        assert (
            guide.status_code == 200
            and Procedure.objects.filter(code=code).first().name in guide.content.decode()
        )


def test_a_leaflet_is_one_a5_page_tagged_as_a_leaflet(client, catalogue, agency):
    for code in (BIRTH, RESIDENCE):
        pdf = client.get(f"/thu-tuc/{code}/to-roi.pdf").content
        assert info(pdf)["Pages"] == "1" and page_size_mm(pdf) == (148, 210)
        assert qr_codes(page_png(pdf, dpi=200)) == [f"{SITE}/thu-tuc/{code}/?kenh=to-roi"]
    save_png(pdf, "to-roi-thuong-tru", dpi=80)


def test_who_pays_nothing_comes_first_then_the_fee_and_the_papers(client, catalogue, agency):
    pdf = client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf").content
    said = " ".join(text(pdf).split())
    order = [
        "Đăng ký khai sinh",
        "AI KHÔNG PHẢI NỘP TIỀN",
        "Đăng ký khai sinh đúng hạn: Đăng ký trong 60 ngày kể từ ngày sinh thì miễn lệ phí.",
        "Hộ nghèo",
        "Người có công với cách mạng và thân nhân",
        "Người khuyết tật",
        "BẠN NHẬN ĐƯỢC",
        "MANG THEO",
        "Giấy chứng sinh do bệnh viện, trạm y tế cấp",
        "LỆ PHÍ",
        "8.000 đồng",
        "THỜI GIAN",
        "CÁC BƯỚC",
        "Quét mã bằng camera điện thoại",
        "CẦN GIÚP?",
        "Điện thoại: 0233 3 000 000",
    ]
    positions = [said.find(part) for part in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    # The steps, numbered in circles, are drawn last (positioned boxes), whatever their place on the page.
    assert "Lấy giấy chứng sinh. Khi ra viện, nhớ lấy Giấy chứng sinh của bé." in said
    save_png(pdf, "ap-phich-khai-sinh")


def test_a_free_procedure_says_so_first(client, catalogue, agency):
    said = " ".join(text(client.get(f"/thu-tuc/{GUARDIAN}/ap-phich.pdf").content).split())
    assert said.index("AI KHÔNG PHẢI NỘP TIỀN Thủ tục này miễn phí: không ai phải nộp tiền.") < said.index(
        "LỆ PHÍ"
    )


def test_the_poster_is_print_ready_black_on_white_with_its_fonts_embedded(client, catalogue, agency):
    pdf = client.get(f"/thu-tuc/{RESIDENCE}/ap-phich.pdf").content
    assert fonts(pdf) and all(embedded for _name, embedded in fonts(pdf))
    assert {re.sub(r"^[A-Z]{6}\+", "", name) for name, _ in fonts(pdf)} <= {
        "Liberation-Sans",
        "Liberation-Sans-Bold",
        "Liberation-Mono",
    }
    # Black and white only: every pixel of the page is pure black or pure white, but for the edges of
    # letters (anti-aliasing); no colour anywhere.
    from PIL import Image  # Pillow comes with WeasyPrint

    image = Image.open(io.BytesIO(page_png(pdf, dpi=50))).convert("RGB")
    assert all(r == g == b for r, g, b in image.getdata())


def test_an_unknown_procedure_has_no_poster(client, catalogue):
    assert client.get("/thu-tuc/9.999999/ap-phich.pdf").status_code == 404
    assert client.get("/thu-tuc/9.999999/to-roi.pdf").status_code == 404


def test_a_forged_campaign_is_left_out_of_the_qr_code(client, catalogue, agency):
    pdf = client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd=<script>").content
    assert qr_codes(page_png(pdf)) == [f"{SITE}/thu-tuc/{BIRTH}/?kenh=ap-phich"]


def test_posters_for_made_up_campaigns_are_limited_per_address(client, catalogue, agency, monkeypatch):
    monkeypatch.setattr("motcua.outreach.views.posters.CAMPAIGN_RENDERS_PER_HOUR", 2)
    for campaign in ("mot", "hai"):
        assert client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd={campaign}").status_code == 200
    assert client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd=hai").status_code == 200  # made already: cached
    refused = client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf?cd=ba")
    assert refused.status_code == 429
    assert refused.content.decode() == (
        "Quá nhiều áp phích theo chiến dịch từ một máy. Bạn thử lại sau một giờ, hoặc in từ trang cán bộ."
    )
    assert client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf").status_code == 200  # the catalogue's own: always


def test_the_poster_is_in_english_for_a_reader_in_english(client, catalogue, agency, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    said = " ".join(text(client.get(f"/thu-tuc/{BIRTH}/ap-phich.pdf").content).split())
    assert "WHO PAYS NOTHING" in said and "Birth registration" in said and "Poor household" in said


# --- the set for the notice board -------------------------------------------------------------------------


def test_an_officer_prints_every_poster_in_one_click(client, catalogue, agency, specialist):
    client.force_login(specialist)
    page = client.get("/can-bo/ap-phich/").content.decode()
    assert 'name="tat-ca"' in page
    response = client.get("/can-bo/ap-phich/in.pdf?kho=a4&tat-ca=1&cd=bang-tin-xa")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert info(pdf)["Pages"] == str(len(codes())) and page_size_mm(pdf) == (210, 297)
    # Most used first, as the catalogue lists them.
    first, last = search_procedures("")[0].code, search_procedures("")[-1].code
    assert qr_codes(page_png(pdf, page=1)) == [f"{SITE}/thu-tuc/{first}/?cd=bang-tin-xa&kenh=ap-phich"]
    assert qr_codes(page_png(pdf, page=len(codes()))) == [
        f"{SITE}/thu-tuc/{last}/?cd=bang-tin-xa&kenh=ap-phich"
    ]


def test_an_officer_prints_chosen_leaflets(client, catalogue, agency, desk):
    client.force_login(desk)
    pdf = client.get(f"/can-bo/ap-phich/in.pdf?kho=a5&ma={RESIDENCE}&ma={BIRTH}").content
    assert info(pdf)["Pages"] == "2" and page_size_mm(pdf) == (148, 210)
    assert qr_codes(page_png(pdf, page=2, dpi=200)) == [f"{SITE}/thu-tuc/{RESIDENCE}/?kenh=to-roi"]


def test_nothing_chosen_sends_the_officer_back_with_a_word(client, catalogue, agency, desk):
    client.force_login(desk)
    response = client.get("/can-bo/ap-phich/in.pdf?kho=a4", follow=True)
    assert "Bạn chọn ít nhất một thủ tục, hoặc bấm “In tất cả”." in response.content.decode()
    response = client.get("/can-bo/ap-phich/in.pdf?kho=a4&tat-ca=1&cd=Tháng khai sinh", follow=True)
    assert "Tên chiến dịch chỉ gồm chữ không dấu, số và gạch ngang." in response.content.decode()


def test_a_citizen_cannot_print_a_set(client, catalogue, citizen):
    client.force_login(citizen)
    assert client.get("/can-bo/ap-phich/in.pdf?kho=a4&tat-ca=1").status_code == 404
