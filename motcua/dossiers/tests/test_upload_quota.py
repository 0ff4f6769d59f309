"""Storage one person cannot fill (issue 10, finding 6).

An attack stored 60 files of 9.9 MB on one dossier in 10 seconds, and with the disk full got a 500 and left
partial files behind. A dossier now holds at most UPLOAD_DOSSIER_FILES files and UPLOAD_DOSSIER_MB
megabytes, a citizen uploads at most UPLOAD_CITIZEN_MB megabytes in 30 days, and a write that fails leaves
nothing and says so.
"""

import datetime as dt
import errno
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.services import issue_token
from motcua.dossiers import services
from motcua.dossiers.files import QuotaExceeded, StorageFailed
from motcua.dossiers.models import Attachment, Dossier, Status

from .factories import dossier_in, file_birth
from .test_codes_and_concurrency import _in_threads

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
KB = 1024
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
DOSSIER_FULL = (
    "Hồ sơ đã có đủ 3 tệp, không nhận thêm tệp “anh-4.png”. Bạn gộp nhiều trang vào một tệp PDF, "
    "hoặc mang giấy tờ đến bộ phận một cửa."
)
DISK_FULL = (
    "Máy chủ chưa lưu được tệp “giay-chung-sinh.png” (lỗi lưu trữ). Tệp chưa được gửi: bạn thử lại sau ít "
    "phút; nếu vẫn lỗi, báo bộ phận một cửa."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def small_quotas(settings):
    settings.UPLOAD_DOSSIER_FILES = 3
    settings.UPLOAD_DOSSIER_MB = 1
    settings.UPLOAD_CITIZEN_MB = 2


def photo(name: str = "anh.png", size: int = len(PNG)) -> SimpleUploadedFile:
    """A PNG of `size` bytes (what follows the image does not matter to the check)."""
    return SimpleUploadedFile(name, PNG + b"\0" * (size - len(PNG)), content_type="image/png")


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


@pytest.fixture
def full_disk(monkeypatch):
    """The storage writes half of each file, then the disk is full (what FileSystemStorage leaves behind)."""

    def save_half_then_fail(storage, name, content):
        path = storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(content.read()[: max(1, content.size // 2)])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", save_half_then_fail)


def test_the_defaults_are_30_files_and_50_mb_a_dossier_and_200_mb_a_citizen():
    assert django_settings.UPLOAD_DOSSIER_FILES == 30
    assert django_settings.UPLOAD_DOSSIER_MB == 50
    assert django_settings.UPLOAD_CITIZEN_MB == 200


def test_the_31st_file_of_a_dossier_is_refused_through_the_api(client, catalogue, agency, citizen, media):
    dossier = file_birth(citizen, agency)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(citizen)}"}
    url = f"/api/v1/dossiers/{dossier.code}/attachments"
    answers = [
        client.post(url, {"slot": "khac", "file": photo(f"anh-{n}.png")}, **headers) for n in range(31)
    ]
    assert [a.status_code for a in answers] == [201] * 30 + [413]
    assert answers[-1].json()["detail"] == (
        "Hồ sơ đã có đủ 30 tệp, không nhận thêm tệp “anh-30.png”. "
        "Bạn gộp nhiều trang vào một tệp PDF, hoặc mang giấy tờ đến bộ phận một cửa."
    )
    assert dossier.attachments.count() == 30 and len(stored_files(media)) == 30


def test_a_dossier_takes_no_more_megabytes_than_its_quota(catalogue, agency, citizen, small_quotas, media):
    dossier = file_birth(citizen, agency)
    services.add_attachment(dossier, upload=photo("mot.png", 600 * KB), slot="khac", by=citizen)
    with pytest.raises(QuotaExceeded) as refused:
        services.add_attachment(dossier, upload=photo("hai.png", 600 * KB), slot="khac", by=citizen)
    assert str(refused.value) == (
        "Mỗi hồ sơ nhận tối đa 1 MB tệp; hồ sơ đã có 0,6 MB nên không nhận thêm tệp “hai.png” (0,6 MB). "
        "Bạn chụp lại với độ phân giải thấp hơn, hoặc mang giấy tờ đến bộ phận một cửa."
    )
    assert len(stored_files(media)) == 1


def test_a_citizen_uploads_no_more_than_their_quota_in_30_days(
    catalogue, agency, citizen, small_quotas, media
):
    dossiers = [file_birth(citizen, agency) for _ in range(4)]
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=VN), tick=False):
        services.add_attachment(dossiers[0], upload=photo("cu.png", 900 * KB), slot="khac", by=citizen)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=VN), tick=False):
        # the file of October no longer counts; two of 900 KB on two dossiers do
        services.add_attachment(dossiers[1], upload=photo("a.png", 900 * KB), slot="khac", by=citizen)
        services.add_attachment(dossiers[2], upload=photo("b.png", 900 * KB), slot="khac", by=citizen)
        with pytest.raises(QuotaExceeded) as refused:
            services.add_attachment(dossiers[3], upload=photo("c.png", 300 * KB), slot="khac", by=citizen)
    assert str(refused.value) == (
        "Trong 30 ngày qua bạn đã gửi 1,8 MB tệp, tối đa 2 MB, nên không nhận thêm tệp “c.png”. "
        "Bạn thử lại sau, hoặc mang giấy tờ đến bộ phận một cửa."
    )
    assert Attachment.objects.count() == 3 and len(stored_files(media)) == 3


