"""A joined-up birth (2.000986) filed once on a 360 px phone, then decided by three bodies, in Chromium.

Hường files the joined-up procedure for her baby: one declaration, read from the three parts' own forms.
She lands on one page of her filing, three parts: the birth registration (Ủy ban nhân dân xã), the
permanent residence (Công an xã) and the health insurance card (Bảo hiểm xã hội), the last two waiting for
the birth certificate. In the back office the desk, the specialist and the leader of the People's Committee
take the birth to its result; then the desk receives the two others, the commune police decides the
residence and the social insurance officer the card, and the desk hands each result over. Her page then
shows every part "Đã trả kết quả".
"""

import re

import pytest

from motcua.agencies.models import Body, BodyKind
from motcua.dossiers.models import Bundle, Status
from motcua.dossiers.tests.test_bundles import JOINED_FORM
from motcua.dossiers.tests.test_journey_browser import (
    PNG,
    Findings,
    act,
    fill_sign_in,
    fill_step,
    officer_at_desk,
    status_in_office,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOINED = "2.000986"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def portal(catalogue, content, agency):
    return agency


@pytest.fixture
def insurance(agency):
    from conftest import _person

    body = Body.objects.create(
        agency=agency,
        kind=BodyKind.SOCIAL_INSURANCE,
        name="Bảo hiểm xã hội tỉnh Quảng Trị",
        parent_name="Bảo hiểm xã hội Việt Nam",
    )
    return _person("baohiem", "Phan Thị Thu", agency=agency, roles=["specialist", "leader"], body=body)


def decide(desk_screen, decider_screens, code: str, assignee: str) -> None:
    """Desk receives and forwards `code`; the specialist submits, the leader approves (each on their own
    screen: one screen when one officer holds both roles); the desk hands the result over."""
    desk_screen.go(f"/can-bo/ho-so/{code}/")
    act(desk_screen, "Tiếp nhận")
    act(desk_screen, "Chuyển chuyên viên xử lý", **{"Chuyên viên xử lý": assignee})
    specialist_screen, leader_screen = decider_screens
    specialist_screen.go(f"/can-bo/ho-so/{code}/")
    act(specialist_screen, "Trình lãnh đạo duyệt")
    leader_screen.go(f"/can-bo/ho-so/{code}/")
    act(leader_screen, "Duyệt")
    assert status_in_office(leader_screen) == "Đã xử lý xong"
    desk_screen.go(f"/can-bo/ho-so/{code}/")
    act(desk_screen, "Trả kết quả", **{"Cách trả kết quả": "tại bộ phận một cửa"})
    assert status_in_office(desk_screen) == "Đã trả kết quả"


def test_joined_up_birth_filed_once_reaches_status_10_in_every_part(
    phone,
    open_visitor,
    portal,
    citizen,
    desk,
    specialist,
    leader,
    police,
    insurance,  # noqa: F811
):
    citizen.identity_level = 3  # signed in with VNeID: 2.000986 asks for a level-2 electronic identity
    citizen.save(update_fields=["identity_level"])
    findings = Findings()
    page = phone.page

    # 1. Hường files the joined-up procedure from the guide, step by step, on her phone.
    phone.go("/dang-nhap/")
    fill_sign_in(phone, "0912 345 678")
    phone.go(f"/thu-tuc/{JOINED}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    titles = []
    for number in range(1, 30):
        if "/giay-to/" in page.url:
            break
        titles.append(page.locator("h1").inner_text())
        fill_step(page, JOINED_FORM)
        findings.no_sideways_scroll(phone, f"joined step {number}")
        if number == 1:
            findings.accessible(phone, "joined filing, step 1")
        with page.expect_navigation():
            page.get_by_role("button", name="Tiếp tục", exact=True).click()
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    else:
        raise AssertionError("the joined-up declaration never reached the papers")
    # The parts' own sections, by reference: the child, the household head, the health insurance card.
    assert "Người được khai sinh" in titles and "Chủ hộ" in titles and "Thẻ bảo hiểm y tế" in titles, titles
    page.locator("#giay-to input[type=file]").first.set_input_files(
        {"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp tục: xem lại").click()
    phone.screenshot("joined-review")
    findings.accessible(phone, "joined review")
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ").click()

    # 2. One page for the whole filing: three parts, each with its code, its body and what comes next.
    bundle = Bundle.objects.get()
    assert page.url.endswith(f"/ho-so/lien-thong/{bundle.code}/?moi=1"), page.url
    cards = page.locator("ol.parts > li")
    assert cards.count() == 3
    texts = cards.all_inner_texts()
    birth, residence, card = bundle.dossiers.order_by("part")
    for text, dossier, body in zip(
        texts,
        (birth, residence, card),
        ("Ủy ban nhân dân xã Vĩnh Linh", "Công an xã Vĩnh Linh", "Bảo hiểm xã hội tỉnh Quảng Trị"),
        strict=True,
    ):
        assert dossier.code in text and body in text, text
    assert "Chờ bộ phận một cửa tiếp nhận" in texts[0]
    assert "Chờ phần trước" in texts[1] and "Chờ phần trước" in texts[2]
    assert "giay-chung-sinh.png" in birth.attachments.values_list("name", flat=True)[0]
    phone.screenshot("joined-bundle-filed")
    findings.no_sideways_scroll(phone, "bundle page")
    findings.accessible(phone, "bundle page, filed")

    # 3. The People's Committee decides the birth; only then may the desk receive the two other parts.
    desk_screen = officer_at_desk(open_visitor, "motcua")
    desk_screen.go(f"/can-bo/ho-so/{residence.code}/")
    assert (
        desk_screen.page.locator("details.action summary").filter(has_text=re.compile("^Tiếp nhận$")).count()
        == 0
    )
    committee = (officer_at_desk(open_visitor, "chuyenvien"), officer_at_desk(open_visitor, "lanhdao"))
    decide(desk_screen, committee, birth.code, "Lê Văn Hùng")

    phone.go(bundle.get_absolute_url())
    texts = page.locator("ol.parts > li").all_inner_texts()
    assert "Đã trả kết quả" in texts[0] and "Chờ bộ phận một cửa tiếp nhận" in texts[1], texts
    phone.screenshot("joined-bundle-birth-done")

    # 4. The commune police decides the residence, the social insurance office the card.
    police_screen = officer_at_desk(open_visitor, "congan")
    decide(desk_screen, (police_screen, police_screen), residence.code, "Trần Văn Công")
    insurance_screen = officer_at_desk(open_visitor, "baohiem")
    assert card.code in insurance_screen.page.locator("main").inner_text(), "the card is not in BHXH's queue"
    decide(desk_screen, (insurance_screen, insurance_screen), card.code, "Phan Thị Thu")

    # 5. Her page: every part done, each with status 10.
    assert [d.status for d in bundle.dossiers.order_by("part")] == [Status.RETURNED] * 3
    phone.go(bundle.get_absolute_url())
    assert "3/3 phần đã xong" in page.locator("main").inner_text()
    statuses = page.locator("ol.parts .status").all_inner_texts()
    assert statuses == ["Đã trả kết quả"] * 3, statuses
    phone.screenshot("joined-bundle-all-done")
    findings.no_sideways_scroll(phone, "bundle page, all done")
    findings.accessible(phone, "bundle page, all done")
    phone.go("/ho-so/")
    assert "Hồ sơ liên thông" in page.locator("main").inner_text()
    phone.screenshot("joined-my-dossiers")
    findings.accessible(phone, "my dossiers with a bundle")

    findings.no_console_errors(citizen=phone, desk=desk_screen, police=police_screen, bhxh=insurance_screen)
    findings.assert_none()
