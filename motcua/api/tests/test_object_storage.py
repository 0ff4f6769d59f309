"""Files in S3-compatible object storage (issue 15, item 2), against moto's S3 server in its own process.

An attachment goes in through the real API upload, lands as a private object in the bucket (nothing in the
local folder), comes back byte for byte through the access-checked view, is a 404 for a stranger like any
file they may not see, and the object itself answers 403 to anyone without the keys.
"""

import hashlib
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.services import issue_token
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Status
from motcua.dossiers.tests.factories import dossier_in, file_birth
from motcua.storage import probe, storage_from_url, walk

pytestmark = pytest.mark.django_db
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def photo(name="giay-chung-sinh.png", extra=b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG + extra, content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_upload_is_a_private_object_read_back_only_through_the_access_check(
    client, catalogue, agency, citizen, other_citizen, object_storage, media
):
    dossier = file_birth(citizen, agency)
    content = PNG + b"\0" * 5000
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"slot": "khac", "file": photo(extra=b"\0" * 5000)},
        HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}",
    )
    assert answer.status_code == 201, answer.content
    item = Attachment.objects.get(pk=answer.json()["id"])
    key = f"media/{item.file.name}"
    assert object_storage.keys() == [key]
    assert object_storage.read(key) == content
    assert answer.json()["sha256"] == hashlib.sha256(content).hexdigest()
    assert not any(p.is_file() for p in media.rglob("*"))  # nothing on the local disk

    client.force_login(citizen)
    mine = client.get(f"/ho-so/{dossier.code}/tep/{item.pk}/")
    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == content
    assert mine["Content-Type"] == "image/png"

    client.force_login(other_citizen)
    assert client.get(f"/ho-so/{dossier.code}/tep/{item.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/ho-so/{dossier.code}/tep/{item.pk}/").status_code == 302  # to sign in

    # The object's own address, without the keys: refused by the storage itself.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(object_storage.public_url(key), timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_an_officer_reads_the_file_and_a_deleted_draft_leaves_no_object(
    client, catalogue, agency, people, citizen, object_storage
):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    item = services.add_attachment(dossier, upload=photo("scan.png"), slot="khac", by=people["desk"])
    client.force_login(people["desk"])
    answer = client.get(f"/ho-so/{dossier.code}/tep/{item.pk}/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PNG
    assert len(object_storage.keys()) == 1
    item.file.delete(save=False)
    assert object_storage.keys() == []


def test_the_storage_walk_and_probe_see_the_bucket(object_storage):
    default_storage.save("dossiers/1/a.png", photo())
    default_storage.save("results/1/b.pdf", photo())
    assert list(walk(default_storage)) == ["dossiers/1/a.png", "results/1/b.pdf"]
    assert probe(default_storage) == f"s3://{object_storage.name}"


def test_storage_url_forms():
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_from_url("file:///srv/motcua/media")["OPTIONS"] == {"location": "/srv/motcua/media"}
    s3 = storage_from_url(
        "s3://ho-so/xa-vinh-linh?endpoint_url=https://s3.example.vn&region_name=hn&addressing_style=path",
        access_key="k",
        secret_key="s",
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"] == {
        "bucket_name": "ho-so",
        "location": "xa-vinh-linh",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "endpoint_url": "https://s3.example.vn",
        "region_name": "hn",
        "addressing_style": "path",
        "access_key": "k",
        "secret_key": "s",
    }
    with pytest.raises(ValueError, match="unknown option 'acl'"):
        storage_from_url("s3://ho-so?acl=public-read")
    with pytest.raises(ValueError, match="s3:// or file://"):
        storage_from_url("ftp://x")


def test_a_bucket_that_does_not_answer_is_a_503_that_says_so_and_keeps_nothing(
    client, catalogue, agency, citizen, object_storage, s3_server
):
    dossier = file_birth(citizen, agency)
    s3_server.client().delete_bucket(Bucket=object_storage.name)
    answer = client.post(
        f"/api/v1/dossiers/{dossier.code}/attachments",
        {"slot": "khac", "file": photo()},
        HTTP_AUTHORIZATION=f"Bearer {issue_token(citizen)}",
    )
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith(
        "Máy chủ chưa lưu được tệp “giay-chung-sinh.png” (lỗi lưu trữ)."
    )
    assert not dossier.attachments.exists()
