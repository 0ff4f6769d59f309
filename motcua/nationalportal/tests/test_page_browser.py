"""The synchronisation page in a real Chromium, checked by axe: the leader finds a failed record, reads why,
and sends it again; the stand-in then holds the dossier."""

import pytest

from conftest import assert_accessible
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import file_birth
from motcua.nationalportal.models import SyncRecord
from testkit.browser import sign_in

from .conftest import TASK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def work() -> list:
    """What `db_worker` does: run the synchronisation tasks that are due."""
    from django_tasks_db.models import DBTaskResult

    done = []
    while (row := DBTaskResult.objects.ready().filter(task_path=TASK).first()) is not None:
        row.claim("test-worker")
        value = row.task.call(*row.task_result.args, **row.task_result.kwargs)
        row.set_successful(value)
        done.append(value)
    return done


def test_the_leader_sends_a_failed_record_again(
    desktop, phone, live_server, settings, catalogue, agency, people, portal
):
    settings.NATIONAL_PORTAL = portal.settings(MAX_ATTEMPTS=1)
    portal.will("down")
    dossier = file_birth(people["citizen"], agency)
    assert work() == ["failed"]
    perform(dossier, "receive", by=people["desk"])
    assert work() == ["waiting"]  # behind the failed filing
    assert list(SyncRecord.objects.order_by("pk").values_list("state", flat=True)) == ["failed", "pending"]

    sign_in(phone, live_server, people["leader"])
    assert phone.go("/can-bo/dong-bo/").status == 200
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("nationalportal/records-phone")
    assert_accessible(phone, "synchronisation page (phone)")

    sign_in(desktop, live_server, people["leader"])
    desktop.go("/can-bo/")
    desktop.page.get_by_role("link", name="Đồng bộ Cổng DVCQG").click()
    row = desktop.page.locator("tr", has_text="Cổng DVCQG đang gặp lỗi: HTTP 500")
    assert row.locator(".status").inner_text() == "Không gửi được"
    desktop.screenshot("nationalportal/records-failed")
    assert_accessible(desktop, "synchronisation page")
    row.get_by_role("button", name="Gửi lại").click()

    assert desktop.page.get_by_role("status").inner_text() == "Đã xếp bản ghi vào hàng đợi để gửi lại."
    work()
    assert list(SyncRecord.objects.order_by("pk").values_list("state", flat=True)) == ["sent", "sent"]
    assert portal.dossiers[dossier.code]["TrangThaiHoSo"] == "2"
    desktop.go("/can-bo/dong-bo/")
    desktop.screenshot("nationalportal/records-sent")
    assert_accessible(desktop, "synchronisation page, all sent")
    assert not desktop.errors and not phone.errors
