"""The queue and a citizen's dossiers, paged by keyset, in a real Chromium: on a 360 px phone without
JavaScript and at a desk, "Trang sau" and "Trang trước" walk the list, every page checked by axe-core."""

import pytest
from django.test import Client

from conftest import assert_accessible
from motcua.dossiers import office, views
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in, file_birth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(visitor, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    visitor.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.fixture
def listed(catalogue, agency, people, monkeypatch):
    monkeypatch.setattr(office, "PAGE_SIZE", 4)
    monkeypatch.setattr(views, "MINE_PAGE_SIZE", 3)
    for status in (Status.SUPPLEMENT, Status.DONE, Status.PROCESSING, Status.RETURNED, Status.PROCESSING):
        dossier_in(status, people=people, agency=agency)
    return [file_birth(people["citizen"], agency) for _ in range(4)]


def rows(visitor, selector: str) -> list[str]:
    return visitor.page.locator(selector).all_inner_texts()


@pytest.mark.parametrize("device", ["phone_without_js", "desktop"])
def test_walking_the_queue_page_by_page(request, device, live_server, listed, people):
    visitor = request.getfixturevalue(device)
    sign_in(visitor, live_server, people["desk"])
    assert visitor.go("/can-bo/").status == 200
    first = rows(visitor, "table.queue tbody td:first-child")
    assert len(first) == 4
    if device == "phone_without_js":
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(f"lists/queue-{device}")
    assert_accessible(visitor, f"queue ({device})")
    visitor.page.get_by_role("link", name="Trang sau").click()
    second = rows(visitor, "table.queue tbody td:first-child")
    assert second and not set(first) & set(second)
    visitor.screenshot(f"lists/queue-2-{device}")
    assert_accessible(visitor, f"queue, page 2 ({device})")
    visitor.page.get_by_role("link", name="Trang trước").click()
    assert rows(visitor, "table.queue tbody td:first-child") == first
    assert not visitor.errors


@pytest.mark.parametrize("device", ["phone_without_js", "desktop"])
def test_walking_my_dossiers_page_by_page(request, device, live_server, listed, people):
    visitor = request.getfixturevalue(device)
    sign_in(visitor, live_server, people["citizen"])
    assert visitor.go("/ho-so/").status == 200
    assert visitor.page.locator("#h-act").count() == 1  # what needs her first, whatever the page
    others = "section[aria-labelledby=h-all] .card .code"
    first = rows(visitor, others)
    assert len(first) == 3
    if device == "phone_without_js":
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(f"lists/mine-{device}")
    assert_accessible(visitor, f"my dossiers ({device})")
    seen = list(first)
    while visitor.page.get_by_role("link", name="Trang sau").count():
        visitor.page.get_by_role("link", name="Trang sau").click()
        seen += rows(visitor, others)
    assert len(seen) == len(set(seen)) == 7  # 4 new, 2 processing, 1 delivered; needing action apart
    visitor.screenshot(f"lists/mine-last-{device}")
    assert_accessible(visitor, f"my dossiers, last page ({device})")
    assert not visitor.errors
