"""The bulletin's pages: the public one (script, sound, schedule; within the page budget) and the officers'
(edit, voice, record), each commune its own."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from bench.weight import page_weight
from motcua.outreach import bulletins, schedule
from motcua.outreach.models import Bulletin, RenderState

pytestmark = pytest.mark.django_db
BIRTH = "1.001193"
BUDGET = 14 * 1024


def test_the_public_page_shows_the_script_paragraph_by_paragraph(
    client, catalogue, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    assert "<h1>Bản tin loa: Đăng ký khai sinh</h1>" in page
    assert "<p>Kính thưa bà con. Ủy ban nhân dân xã Vĩnh Linh thông báo về thủ tục đăng ký khai sinh." in page
    assert "Âm thanh đang được tạo." in page  # and the worker was asked for it
    assert DBTaskResult.objects.filter(task_path="motcua.outreach.bulletins.render_audio").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/thu-tuc/{BIRTH}/loa/")
    assert DBTaskResult.objects.filter(task_path="motcua.outreach.bulletins.render_audio").count() == 1


def test_the_public_page_lists_the_next_airings(client, catalogue, agency, desk):
    bulletin = bulletins.bulletin_for(agency, BIRTH)
    village = schedule.add_village(agency, name="Thôn Tân Trại")
    day = dt.date.today() + dt.timedelta(days=1)
    schedule.plan(agency, bulletin=bulletin, day=day, time=dt.time(6, 30), chosen=[village], note="", by=desk)
    page = client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    assert f"{day:%d/%m}, 06:30 — Thôn Tân Trại" in page


def test_the_public_page_fits_the_budget_in_both_languages(client, catalogue, agency, settings):
    assert page_weight(client, f"/thu-tuc/{BIRTH}/loa/")["total"] <= BUDGET
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_weight(client, f"/thu-tuc/{BIRTH}/loa/")["total"] <= BUDGET
    page = client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    assert "Loudspeaker bulletin: Birth registration" in page and '<div lang="vi">' in page


def test_an_unknown_procedure_has_no_bulletin(client, catalogue, agency):
    assert client.get("/thu-tuc/9.999999/loa/").status_code == 404
    assert client.get("/thu-tuc/9.999999/loa.mp3").status_code == 404
    assert not Bulletin.objects.exists()


def test_without_a_commune_the_page_still_reads_the_bulletin(client, catalogue):
    page = client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()
    assert "Bản tin này chưa có âm thanh." in page and "Ủy ban nhân dân xã;" in page
    assert client.get(f"/thu-tuc/{BIRTH}/loa.mp3").status_code == 404


# --- the officers' pages ----------------------------------------------------------------------------------


def test_an_officer_edits_the_script_and_sees_it_written_as_it_is_read(
    client, catalogue, agency, desk, voice
):
    client.force_login(desk)
    page = client.get(f"/can-bo/loa/{BIRTH}/").content.decode()
    assert "Lời tự động từ danh mục thủ tục" in page and "Kính thưa bà con." in page
    response = client.post(
        f"/can-bo/loa/{BIRTH}/",
        {"loi": "UBND xã nhắc bà con: đăng ký khai sinh trong 60 ngày thì miễn phí."},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã lưu. Bản tin đọc mất khoảng" in page
    assert "Số, tiền, ngày tháng và chữ viết tắt đã được viết lại thành chữ." in page
    assert "Ủy ban nhân dân xã nhắc bà con: đăng ký khai sinh trong sáu mươi ngày thì miễn phí." in page
    assert "Lời do cán bộ sửa." in page
    response = client.post(f"/can-bo/loa/{BIRTH}/", {"dung-lai": "1"}, follow=True)
    assert "Đã dùng lại bản tin tự động theo danh mục thủ tục." in response.content.decode()
    assert bulletins.find_bulletin(agency, BIRTH).script == ""


def test_a_script_over_two_minutes_is_refused_on_the_page_with_its_length(
    client, catalogue, agency, desk, voice
):
    client.force_login(desk)
    long = " ".join(
        ["Bà con nhớ mang theo giấy chứng sinh và căn cước khi đi đăng ký khai sinh cho con."] * 25
    )
    page = client.post(f"/can-bo/loa/{BIRTH}/", {"loi": long}).content.decode()
    assert "Bản tin đọc mất 2 phút" in page and "quá 2 phút. Bạn rút ngắn bớt rồi lưu lại." in page


def test_the_status_says_how_far_the_worker_is(client, catalogue, agency, desk):
    client.force_login(desk)
    client.get(f"/can-bo/loa/{BIRTH}/")  # opening the page asks the worker for the sound
    status = client.get(f"/can-bo/loa/{BIRTH}/trang-thai/").json()
    assert status == {"state": "queued", "label": "Đang chờ máy tạo âm thanh", "error": "", "ready": False}
    Bulletin.objects.update(render_state=RenderState.FAILED, render_error="Máy chủ chưa cài espeak-ng")
    page = client.get(f"/can-bo/loa/{BIRTH}/").content.decode()
    assert "Không tạo được âm thanh: Máy chủ chưa cài espeak-ng" in page and "Tạo lại âm thanh" in page
    response = client.post(f"/can-bo/loa/{BIRTH}/tao-am-thanh/", follow=True)
    assert "Máy đang tạo âm thanh." in response.content.decode()
    assert client.get(f"/can-bo/loa/{BIRTH}/trang-thai/").json()["state"] == "queued"


def test_a_file_that_is_not_audio_is_refused_on_the_page(client, catalogue, agency, desk, media):
    client.force_login(desk)
    fake = SimpleUploadedFile("thu-am.mp3", b"%PDF-1.4 khong phai am thanh", content_type="audio/mpeg")
    response = client.post(f"/can-bo/loa/{BIRTH}/thu-am/", {"tep": fake}, follow=True)
    assert "Tệp không phải âm thanh MP3 hoặc WAV. Bạn chọn tệp thu âm khác." in response.content.decode()
    response = client.post(f"/can-bo/loa/{BIRTH}/thu-am/", {}, follow=True)
    assert "Bạn chọn tệp thu âm trước khi bấm tải lên." in response.content.decode()


def test_each_commune_keeps_its_own_bulletin(
    client, catalogue, agency, other_agency, desk, other_desk, voice
):
    client.force_login(other_desk)
    client.post(f"/can-bo/loa/{BIRTH}/", {"loi": "Bản tin của xã Cửa Tùng về đăng ký khai sinh."})
    assert bulletins.find_bulletin(other_agency, BIRTH).script.startswith("Bản tin của xã Cửa Tùng")
    client.force_login(desk)
    page = client.get(f"/can-bo/loa/{BIRTH}/").content.decode()
    assert "Cửa Tùng" not in page and "Ủy ban nhân dân xã Vĩnh Linh thông báo" in page
    # The portal speaks for Vĩnh Linh: its page reads Vĩnh Linh's bulletin.
    assert "Cửa Tùng" not in client.get(f"/thu-tuc/{BIRTH}/loa/").content.decode()


def test_the_list_shows_each_procedures_bulletin(client, catalogue, agency, community):
    client.force_login(community)
    page = client.get("/can-bo/loa/").content.decode()
    assert page.count("/can-bo/loa/") >= len({p["code"] for p in catalogue["procedures"]})
    assert "Chưa tạo âm thanh" in page


def test_the_office_queue_links_to_the_outreach_pages(client, catalogue, agency, desk, specialist):
    client.force_login(desk)
    page = client.get("/can-bo/").content.decode()
    assert 'href="/can-bo/ap-phich/"' in page and 'href="/can-bo/loa/"' in page
    client.force_login(specialist)
    page = client.get("/can-bo/").content.decode()
    assert 'href="/can-bo/ap-phich/"' in page and 'href="/can-bo/loa/"' not in page