def test_an_officer_scanning_for_many_people_has_no_citizen_quota(catalogue, agency, people, small_quotas):
    for _ in range(3):
        dossier = dossier_in(Status.NEW, people=people, agency=agency)
        services.add_attachment(dossier, upload=photo("scan.png", 900 * KB), slot="khac", by=people["desk"])
    assert Attachment.objects.filter(uploaded_by=people["desk"]).count() == 3


def test_the_filing_page_says_in_vietnamese_that_the_dossier_is_full(
    client, catalogue, agency, citizen, small_quotas, media
):
    client.force_login(citizen)
    files = [photo(f"anh-{n}.png") for n in range(1, 6)]
    response = client.post("/thu-tuc/1.001193/nop/giay-to/", {"di": "tiep", "file-khac": files})
    assert response.status_code == 200
    assert response.context["file_errors"] == [DOSSIER_FULL]  # said once, not once for each file after
    assert Dossier.objects.get(status=Status.DRAFT).attachments.count() == 3
    assert len(stored_files(media)) == 3


def test_uploads_sent_at_the_same_time_cannot_pass_the_quota(
    transactional_db, catalogue, agency, citizen, small_quotas, media
):
    dossier = file_birth(citizen, agency)

    def upload(n):
        return services.add_attachment(dossier, upload=photo(f"anh-{n}.png"), slot="khac", by=citizen)

    results = _in_threads(8, upload)
    refused = [r for r in results if isinstance(r, QuotaExceeded)]
    assert len(refused) == 5, results
    assert dossier.attachments.count() == 3 and len(stored_files(media)) == 3


def test_a_full_disk_leaves_no_partial_file_and_says_so(catalogue, agency, citizen, full_disk, media):
    dossier = file_birth(citizen, agency)
    with pytest.raises(StorageFailed) as failed:
        services.add_attachment(
            dossier, upload=photo("giay-chung-sinh.png", 50 * KB), slot="khac", by=citizen
        )
    assert str(failed.value) == DISK_FULL
    assert stored_files(media) == [] and not Attachment.objects.exists()


def test_a_full_disk_is_a_503_with_the_message_in_the_api(
    client, catalogue, agency, citizen, full_disk, media
):
    dossier = file_birth(citizen, agency)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"slot": "khac", "file": photo("giay-chung-sinh.png")},
        HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}",
    )
    assert response.status_code == 503
    assert response.json() == {"detail": DISK_FULL}
    assert stored_files(media) == []


def test_a_full_disk_is_said_on_the_filing_page(client, catalogue, agency, citizen, full_disk, media):
    client.force_login(citizen)
    response = client.post(
        "/thu-tuc/1.001193/nop/giay-to/", {"di": "tiep", "file-khac": photo("giay-chung-sinh.png")}
    )
    assert response.status_code == 200
    assert response.context["file_errors"] == [DISK_FULL]
    assert DISK_FULL in response.text
    assert stored_files(media) == []


def test_a_row_that_cannot_be_saved_takes_its_file_away(catalogue, agency, citizen, media, monkeypatch):
    dossier = file_birth(citizen, agency)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Attachment, "save", fail)
    with pytest.raises(RuntimeError):
        services.add_attachment(dossier, upload=photo(), slot="khac", by=citizen)
    assert stored_files(media) == []
