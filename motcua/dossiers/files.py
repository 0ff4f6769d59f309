"""Uploaded files: checked by what they are, not by what they are called; bounded by what one dossier and
one citizen may store; written whole or not at all."""

import contextlib
import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.storage import failures

from .models import Attachment

log = logging.getLogger(__name__)
MB = 1024 * 1024
MAX_BYTES = 10 * MB
CITIZEN_WINDOW = dt.timedelta(days=30)  # settings.UPLOAD_CITIZEN_MB is what a citizen uploads in this time
# Leading bytes of the formats a phone camera or a scanner produces.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def megabytes(size: int) -> str:
    """1_572_864 -> '1,5' (Vietnamese writes a decimal comma)."""
    return f"{size / MB:.1f}".replace(".", ",")


class BadFile(Exception):
    pass


class QuotaExceeded(BadFile):
    """One more file would pass what the dossier or the citizen may store (the API answers 413)."""


class StorageFailed(Exception):
    """The file could not be written (a full or failing disk); nothing of it was kept (API: 503)."""


def inspect(upload) -> tuple[str, str, int, str]:
    """(content type, extension, size, SHA-256) of an upload, or BadFile with a message for the citizen."""
    size = upload.size or 0
    if size == 0:
        raise BadFile(_("Tệp “%(name)s” rỗng (0 byte). Bạn chụp hoặc chọn lại tệp.") % {"name": upload.name})
    if size > MAX_BYTES:
        raise BadFile(
            _(
                "Tệp “%(name)s” quá lớn (%(mb)s MB). Mỗi tệp tối đa 10 MB: "
                "bạn chụp lại với độ phân giải thấp hơn."
            )
            % {"name": upload.name, "mb": megabytes(size)}
        )
    upload.seek(0)
    head = upload.read(16)
    kind = next(((ctype, ext) for magic, ctype, ext in SIGNATURES if head.startswith(magic)), None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = ("image/webp", "webp")
    if kind is None:
        raise BadFile(
            _("Tệp “%(name)s” không phải ảnh (JPG, PNG, WEBP) hoặc PDF. Bạn chọn tệp khác.")
            % {"name": upload.name}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind[0], kind[1], size, digest.hexdigest()


def check_quota(dossier, *, by, size: int, name: str) -> None:
    """QuotaExceeded when a file of `size` bytes would pass the dossier's files or megabytes, or what a
    citizen (not an officer, who scans for many people) uploaded in the last 30 days."""
    held = Attachment.objects.filter(dossier=dossier).aggregate(files=Count("pk"), size=Sum("size"))
    if held["files"] >= settings.UPLOAD_DOSSIER_FILES:
        raise QuotaExceeded(
            _(
                "Hồ sơ đã có đủ %(n)s tệp, không nhận thêm tệp “%(name)s”. Bạn gộp nhiều trang vào một tệp "
                "PDF, hoặc mang giấy tờ đến bộ phận một cửa."
            )
            % {"n": settings.UPLOAD_DOSSIER_FILES, "name": name}
        )
    if (held["size"] or 0) + size > settings.UPLOAD_DOSSIER_MB * MB:
        raise QuotaExceeded(
            _(
                "Mỗi hồ sơ nhận tối đa %(max)s MB tệp; hồ sơ đã có %(used)s MB nên không nhận thêm tệp "
                "“%(name)s” (%(size)s MB). Bạn chụp lại với độ phân giải thấp hơn, hoặc mang giấy tờ đến "
                "bộ phận một cửa."
            )
            % {
                "max": settings.UPLOAD_DOSSIER_MB,
                "used": megabytes(held["size"] or 0),
                "name": name,
                "size": megabytes(size),
            }
        )
    if getattr(by, "officer", None) is not None:
        return
    since = timezone.now() - CITIZEN_WINDOW
    used = Attachment.objects.filter(uploaded_by=by, uploaded_at__gte=since).aggregate(size=Sum("size"))[
        "size"
    ]
    if (used or 0) + size > settings.UPLOAD_CITIZEN_MB * MB:
        raise QuotaExceeded(
            _(
                "Trong 30 ngày qua bạn đã gửi %(used)s MB tệp, tối đa %(max)s MB, nên không nhận thêm tệp "
                "“%(name)s”. Bạn thử lại sau, hoặc mang giấy tờ đến bộ phận một cửa."
            )
            % {"used": megabytes(used or 0), "max": settings.UPLOAD_CITIZEN_MB, "name": name}
        )


def store(attachment: Attachment, upload) -> None:
    """Write `upload` as the attachment's file (the row is not saved). When the storage fails — a full
    disk — whatever part was written is removed and StorageFailed says so."""
    field = attachment.file
    name = field.field.generate_filename(attachment, upload.name)  # a fresh UUID: nobody else writes it
    try:
        attachment.file = field.storage.save(name, upload, max_length=field.field.max_length)
    except BaseException as exc:
        with contextlib.suppress(*failures()):
            field.storage.delete(name)
        if not isinstance(exc, failures()):  # a full disk, a bucket that does not answer: not a bug
            raise
        log.error("Could not store an upload of dossier %s: %s", attachment.dossier_id, exc)
        raise StorageFailed(
            _(
                "Máy chủ chưa lưu được tệp “%(name)s” (lỗi lưu trữ). Tệp chưa được gửi: bạn thử lại sau ít "
                "phút; nếu vẫn lỗi, báo bộ phận một cửa."
            )
            % {"name": attachment.name}
        ) from exc
