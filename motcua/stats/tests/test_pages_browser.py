"""/thong-ke/ on a 360 px phone without JavaScript, and the officers' dashboard: real Chromium, axe."""

import datetime as dt

import pytest
import time_machine

from conftest import assert_accessible
from testkit.browser import sign_in

from .helpers import act, at_counter, finish, online

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month_of_work(catalogue, agency, people, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    start = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))) - dt.timedelta(days=40)
    with time_machine.travel(start, tick=True):
        for _ in range(4):
            finish(act(online(people["citizen"], agency), "receive", people["desk"]), people)
        act(online(people["citizen"], agency), "receive", people["desk"])
        at_counter(people["desk"], agency)
    return people


def test_the_public_page_on_a_phone_without_javascript(phone_without_js, phone, month_of_work):
    visitor = phone_without_js
    assert visitor.go("/thong-ke/").status == 200
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert visitor.page.locator("svg[role=img]").count() == 2
    assert visitor.page.get_by_role("link", name="Tải CSV").is_visible()
    visitor.screenshot("stats/public-phone")
    # axe runs in the page: on the same phone with JavaScript on
    for path in ("/thong-ke/", "/thong-ke/?ky=quarter"):
        assert phone.go(path).status == 200
        assert_accessible(phone, f"{path} (phone)")


def test_the_dashboard_and_its_drill_down(
    desktop, phone, live_server, month_of_work, administrator, other_agency
):
    people = month_of_work
    sign_in(desktop, live_server, people["leader"])
    desktop.go("/can-bo/")
    desktop.page.locator("main").get_by_role("link", name="Thống kê").click()
    assert desktop.page.url.endswith("/can-bo/thong-ke/")
    desktop.screenshot("stats/office")
    assert_accessible(desktop, "/can-bo/thong-ke/")
    desktop.page.get_by_role("link", name="Xem hồ sơ").first.click()
    assert "/can-bo/thong-ke/ho-so/dang-qua-han/" in desktop.page.url
    assert desktop.page.locator("tbody tr").count() == 2  # the two still open, past their date by now
    assert_accessible(desktop, "overdue dossiers")

    sign_in(phone, live_server, administrator)
    assert phone.go("/can-bo/thong-ke/").status == 200
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone, "/can-bo/thong-ke/ (phone)")
    phone.page.get_by_role("link", name="Xem mọi xã trong tỉnh").click()
    assert phone.page.locator("tbody tr").count() == 2  # Vĩnh Linh and Cửa Tùng, side by side
    phone.screenshot("stats/province-phone")
    assert_accessible(phone, "/can-bo/thong-ke/tinh/ (phone)")
