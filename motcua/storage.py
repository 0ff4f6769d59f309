"""Where uploaded and generated files live: a local folder, or S3-compatible object storage.

One setting, `STORAGE_URL`, read by settings.py through `storages_from_url`:

- empty (the default): the folder `MEDIA_ROOT` (`FileSystemStorage`);
- `file:///srv/motcua/media`: that folder;
- `s3://BUCKET[/PREFIX]?endpoint_url=https://s3.example.vn&region_name=...&addressing_style=path`:
  the bucket through django-storages (boto3). The keys come from `STORAGE_ACCESS_KEY` and
  `STORAGE_SECRET_KEY`, or else boto3's own chain (AWS_ACCESS_KEY_ID..., an instance role).

Objects are private: no ACL is sent (the bucket's default, private), `querystring_auth` stays on so that
even a stray `.url` is a short-lived signed link, and nothing in motcua hands out a storage URL: every file
is streamed through the view that checks who may read it (dossiers/views.py, outreach/views). The bucket
must have no public-read policy.

This module imports no app (settings.py imports it); `probe` and `walk` serve /readyz and the backup.
"""

import hashlib
from collections.abc import Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["S3_OPTIONS", "failures", "probe", "storage_from_url", "walk"]

# Query parameters of an s3:// STORAGE_URL passed on to django-storages' S3Storage, and their types.
S3_OPTIONS = {
    "endpoint_url": str,
    "region_name": str,
    "addressing_style": str,  # "path" for MinIO, Ceph and most S3-compatible services; "virtual" for AWS
    "signature_version": str,
    "verify": str,  # a CA bundle's path, or "false" for a test server
    "max_memory_size": int,  # bytes of a download kept in memory before it spills to a temporary file
}


def storage_from_url(url: str, *, access_key: str = "", secret_key: str = "") -> dict:
    """The STORAGES["default"] entry for a STORAGE_URL (see the module's docstring)."""
    url = url.strip()
    if not url:
        # No location: it follows MEDIA_ROOT, also when a test changes it.
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": unquote(parts.path)},
        }
    if parts.scheme != "s3":
        raise ValueError(f"STORAGE_URL must start with s3:// or file://, not {parts.scheme!r}")
    if not parts.hostname:
        raise ValueError("STORAGE_URL needs a bucket: s3://BUCKET[/PREFIX]?endpoint_url=...")
    options: dict[str, object] = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": None,  # the bucket's own (private); never public-read
        "querystring_auth": True,
        "file_overwrite": False,  # a name already taken gets a suffix, as on disk
    }
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key not in S3_OPTIONS:
            raise ValueError(f"STORAGE_URL: unknown option {key!r}; known: {', '.join(S3_OPTIONS)}")
        if key == "verify":
            options[key] = False if value.lower() in {"0", "false", "no"} else value
        else:
            options[key] = S3_OPTIONS[key](value)
    if access_key:
        options["access_key"], options["secret_key"] = access_key, secret_key
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def failures() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the storage failed" (a full disk, a bucket that does not answer), as
    opposed to a bug: OSError, and boto's own errors when django-storages is installed."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - boto3 is a dependency
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


def is_s3(storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def probe(storage) -> str:
    """Raise if the storage cannot be reached, else a short description. Cheap: one HEAD on the bucket,
    or a look at the folder."""
    if is_s3(storage):
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        return f"s3://{storage.bucket_name}"
    import os

    location = storage.location
    if not os.path.isdir(location):
        os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError(f"{location} is not writable")
    return location


def walk(storage, top: str = "") -> Iterator[str]:
    """Every file's name in the storage, in a stable order."""
    if is_s3(storage):
        prefix = storage.location.strip("/")
        prefix = f"{prefix}/" if prefix else ""
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        names = []
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix + top):
            names.extend(item["Key"][len(prefix) :] for item in page.get("Contents", []))
        yield from sorted(names)
        return
    try:
        folders, files = storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for folder in sorted(folders):
        yield from walk(storage, f"{top}/{folder}" if top else folder)


def sha256_of(storage, name: str) -> tuple[str, int]:
    """The SHA-256 and size of one stored file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
