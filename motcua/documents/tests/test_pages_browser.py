"""The documents page in a real Chromium: a citizen on a phone and an officer at a desk, checked by axe."""

import pytest

from conftest import assert_accessible
from testkit.browser import sign_in

from .factories import with_every_slip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_citizen_finds_her_documents_on_her_phone(phone, live_server, catalogue, agency, people):
    dossier = with_every_slip(people, agency)
    sign_in(phone, live_server, people["citizen"])
    response = phone.go(f"/ho-so/{dossier.code}/van-ban/")
    assert response.status == 200
    assert phone.page.locator("h1").inner_text() == "Văn bản, biểu mẫu"
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot("documents/list-phone")
    assert_accessible(phone, "documents list (phone)")
    with phone.page.expect_download() as download:
        phone.page.get_by_role("link", name="Tải bản PDF (để in)").first.click()
    assert download.value.suggested_filename == f"to-khai-{dossier.code}.pdf"
    assert not phone.errors


def test_the_officer_prints_the_register(desktop, live_server, catalogue, agency, people):
    with_every_slip(people, agency)
    sign_in(desktop, live_server, people["desk"])
    assert desktop.go("/can-bo/so-theo-doi/").status == 200
    assert_accessible(desktop, "register page")
    with desktop.page.expect_download() as download:
        desktop.page.get_by_role("button", name="Tải Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not desktop.errors
