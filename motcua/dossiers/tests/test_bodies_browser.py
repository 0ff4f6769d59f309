"""The commune police approves a residence registration, in a real Chromium at a desktop (issue 12, item 3).

Hường's permanent residence registration was received by the one-stop desk and handled by the police's
chief, Trần Văn Công (`congan`). The People's Committee's leader finds it neither in his queue nor among
his buttons; the police chief finds it under "Chờ tôi duyệt" in the queue of Công an xã Vĩnh Linh and
approves it. Every page is axe-clean.
"""

import pytest

from conftest import DESKTOP, Visitor, assert_accessible
from motcua.dossiers import services
from motcua.dossiers.models import Status

from .factories import file_residence
from .test_journey_browser import act, sign_in, status_in_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def test_the_police_chief_approves_a_residence_registration(
    desktop, browser, live_server, catalogue, agency, people, police
):
    dossier = file_residence(people["citizen"], agency)
    dossier = services.perform(dossier, "receive", by=people["desk"])
    dossier = services.perform(dossier, "forward", by=people["desk"], data={"assignee": police.pk})
    dossier = services.perform(dossier, "submit_for_approval", by=police)
    code = dossier.code

    # The People's Committee's leader: not in his queue, and no "Duyệt" on the dossier.
    context = browser.new_context(locale="vi-VN", **DESKTOP)
    try:
        leader = Visitor(context, live_server.url)
        sign_in(leader, "lanhdao")
        assert code not in leader.page.locator("table.queue").inner_text()
        leader.go(f"/can-bo/ho-so/{code}/")
        assert leader.page.locator("details.action summary").filter(has_text="Duyệt").count() == 0
        assert "Công an xã Vĩnh Linh" in leader.page.locator(".facts-list").inner_text()
    finally:
        context.close()

    # The police chief: his body's queue, the dossier awaiting him, approved.
    page = desktop.page
    sign_in(desktop, "congan")
    assert page.url.endswith("/can-bo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hồ sơ — Công an xã Vĩnh Linh"
    assert_accessible(desktop, "the commune police's queue")
    with page.expect_navigation():
        page.get_by_role("link", name="Chờ tôi duyệt: 1").click()
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 1 and "Đăng ký thường trú" in rows.inner_text()
    with page.expect_navigation():
        rows.get_by_role("link", name=code).click()
    facts = page.locator(".facts-list").inner_text()
    assert "Công an xã Vĩnh Linh" in facts and "Trần Văn Công" in facts
    assert_accessible(desktop, "a residence dossier awaiting the police chief")

    act(desktop, "Duyệt")

    assert status_in_office(desktop) == "Đã xử lý xong"
    assert_accessible(desktop, "a residence dossier approved by the police chief")
    dossier.refresh_from_db()
    assert dossier.status == Status.DONE
    assert dossier.events.latest("pk").actor == police
