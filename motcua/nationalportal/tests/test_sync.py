"""Every dossier change reaches the national portal's stand-in, in order, in the portal's own format.

The stand-in (standin.py) plays the portal's integration adapter on a real port; motcua's client signs in,
sends DongBoHoSoMC (the dossier) and CapNhatTienDoHoSoMC (the step) and reads the answers. A portal that
fails is retried with a growing wait; a record that cannot go is failed, logged and shown to officers;
without an address nothing is sent, and the records wait for one.
"""

import datetime as dt
import logging

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Event
from motcua.dossiers.tests.factories import file_birth
from motcua.nationalportal import services
from motcua.nationalportal.models import FieldCode, SyncRecord

from .conftest import VN

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(catalogue, agency, people, monday, django_capture_on_commit_callbacks):
    """Citizen Hường's birth registration, filed online on Monday 23/11/2026 at 09:00."""
    with django_capture_on_commit_callbacks(execute=True):
        return file_birth(people["citizen"], agency)


def local(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=VN)


def test_a_dossier_filed_received_approved_and_delivered_reaches_the_portal_in_order(
    connected, filed, act, run_tasks, monday
):
    portal = connected
    dossier = act(filed, "receive", "desk")
    dossier = act(dossier, "forward", "desk")
    dossier = act(dossier, "submit_for_approval", "specialist")
    monday.shift(dt.timedelta(hours=2))
    dossier = act(dossier, "approve", "leader")
    dossier = act(dossier, "deliver_result", "desk", method="counter")

    # A record that went through hands the next one over too: its own task then finds it sent already.
    assert [outcome for outcome in run_tasks() if outcome != "skipped"] == ["sent"] * 6

    synced = portal.calls("DongBoHoSoMC")
    assert [c["data"][0]["TrangThaiHoSo"] for c in synced] == ["1", "2", "4", "4", "9", "10"]
    assert [c["isUpdating"] for c in synced] == ["False"] + ["True"] * 5
    assert [s["TrangThai"] for s in portal.steps] == ["1", "2", "4", "4", "9", "10"]
    assert [s["NoiDungXuLy"] for s in portal.steps] == [
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        "Chuyển chuyên viên xử lý",
        "Trình lãnh đạo duyệt",
        "Lãnh đạo duyệt",
        "Trả kết quả",
    ]
    # Each dossier call is followed by its step, and all of them under one session and unit code.
    services_called = [r["json"]["service"] for r in portal.requests if r["path"] == "/tich-hop"]
    assert services_called == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"] * 6
    assert {r["json"]["madonvi"] for r in portal.requests if r["path"] == "/tich-hop"} == {"000.20.44.H54"}
    assert {r["headers"]["dstcode"] for r in portal.requests} == {"DVCQG"}

    dossier.refresh_from_db()
    final = portal.dossiers[dossier.code]
    assert final == synced[-1]["data"][0]
    assert {k: final[k] for k in ("MaHoSo", "MaTTHC", "TenTTHC", "TenLinhVuc", "KenhThucHien")} == {
        "MaHoSo": dossier.code,
        "MaTTHC": "1.001193",
        "TenTTHC": dossier.procedure.name,
        "TenLinhVuc": "Hộ tịch",
        "KenhThucHien": "2",
    }
    assert (final["ChuHoSo"], final["SoDienThoai"], final["LoaiDoiTuong"]) == (
        "Nguyễn Thị Hường",
        "0912345678",
        "1",
    )
    assert final["DonViXuLy"] == "Ủy ban nhân dân xã Vĩnh Linh"
    assert local(final["NgayTiepNhan"]) == dossier.received_at == dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
    assert local(final["NgayHenTra"]) == dossier.due_at
    assert (
        local(final["NgayKetThucXuLy"]) == dossier.completed_at == dt.datetime(2026, 11, 23, 11, 0, tzinfo=VN)
    )
    assert local(final["NgayTra"]) == dossier.returned_at
    assert final["HinhThuc"] == "0"  # returned at the counter
    assert synced[0]["data"][0]["NgayTiepNhan"] == ""  # filed online, not received yet
    leader_step = portal.steps[4]
    assert (leader_step["NguoiXuLy"], leader_step["ChucDanh"]) == ("Nguyễn Văn Bình", "Lãnh đạo")
    assert local(leader_step["NgayKetThucTheoQuyDinh"]) == dossier.due_at

    records = SyncRecord.objects.filter(dossier=dossier).order_by("pk")
    assert [(r.state, r.attempts, r.parts_sent, r.http_status, r.portal_code) for r in records] == [
        ("sent", 1, 2, 200, "0")
    ] * 6


def test_one_record_per_event_written_with_the_change_or_not_at_all(connected, filed, people, agency):
    assert list(SyncRecord.objects.values_list("event__action", flat=True)) == ["submit"]
    with pytest.raises(dossiers.NotAllowed):  # approving a dossier not received yet changes nothing
        dossiers.perform(filed, "approve", by=people["leader"])
    with pytest.raises(RuntimeError), transaction.atomic():
        dossiers.perform(filed, "receive", by=people["desk"])
        raise RuntimeError("the request failed after the transition")

    assert SyncRecord.objects.count() == 1
    dossiers.perform(filed, "receive", by=people["desk"])
    assert sorted(SyncRecord.objects.values_list("event_id", flat=True)) == sorted(
        Event.objects.values_list("pk", flat=True)
    )


