"""What the citizen is told when a result is ready (issue 11, walls 2 and 10): where and when to collect
it, never cut; and, when it came as a file, that it can be downloaded and that the paper stays at the
counter. Downloading it is her own doing: told in the account, not texted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.notifications.models import Message
from motcua.notifications.texts import sms_parts

from .conftest import dossier_in

pytestmark = pytest.mark.django_db

C = "000.20.44.H54-261123-0001"
DUE = "17 giờ 00, thứ Hai, ngày 23/11/2026"
PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_commune(agency):
    """Vĩnh Linh as `make run` sets it up: its own place and hours for collecting results."""
    agency.address = "Trung tâm Phục vụ hành chính công xã Vĩnh Linh, tỉnh Quảng Trị"
    agency.result_place = "Trung tâm Phục vụ hành chính công xã Vĩnh Linh"
    agency.opening_hours = "7h30-11h30, 13h30-17h, T2-T6"
    agency.save()
    return agency


def pdf():
    return SimpleUploadedFile("trich-luc.pdf", PDF, content_type="application/pdf")


def messages_of(event) -> dict[str, str]:
    return dict(Message.objects.filter(event=event).values_list("channel", "text"))


def test_a_result_ready_is_texted_with_where_and_when_whole(
    catalogue, demo_commune, people, monday, django_capture_on_commit_callbacks
):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=demo_commune, awaiting_approval=True)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.perform(dossier, "approve", by=people["leader"])

    texts = messages_of(dossier.events.latest("pk"))
    # Before: "… Nhận tại bộ phận một cửa, Trung tâm Phục vụ hành chính công…" — the place was cut off.
    assert texts["sms"] == (
        f"Hồ sơ {C} có kết quả, nhận tại Trung tâm Phục vụ hành chính công xã Vĩnh Linh, 7h30-11h30, "
        "13h30-17h, T2-T6."
    )
    assert sms_parts(texts["sms"]) == 2
    assert texts["inapp"] == (
        f"Hồ sơ {C} (Đăng ký khai sinh) đã giải quyết xong; kết quả đã sẵn sàng. Mời ông/bà đến nhận tại "
        "Trung tâm Phục vụ hành chính công xã Vĩnh Linh (Trung tâm Phục vụ hành chính công xã Vĩnh Linh, "
        "tỉnh Quảng Trị), 7h30-11h30, 13h30-17h, T2-T6; nhớ mang theo giấy tờ tùy thân. Hẹn trả kết quả: "
        f"{DUE}."
    )


@pytest.mark.parametrize(("action", "start", "who"), [("approve", 4, "leader"), ("attach_result", 9, "desk")])
def test_a_result_file_is_texted_as_ready_to_download_with_the_paper_at_the_counter(
    catalogue, demo_commune, people, monday, django_capture_on_commit_callbacks, action, start, who
):
    dossier = dossier_in(start, people=people, agency=demo_commune, awaiting_approval=start == 4)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.perform(dossier, action, by=people[who], data={"result_file": pdf()})

    event = dossier.events.latest("pk")
    texts = messages_of(event)
    assert texts["sms"] == (
        f"Hồ sơ {C} đã có kết quả điện tử: tải về ở mục Hồ sơ của tôi. Bản giấy nhận tại bộ phận một cửa."
    )
    assert sms_parts(texts["sms"]) == 2
    assert texts["inapp"] == (
        f"Hồ sơ {C} (Đăng ký khai sinh) đã có kết quả điện tử. Ông/bà đăng nhập, mở mục “Hồ sơ của tôi” để "
        "tải về. Bản giấy vẫn được giữ tại Trung tâm Phục vụ hành chính công xã Vĩnh Linh (Trung tâm Phục "
        "vụ hành chính công xã Vĩnh Linh, tỉnh Quảng Trị); ông/bà đến nhận 7h30-11h30, 13h30-17h, T2-T6, "
        "nhớ mang theo giấy tờ tùy thân."
    )
    assert Message.objects.get(event=event, channel="sms").kind == "dossier.result_online"


def test_downloading_the_result_is_told_in_the_account_only(
    client, catalogue, demo_commune, people, monday, django_capture_on_commit_callbacks
):
    dossier = dossier_in(Status.DONE, people=people, agency=demo_commune)
    dossier = dossiers.perform(dossier, "attach_result", by=people["desk"], data={"result_file": pdf()})
    client.force_login(people["citizen"])

    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/ho-so/{dossier.code}/ket-qua/{dossier.result_files.get().pk}/")

    event = dossier.events.latest("pk")
    assert event.action == "collect_online"
    assert messages_of(event) == {
        "inapp": f"Ông/bà đã tải kết quả điện tử của hồ sơ {C}: hồ sơ đã trả kết quả trực tuyến. Bản giấy "
        "vẫn được giữ tại Trung tâm Phục vụ hành chính công xã Vĩnh Linh nếu ông/bà cần."
    }
