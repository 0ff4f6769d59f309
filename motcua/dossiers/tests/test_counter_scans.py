"""The desk attaches the papers a citizen brought to the counter, scanned or photographed, to the dossier it
filed for them: checked as a citizen's upload is, recorded as the officer's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Attachment, Status

from .factories import dossier_in, filed_at_counter

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def scans(*files):
    return [SimpleUploadedFile(name, data) for name, data in files]


def test_scans_and_phone_photos_attach_to_a_counter_dossier(client, catalogue, agency, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    client.force_login(desk)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert 'accept="application/pdf,image/*" capture="environment"' in page.text
    assert "Chưa có tệp nào." in page.text

    done = client.post(
        f"/can-bo/ho-so/{dossier.code}/tep/",
        {"slot": "2", "files": scans(("can-cuoc-mat-truoc.jpg", JPEG), ("can-cuoc.pdf", PDF))},
        follow=True,
    )

    attached = list(Attachment.objects.filter(dossier=dossier).order_by("pk"))
    assert [(a.name, a.slot, a.content_type, a.uploaded_by) for a in attached] == [
        ("can-cuoc-mat-truoc.jpg", "2", "image/jpeg", desk),
        ("can-cuoc.pdf", "2", "application/pdf", desk),
    ]
    assert "Đã đính kèm 2 tệp vào hồ sơ." in done.text
    assert f"Giấy tờ tùy thân</strong>: can-cuoc.pdf · {len(PDF)}\xa0byte" in done.text
    assert "Cán bộ đính kèm: Trần Thị Mai" in done.text


def test_a_file_that_is_no_scan_is_refused_with_a_clear_message(client, catalogue, agency, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    client.force_login(desk)

    refused = client.post(
        f"/can-bo/ho-so/{dossier.code}/tep/",
        {"slot": "2", "files": scans(("giay-to.docx", b"PK\x03\x04 word"), ("anh.jpg", JPEG))},
    )

    assert refused.status_code == 422
    assert "Tệp “giay-to.docx” không phải ảnh (JPG, PNG, WEBP) hoặc PDF. Bạn chọn tệp khác." in refused.text
    assert "Đã đính kèm 1 tệp; các tệp sau chưa được nhận:" in refused.text
    assert list(Attachment.objects.values_list("name", flat=True)) == ["anh.jpg"]


def test_the_dossiers_quota_holds_for_the_desk_too(client, catalogue, agency, desk, settings):
    settings.UPLOAD_DOSSIER_FILES = 1
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    client.force_login(desk)

    refused = client.post(
        f"/can-bo/ho-so/{dossier.code}/tep/",
        {"slot": "2", "files": scans(("1.pdf", PDF), ("2.pdf", PDF), ("3.pdf", PDF))},
    )

    assert refused.status_code == 422 and "Hồ sơ đã có đủ 1 tệp" in refused.text
    assert Attachment.objects.count() == 1


def test_no_file_or_an_unknown_slot_is_said_plainly(client, catalogue, agency, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    client.force_login(desk)

    empty = client.post(f"/can-bo/ho-so/{dossier.code}/tep/", {"slot": "2"})
    wrong = client.post(f"/can-bo/ho-so/{dossier.code}/tep/", {"slot": "99", "files": scans(("a.pdf", PDF))})

    assert empty.status_code == 422 and "Chọn ít nhất một tệp" in empty.text
    assert wrong.status_code == 422 and "Thành phần hồ sơ không hợp lệ." in wrong.text
    assert not Attachment.objects.exists()


def test_an_online_dossier_gets_no_counter_upload(client, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    client.force_login(people["desk"])

    assert "capture=" not in client.get(f"/can-bo/ho-so/{dossier.code}/").text
    refused = client.post(f"/can-bo/ho-so/{dossier.code}/tep/", {"slot": "2", "files": scans(("a.pdf", PDF))})

    assert refused.status_code == 302 and not Attachment.objects.exists()


def test_a_specialist_does_not_attach_counter_scans(client, catalogue, agency, desk, specialist):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    client.force_login(specialist)

    assert "capture=" not in client.get(f"/can-bo/ho-so/{dossier.code}/").text
    refused = client.post(f"/can-bo/ho-so/{dossier.code}/tep/", {"slot": "2", "files": scans(("a.pdf", PDF))})

    assert refused.status_code == 404 and not Attachment.objects.exists()