def test_a_record_is_written_in_vietnamese_whatever_language_the_officer_reads(
    connected, filed, act, run_tasks
):
    from django.utils import translation

    with translation.override("en"):
        act(filed, "receive", "desk")
    run_tasks()

    assert connected.steps[-1]["NoiDungXuLy"] == "Tiếp nhận hồ sơ"


def test_the_field_code_is_sent_once_the_administrator_has_entered_it(connected, filed, act, run_tasks):
    FieldCode.objects.create(field="Hộ tịch", code="HT-THU", source="trang thủ tục trên dichvucong.gov.vn")
    act(filed, "receive", "desk")
    run_tasks()

    assert [c["data"][0]["MaLinhVuc"] for c in connected.calls("DongBoHoSoMC")] == ["", "HT-THU"]
    assert services.fields_without_code() == sorted(
        {"Chứng thực", "Cư trú", "Bảo trợ xã hội", "Hộ kinh doanh", "Người có công"}
    )


def test_a_supplement_request_goes_with_its_dates(connected, filed, act, run_tasks, monday):
    dossier = act(filed, "receive", "desk")
    dossier = act(dossier, "forward", "desk")
    dossier = act(
        dossier, "request_supplement", "specialist", note="Thiếu giấy chứng sinh", items=["Giấy chứng sinh"]
    )
    monday.shift(dt.timedelta(days=1))
    dossier = act(dossier, "supplement", "citizen", note="Đã gửi giấy chứng sinh")
    run_tasks()

    asked, answered = connected.calls("DongBoHoSoMC")[-2:]
    assert asked["data"][0]["TrangThaiHoSo"] == "5"
    assert asked["data"][0]["GhiChu"] == "Thiếu giấy chứng sinh"
    [request] = answered["data"][0]["DanhSachHoSoBoSung"]
    assert request["NoiDungBoSung"] == "Giấy chứng sinh. Thiếu giấy chứng sinh"
    assert local(request["NgayBoSung"]).date() == dt.date(2026, 11, 23)
    assert local(request["NgayTiepNhanBoSung"]).date() == dt.date(2026, 11, 24)
    assert answered["data"][0]["TrangThaiHoSo"] == "4"


def test_a_portal_that_answers_500_then_200_is_retried_and_succeeds(connected, filed, run_tasks, monday):
    connected.will("down")
    assert run_tasks() == ["retry"]
    record = SyncRecord.objects.get()
    assert (record.state, record.attempts, record.problem, record.http_status) == (
        "pending",
        1,
        "server",
        500,
    )
    assert record.next_try_at - timezone.now() == dt.timedelta(seconds=60)
    assert run_tasks() == []  # nothing runs before the wait is over

    monday.shift(dt.timedelta(seconds=61))
    assert run_tasks() == ["sent"]

    record.refresh_from_db()
    assert (record.state, record.attempts, record.problem, record.last_error) == ("sent", 2, "", "")
    assert [c["data"][0]["MaHoSo"] for c in connected.calls("DongBoHoSoMC")] == [filed.code]


def test_the_waits_grow_then_the_record_fails_and_is_logged(
    settings, connected, filed, run_tasks, monday, caplog
):
    settings.NATIONAL_PORTAL = connected.settings(MAX_ATTEMPTS=4)
    connected.will("down", "slow", "down", "down")
    waits = []
    for _ in range(3):
        assert run_tasks() == ["retry"]
        record = SyncRecord.objects.get()
        waits.append(int((record.next_try_at - timezone.now()).total_seconds()))
        monday.shift(record.next_try_at - timezone.now())
    with caplog.at_level(logging.ERROR, logger="motcua.nationalportal"):
        assert run_tasks() == ["failed"]

    record.refresh_from_db()
    assert waits == [60, 120, 240]
    assert (record.state, record.attempts, record.problem, record.last_error) == (
        "failed",
        4,
        "server",
        "HTTP 500",
    )
    assert f"record {record.pk} of {filed.code} failed after 4 tries" in caplog.text


def test_a_partly_sent_record_goes_on_from_the_call_that_failed(connected, filed, run_tasks, monday):
    connected.will("ok", "ok", "down")  # signed in, the dossier accepted, the step not
    assert run_tasks() == ["retry"]
    assert SyncRecord.objects.get().parts_sent == 1

    monday.shift(dt.timedelta(seconds=61))
    assert run_tasks() == ["sent"]
    assert len(connected.calls("DongBoHoSoMC")) == 1  # the dossier was not sent twice
    assert len(connected.steps) == 1


