"""Checking an uploaded file by what it is, not by what it is called."""

import hashlib

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
# Leading bytes of the formats a phone camera or a scanner produces.
SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


class BadFile(Exception):
    pass


def inspect(upload) -> tuple[str, str, int, str]:
    """(content type, extension, size, SHA-256) of an upload, or BadFile with a message for the citizen."""
    size = upload.size or 0
    if size == 0:
        raise BadFile(_("Tệp “%(name)s” rỗng (0 byte). Bạn chụp hoặc chọn lại tệp.") % {"name": upload.name})
    if size > MAX_BYTES:
        raise BadFile(
            _(
                "Tệp “%(name)s” quá lớn (%(mb).1f MB). Mỗi tệp tối đa 10 MB: "
                "bạn chụp lại với độ phân giải thấp hơn."
            )
            % {"name": upload.name, "mb": size / 1024 / 1024}
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
