"""The queue and a citizen's dossiers, paged by keyset, in a real Chromium: on a 360 px phone (with and
without JavaScript) and at a desk, "Trang sau" and "Trang trước" walk the list; axe-core checks every page
where it can run (it needs JavaScript)."""

import pytest

from conftest import assert_accessible
from motcua.dossiers import office, views
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in, file_birth
from testkit.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed(catalogue, agency, people, monkeypatch):
    monkeypatch.setattr(office, "PAGE_SIZE", 4)
    monkeypatch.setattr(views, "MINE_PAGE_SIZE", 3)
    for status in (Status.SUPPLEMENT, Status.DONE, Status.PROCESSING, Status.RETURNED, Status.PROCESSING):
        dossier_in(status, people=people, agency=agency)
    return [file_birth(people["citizen"], agency) for _ in range(4)]


def check(visitor, device: str, name: str) -> None:
    if device != "phone_without_js":  # axe-core runs as JavaScript in the page
        assert_accessible(visitor, f"{name} ({device})")


def rows(visitor, selector: str) -> list[str]:
    return visitor.page.locator(selector).all_inner_texts()


@pytest.mark.parametrize("device", ["phone", "phone_without_js", "desktop"])
def test_walking_the_queue_page_by_page(request, device, live_server, listed, people):
    visitor = request.getfixturevalue(device)
    sign_in(visitor, live_server, people["desk"])
    assert visitor.go("/can-bo/").status == 200
    first = rows(visitor, "table.queue tbody td:first-child")
    assert len(first) == 4
    if device == "phone":
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(f"lists/queue-{device}")
    check(visitor, device, "queue")
    visitor.page.get_by_role("link", name="Trang sau").click()
    second = rows(visitor, "table.queue tbody td:first-child")
    assert second and not set(first) & set(second)
    visitor.screenshot(f"lists/queue-2-{device}")
    check(visitor, device, "queue, page 2")
    visitor.page.get_by_role("link", name="Trang trước").click()
    assert rows(visitor, "table.queue tbody td:first-child") == first
    assert not visitor.errors


@pytest.mark.parametrize("device", ["phone", "phone_without_js", "desktop"])
def test_walking_my_dossiers_page_by_page(request, device, live_server, listed, people):
    visitor = request.getfixturevalue(device)
    sign_in(visitor, live_server, people["citizen"])
    assert visitor.go("/ho-so/").status == 200
    assert visitor.page.locator("#h-act").count() == 1  # what needs her first, whatever the page
    others = "section[aria-labelledby=h-all] .card .code"
    first = rows(visitor, others)
    assert len(first) == 3
    if device == "phone":
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot(f"lists/mine-{device}")
    check(visitor, device, "my dossiers")
    seen = list(first)
    while visitor.page.get_by_role("link", name="Trang sau").count():
        visitor.page.get_by_role("link", name="Trang sau").click()
        seen += rows(visitor, others)
    assert len(seen) == len(set(seen)) == 7  # 4 new, 2 processing, 1 delivered; needing action apart
    visitor.screenshot(f"lists/mine-last-{device}")
    check(visitor, device, "my dossiers, last page")
    assert not visitor.errors
