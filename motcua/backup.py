"""Backup and restore of the database and the files together: `manage.py backup DIR`, `restore DIR`.

A backup is a folder:

    manifest.json      what is in it: the database's engine, dump file, size and SHA-256; the rows of
                       every table at backup time; every file's name, size and SHA-256
    database.dump      PostgreSQL: `pg_dump --format=custom` (restored with pg_restore)
    database.sqlite3   SQLite: a consistent copy through SQLite's online backup API
    files/...          every file of the storage (the media folder or the bucket), by its name

The database is copied first, then the files: a file uploaded meanwhile is extra, never missing for a row.
A restore goes only into an empty database and an empty storage, and checks every file's SHA-256 against
the manifest as it writes it, then counts the rows again. This module imports no app (it walks the
registry) and is used by the commands in motcua/portal/management/commands.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import storages
from django.db import connections

from motcua.storage import sha256_of, walk

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts(using: str = "default") -> dict[str, int]:
    """Rows of every table Django manages (concrete, non-proxy models), by model label."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        counts[meta.label_lower] = model._base_manager.using(using).count()
    return dict(sorted(counts.items()))


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[:2000]}")


def _dump_database(target: Path, using: str) -> dict:
    connection = connections[using]
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        path = target / "database.dump"
        _run(
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-acl",
                "--file",
                str(path),
                settings_dict["NAME"],
            ],
            _pg_env(settings_dict),
        )
        engine = "postgresql"
    elif connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        engine = "sqlite"
    else:
        raise BackupError(f"no backup for the {connection.vendor} engine")
    return {"engine": engine, "file": path.name, "size": path.stat().st_size, "sha256": _sha256_file(path)}


def backup(target: Path, *, using: str = "default", storage_alias: str = "default") -> dict:
    """Write a backup into `target` (a new or empty folder) and return its manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    counts = row_counts(using)
    database = _dump_database(target, using)
    storage = storages[storage_alias]
    files, total = [], 0
    folder = target / "files"
    for name in walk(storage):
        destination = folder / name
        if ".." in Path(name).parts:
            raise BackupError(f"refusing the stored name {name!r}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as source, destination.open("wb") as copy:
            for chunk in iter(lambda source=source: source.read(CHUNK), b""):
                digest.update(chunk)
                copy.write(chunk)
                size += len(chunk)
        files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
        total += size
    manifest = {
        "format": FORMAT,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {**database, "rows": counts},
        "files": {"count": len(files), "bytes": total, "items": files},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(source: Path) -> dict:
    path = Path(source) / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{path} is missing: not a motcua backup")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r}; this motcua reads {FORMAT}")
    return manifest


def _database_is_empty(using: str) -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(source: Path, database: dict, using: str) -> None:
    path = source / database["file"]
    if _sha256_file(path) != database["sha256"]:
        raise BackupError(f"{path.name} does not match its SHA-256 in the manifest")
    connection = connections[using]
    if database["engine"] != connection.vendor:
        raise BackupError(f"a {database['engine']} backup cannot go into {connection.vendor}")
    if not _database_is_empty(using):
        raise BackupError("the database is not empty: restore into a new, empty database")
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                settings_dict["NAME"],
                str(path),
            ],
            _pg_env(settings_dict),
        )
    else:
        connection.close()
        original = sqlite3.connect(path)
        restored = sqlite3.connect(settings_dict["NAME"])
        try:
            original.backup(restored)
        finally:
            original.close()
            restored.close()


def restore(source: Path, *, using: str = "default", storage_alias: str = "default") -> dict:
    """Restore a backup into an empty database and an empty storage; return what was checked."""
    source = Path(source)
    manifest = read_manifest(source)
    storage = storages[storage_alias]
    if next(iter(walk(storage)), None) is not None:
        raise BackupError("the storage is not empty: restore into a new folder or bucket")
    items = manifest["files"]["items"]
    for item in items:  # every file is whole before anything is written
        path = source / "files" / item["name"]
        if not path.is_file() or _sha256_file(path) != item["sha256"]:
            raise BackupError(f"files/{item['name']} is missing or does not match the manifest")
    _restore_database(source, manifest["database"], using)
    for item in items:
        with (source / "files" / item["name"]).open("rb") as handle:
            saved = storage.save(item["name"], File(handle, name=item["name"]))
        if saved != item["name"]:
            raise BackupError(f"{item['name']} was stored as {saved}")
    mismatched = [
        item["name"] for item in items if sha256_of(storage, item["name"]) != (item["sha256"], item["size"])
    ]
    if mismatched:
        raise BackupError(f"{len(mismatched)} file(s) differ after the restore: {', '.join(mismatched[:10])}")
    counts = row_counts(using)
    differ = {
        label: (n, counts.get(label))
        for label, n in manifest["database"]["rows"].items()
        if counts.get(label) != n
    }
    return {
        "rows": counts,
        "rows_differing": differ,
        "files": len(items),
        "bytes": manifest["files"]["bytes"],
    }
