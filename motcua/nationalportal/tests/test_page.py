"""/can-bo/dong-bo/: the agency's leaders and administrator read what went to the national portal, what
waits and what failed, in words, and send a failed record again."""

import pytest
from django.test import Client

from bench.weight import page_weight
from motcua.dossiers.services import perform
from motcua.dossiers.tests.factories import file_birth
from motcua.nationalportal.models import SyncRecord

pytestmark = pytest.mark.django_db
URL = "/can-bo/dong-bo/"


@pytest.fixture
def failed(settings, catalogue, agency, people, portal, django_capture_on_commit_callbacks, run_tasks):
    """Citizen Hường's dossier, filed and received; the portal was down at the filing's only try."""
    settings.NATIONAL_PORTAL = portal.settings(MAX_ATTEMPTS=1)
    portal.will("down")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = file_birth(people["citizen"], agency)
    run_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = perform(dossier, "receive", by=people["desk"])
    run_tasks()
    return dossier


def signed_in(client, user) -> Client:
    client.force_login(user)
    return client


def test_the_leader_reads_each_record_in_words_with_a_button_for_the_failed_one(client, failed, leader):
    page = signed_in(client, leader).get(URL).content.decode()

    assert "Không gửi được" in page
    assert "Cổng DVCQG đang gặp lỗi: HTTP 500" in page
    assert "Nộp hồ sơ → Mới đăng ký" in page
    assert "Tiếp nhận → Được tiếp nhận" in page
    assert "Chờ bản ghi trước của hồ sơ này được gửi." in page
    assert page.count(">Gửi lại<") == 1
    assert failed.code in page
    for raw in ('"server"', ">server<", ">failed<", ">pending<", "DongBoHoSoMC"):
        assert raw not in page


def test_the_failed_filter_lists_only_the_failed_records(client, failed, leader):
    page = signed_in(client, leader).get(URL + "?loc=loi").content.decode()

    assert "Nộp hồ sơ → Mới đăng ký" in page
    assert "Tiếp nhận → Được tiếp nhận" not in page


def test_sending_again_queues_the_record_and_both_then_go(
    client, failed, leader, portal, run_tasks, django_capture_on_commit_callbacks
):
    record = SyncRecord.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, leader).post(f"/can-bo/dong-bo/{record.pk}/gui-lai/")

    assert response.status_code == 302 and response["Location"] == URL + "?loc=loi"
    record.refresh_from_db()
    assert record.state == "pending"
    run_tasks()
    assert list(SyncRecord.objects.order_by("pk").values_list("state", flat=True)) == ["sent", "sent"]
    assert "Đã xếp bản ghi vào hàng đợi để gửi lại." in client.get(URL).content.decode()


def test_a_record_not_failed_is_not_sent_again(client, failed, leader):
    waiting = SyncRecord.objects.order_by("pk").last()
    signed_in(client, leader).post(f"/can-bo/dong-bo/{waiting.pk}/gui-lai/")

    waiting.refresh_from_db()
    assert (waiting.state, waiting.attempts) == ("pending", 0)
    assert "Chỉ gửi lại được bản ghi chưa gửi được." in client.get(URL).content.decode()


def test_sending_again_needs_the_csrf_token(failed, leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    record = SyncRecord.objects.order_by("pk").first()

    assert client.post(f"/can-bo/dong-bo/{record.pk}/gui-lai/").status_code == 403
    record.refresh_from_db()
    assert record.state == "failed"


@pytest.mark.parametrize("who", ["desk", "specialist", "community", "citizen"])
def test_others_do_not_find_the_page(client, failed, request, who):
    user = request.getfixturevalue(who)
    record = SyncRecord.objects.order_by("pk").first()
    signed_in(client, user)

    assert client.get(URL).status_code == 404
    assert client.post(f"/can-bo/dong-bo/{record.pk}/gui-lai/").status_code == 404
    record.refresh_from_db()
    assert record.state == "failed"


def test_another_communes_leader_sees_none_of_our_records_and_cannot_resend_them(
    client, failed, other_agency
):
    from motcua.accounts.models import User
    from motcua.agencies.services import set_officer

    theirs = User.objects.create_user(
        username="lanhdao.cuatung", password="demo-2026", full_name="Hồ Văn Lâm"
    )
    set_officer(theirs, agency=other_agency, roles=["leader"])
    record = SyncRecord.objects.order_by("pk").first()
    signed_in(client, theirs)

    page = client.get(URL).content.decode()
    assert failed.code not in page and "Không có bản ghi nào." in page
    assert client.post(f"/can-bo/dong-bo/{record.pk}/gui-lai/").status_code == 404


def test_the_administrator_reads_the_page_too(client, failed, administrator):
    assert signed_in(client, administrator).get(URL).status_code == 200


def test_without_an_address_the_page_says_so_and_records_are_kept(
    client, settings, catalogue, agency, people, leader, django_capture_on_commit_callbacks
):
    settings.NATIONAL_PORTAL = {}
    with django_capture_on_commit_callbacks(execute=True):
        file_birth(people["citizen"], agency)

    page = signed_in(client, leader).get(URL).content.decode()
    assert "Chưa cấu hình kết nối Cổng DVCQG" in page
    assert "Chưa cấu hình</span>" in page
    assert "Lĩnh vực chưa có mã trên Cổng DVCQG" in page and "Hộ tịch" in page


def test_the_page_reads_in_a_fixed_number_of_queries(
    client, failed, leader, django_assert_max_num_queries, agency, people, run_tasks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, leader)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(5):
        file_birth(people["citizen"], agency)
    with django_assert_max_num_queries(len(few)):
        client.get(URL)


def test_the_page_fits_the_budget(client, failed, leader):
    weight = page_weight(signed_in(client, leader), URL)
    assert weight["total"] <= 14 * 1024, weight


def test_the_queue_links_to_the_page_for_leaders_only(client, failed, leader, desk):
    assert 'href="/can-bo/dong-bo/"' in signed_in(client, leader).get("/can-bo/").content.decode()
    assert 'href="/can-bo/dong-bo/"' not in signed_in(Client(), desk).get("/can-bo/").content.decode()


def test_the_page_reads_in_english(client, failed, leader, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = signed_in(client, leader).get(URL).content.decode()

    assert "Could not be sent" in page
    assert "The national portal has a fault: HTTP 500" in page
    assert "Waiting for this dossier’s earlier record to be sent." in page
    assert ">Send again<" in page