def test_data_the_portal_refuses_fails_at_once_with_its_message(connected, filed, run_tasks):
    connected.will(
        {"error_code": 0, "session": "phien-1"}, {"error_code": 7, "message": "Mã TTHC không tồn tại"}
    )
    connected.sessions.add("phien-1")
    assert run_tasks() == ["failed"]

    record = SyncRecord.objects.get()
    assert (record.state, record.problem, record.portal_code, record.last_error) == (
        "failed",
        "refused",
        "7",
        "Mã TTHC không tồn tại",
    )


def test_a_bad_endpoint_is_logged_and_retried(settings, connected, filed, run_tasks, caplog):
    settings.NATIONAL_PORTAL = connected.settings(AUTH_URL="http://127.0.0.1:9/xac-thuc")
    with caplog.at_level(logging.WARNING, logger="motcua.nationalportal"):
        assert run_tasks() == ["retry"]

    record = SyncRecord.objects.get()
    assert (record.state, record.problem) == ("pending", "connection")
    assert "refused" in record.last_error.lower()
    assert f"record {record.pk} of {filed.code} not sent (try 1" in caplog.text


def test_a_wrong_password_is_a_sign_in_problem(settings, connected, filed, run_tasks):
    settings.NATIONAL_PORTAL = connected.settings(PASSWORD="sai")
    assert run_tasks() == ["retry"]

    record = SyncRecord.objects.get()
    assert (record.problem, record.last_error, record.portal_code) == (
        "sign_in",
        "Tên đăng nhập hoặc mật khẩu không đúng",
        "1",
    )
    assert connected.calls("DongBoHoSoMC") == []


def test_a_later_change_waits_for_the_earlier_one_of_its_dossier(connected, filed, act, run_tasks, monday):
    connected.will("down")
    assert run_tasks() == ["retry"]  # the filing's record waits a minute
    act(filed, "receive", "desk")
    assert run_tasks() == ["waiting"]  # the reception must not reach the portal before the filing

    monday.shift(dt.timedelta(seconds=61))
    assert run_tasks() == ["sent", "sent"]
    assert [c["data"][0]["TrangThaiHoSo"] for c in connected.calls("DongBoHoSoMC")] == ["1", "2"]


def test_a_failed_record_is_sent_again_by_an_officer_and_the_next_follow(
    settings, connected, filed, act, run_tasks, people, django_capture_on_commit_callbacks
):
    settings.NATIONAL_PORTAL = connected.settings(MAX_ATTEMPTS=1)
    connected.will("down")
    assert run_tasks() == ["failed"]
    act(filed, "receive", "desk")
    assert run_tasks() == ["waiting"]  # behind a failed record, the reception waits

    first = SyncRecord.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(first, by=people["leader"])
    assert run_tasks() == ["sent", "sent"]

    assert [r.state for r in SyncRecord.objects.order_by("pk")] == ["sent", "sent"]
    assert [c["data"][0]["TrangThaiHoSo"] for c in connected.calls("DongBoHoSoMC")] == ["1", "2"]


def test_nothing_is_sent_without_an_address_and_the_records_wait_for_one(
    settings, portal, filed, act, run_tasks, monday
):
    settings.NATIONAL_PORTAL = {}
    act(filed, "receive", "desk")
    assert run_tasks() == []
    assert services.sweep() == 0
    assert list(SyncRecord.objects.values_list("state", flat=True)) == ["unconfigured"] * 2
    assert portal.requests == []

    settings.NATIONAL_PORTAL = portal.settings()
    assert services.sweep() == 1  # the first of the dossier; the second follows it
    assert run_tasks() == ["sent", "sent"]
    assert [c["data"][0]["TrangThaiHoSo"] for c in portal.calls("DongBoHoSoMC")] == ["1", "2"]


def test_the_sweep_hands_over_a_record_whose_task_was_lost(connected, filed, run_tasks, monday):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the worker's queue lost it (a crash between commit and enqueue)
    assert services.sweep() == 0  # enqueued a moment ago: still on its way
    monday.shift(dt.timedelta(seconds=61))
    assert services.sweep() == 1
    assert run_tasks() == ["sent"]


def test_a_record_is_not_sent_twice_by_two_workers(connected, filed):
    record = SyncRecord.objects.get()
    assert services.deliver_record(record_id=record.pk) == "sent"
    assert services.deliver_record(record_id=record.pk) == "skipped"
    assert len(connected.calls("DongBoHoSoMC")) == 1


def test_a_portal_that_does_not_answer_in_time_is_a_timeout(connected, filed, run_tasks):
    connected.will("slow")
    assert run_tasks() == ["retry"]

    record = SyncRecord.objects.get()
    assert (record.state, record.problem, record.last_error) == ("pending", "timeout", "0.5 s")


def test_a_request_the_adapter_rejects_fails_at_once(settings, connected, filed, run_tasks):
    settings.NATIONAL_PORTAL = connected.settings(DSTCODE="KHAC")  # the adapter answers 403
    assert run_tasks() == ["failed"]

    record = SyncRecord.objects.get()
    assert (record.state, record.problem, record.http_status, record.attempts) == ("failed", "http", 403, 1)
