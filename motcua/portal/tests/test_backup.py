"""The restore drill (issue 15, item 4): dossiers with files, `manage.py backup`, then `manage.py restore` in
another process into an empty database (a new SQLite file, or a new PostgreSQL database made with the
CREATEDB role) and an empty storage (a new folder, or a new bucket on moto's S3 server). Every dossier and
every file must be there again, each file with the same SHA-256, read independently of motcua.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.tests.factories import file_birth
from testkit.s3 import ACCESS_KEY, SECRET_KEY, storage_url

pytestmark = pytest.mark.django_db(transaction=True)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _pg_conninfo(name: str) -> dict:
    s = connection.settings_dict
    return {
        "host": s["HOST"],
        "port": s["PORT"] or 5432,
        "user": s["USER"],
        "password": s["PASSWORD"],
        "dbname": name,
    }


@pytest.fixture
def empty_database(tmp_path):
    """(DATABASE_URL of a new, empty database, a function that reads rows from it)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def rows(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", rows
        return
    name = f"{connection.settings_dict['NAME']}_drill_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(**_pg_conninfo(connection.settings_dict["NAME"]), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')  # template1 may be in use
    info = _pg_conninfo(name)

    def rows(sql):
        with psycopg.connect(**info) as db:
            return db.execute(sql).fetchall()

    try:
        yield f"postgres://{info['user']}:{info['password']}@{info['host']}:{info['port']}/{name}", rows
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def restore_elsewhere(folder: Path, database_url: str, **env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k not in {"STORAGE_URL", "MEDIA_ROOT", "DATABASE_URL"}}
    environ.update(DEMO="1", DATABASE_URL=database_url, **env)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(folder), "--json"],
        cwd=django_settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def dossiers_with_files(citizen, agency, count=3) -> dict[str, dict[str, str]]:
    """Dossiers, each with files of its own content: {code: {stored name: sha256}}."""
    made = {}
    for n in range(count):
        dossier = file_birth(citizen, agency)
        for k in range(n + 1):
            content = PNG + f"dossier {n} file {k}".encode() * (200 * (k + 1))
            upload = SimpleUploadedFile(f"tep-{n}-{k}.png", content, content_type="image/png")
            services.add_attachment(dossier, upload=upload, slot="khac", by=citizen)
        made[dossier.code] = {a.file.name: a.sha256 for a in dossier.attachments.all()}
    return made


def check_restored(made, rows, read_file):
    table, files = Dossier._meta.db_table, Attachment._meta.db_table
    codes = {code for (code,) in rows(f"SELECT code FROM {table} WHERE code <> ''")}  # noqa: S608
    assert codes == set(made)
    stored = dict(rows(f"SELECT file, sha256 FROM {files}"))  # noqa: S608
    expected = {name: sha for names in made.values() for name, sha in names.items()}
    assert stored == expected
    for name, sha in expected.items():
        assert hashlib.sha256(read_file(name)).hexdigest() == sha


def test_the_restore_drill_from_a_folder(catalogue, agency, citizen, settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = dossiers_with_files(citizen, agency)
    call_command("backup", tmp_path / "backup", verbosity=0)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["files"]["count"] == 6 and manifest["database"]["rows"]["dossiers.dossier"] == 3

    url, rows = empty_database
    restored_media = tmp_path / "restored-media"
    checked = restore_elsewhere(tmp_path / "backup", url, MEDIA_ROOT=str(restored_media))
    assert checked["files"] == 6 and checked["rows_differing"] == {}
    assert checked["rows"] == manifest["database"]["rows"]
    check_restored(made, rows, lambda name: (restored_media / name).read_bytes())


def test_the_restore_drill_from_a_bucket(
    catalogue, agency, citizen, tmp_path, empty_database, object_storage, s3_server
):
    made = dossiers_with_files(citizen, agency, count=2)
    call_command("backup", tmp_path / "backup", verbosity=0)
    assert len(object_storage.keys()) == 3

    url, rows = empty_database
    bucket = f"motcua-restored-{uuid.uuid4().hex[:8]}"
    s3_server.client().create_bucket(Bucket=bucket)
    restore_elsewhere(
        tmp_path / "backup",
        url,
        STORAGE_URL=storage_url(s3_server, bucket, "tinh"),
        STORAGE_ACCESS_KEY=ACCESS_KEY,
        STORAGE_SECRET_KEY=SECRET_KEY,
    )
    client = s3_server.client()
    check_restored(
        made, rows, lambda name: client.get_object(Bucket=bucket, Key=f"tinh/{name}")["Body"].read()
    )


def test_a_restore_refuses_a_storage_or_a_database_that_is_not_empty(
    catalogue, agency, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    dossiers_with_files(citizen, agency, count=1)
    call_command("backup", tmp_path / "backup", verbosity=0)
    with pytest.raises(CommandError, match="storage is not empty"):
        call_command("restore", tmp_path / "backup", verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "other-media"
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", tmp_path / "backup", verbosity=0)
    with pytest.raises(CommandError, match="not empty: a backup goes into a new folder"):
        call_command("backup", tmp_path / "backup", verbosity=0)


def test_a_damaged_backup_is_refused_before_anything_is_written(
    catalogue, agency, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = dossiers_with_files(citizen, agency, count=1)
    call_command("backup", tmp_path / "backup", verbosity=0)
    name = next(iter(made.values())).popitem()[0]
    (tmp_path / "backup" / "files" / name).write_bytes(b"changed")
    settings.MEDIA_ROOT = tmp_path / "other-media"
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", tmp_path / "backup", verbosity=0)
    assert not (tmp_path / "other-media").exists() or not any((tmp_path / "other-media").rglob("*.png"))
