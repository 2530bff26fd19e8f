"""Backups: the PostgreSQL database (pg_dump, custom format) and the media folder in one dated
archive, and its restoration into an empty database (`make backup`, `make restore FILE=…`).

An archive is a tar file `institut-YYYYMMDD-HHMMSS.tar` (UTC) holding `manifest.json`,
`database.dump` and `media/`. It is written under a temporary name and renamed once complete, so
a backup cut short never looks like one; a restore checks everything before it writes anything,
and restores the database in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

PREFIX = "institut-"
STAMP = "%Y%m%d-%H%M%S"
DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    database: str
    tables: int
    media_files: int


def _database(database: dict | None) -> dict:
    database = database or settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError(
            "Backups need PostgreSQL: DATABASE_URL points at "
            f"{database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})."
        )
    return database


def _pg_env(database: dict) -> dict[str, str]:
    """libpq's variables for this database (the password never goes on a command line)."""
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command: list[str], database: dict) -> str:
    try:
        done = subprocess.run(
            command, env=_pg_env(database), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client "
            "(apt-get install postgresql-client) of the server's major version or newer."
        ) from missing
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{done.stderr.strip()}")
    return done.stdout


def _media_root() -> Path | None:
    """The local media folder, or None when media live in object storage."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_date(path: Path) -> datetime | None:
    """When the archive was made, from its name (None for any other file)."""
    if not (path.name.startswith(PREFIX) and path.name.endswith(".tar")):
        return None
    try:
        stamp = datetime.strptime(path.name[len(PREFIX) : -len(".tar")], STAMP)
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC)


def backup_create(*, directory: Path, database: dict | None = None) -> Path:
    """Write a dated archive of the database and the media folder into `directory`."""
    database = _database(database)
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    archive = directory / f"{PREFIX}{now.astimezone(UTC):{STAMP}}.tar"
    if archive.exists():
        raise BackupError(f"{archive} already exists: wait a second and try again.")
    media = _media_root()
    if media and directory.resolve().is_relative_to(media.resolve()):
        raise BackupError(f"{directory} is inside MEDIA_ROOT ({media}): choose another folder.")
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(dump)], database)
        manifest = {
            "created_at": now.isoformat(),
            "database": database["NAME"],
            "pg_dump": _run(["pg_dump", "--version"], database).strip(),
            "database_sha256": _sha256(dump),
            "media": "included" if media else "object storage (not in this archive)",
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = Path(work) / archive.name
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(work) / MANIFEST, MANIFEST)
            tar.add(dump, DUMP)
            if media and media.is_dir():
                tar.add(media, MEDIA)
        os.replace(partial, archive)
    return archive


def backups_prune(*, directory: Path, keep_days: int) -> list[Path]:
    """Delete the archives of `directory` older than `keep_days` days; returns them."""
    limit = timezone.now() - timedelta(days=keep_days)
    old = [
        path
        for path in sorted(directory.glob(f"{PREFIX}*.tar"))
        if (made := archive_date(path)) is not None and made < limit
    ]
    for path in old:
        path.unlink()
    return old


def _tables(database: dict) -> int:
    out = _run(
        ["psql", "-XAtc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"], database
    )
    return int(out.strip())


def _manifest(archive: Path) -> dict:
    """The archive's manifest, once it is known to hold a database dump."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        with tarfile.open(archive) as tar:
            tar.getmember(DUMP)
            return json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, ValueError, TypeError) as error:
        raise BackupError(f"{archive} is not a backup of this platform ({error}).") from error


def backup_restore(*, archive: Path, force: bool = False, database: dict | None = None) -> Restored:
    """Restore an archive into the configured database and media folder.

    Refuses a database that already has tables, and media files that would be overwritten,
    unless `force` (then the archive's tables and files replace those of the same name).
    """
    manifest = _manifest(archive)
    database = _database(database)
    with tempfile.TemporaryDirectory(prefix="institut-restore-") as work:
        tables = _tables(database)
        if tables and not force:
            raise BackupError(
                f"The database {database['NAME']} is not empty ({tables} tables): restoring "
                "would overwrite it. Restore into a new, empty database (createdb, then point "
                "DATABASE_URL at it), or pass --force (make restore FORCE=1) to replace it."
            )
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        dump = Path(work) / DUMP
        if _sha256(dump) != manifest.get("database_sha256"):
            raise BackupError(f"{archive} is damaged: its database dump does not match.")
        media = _media_root()
        files = [p for p in (Path(work) / MEDIA).rglob("*") if p.is_file()]
        if files and media is None:
            raise BackupError(
                "The archive holds media files but media live in object storage here: "
                "restore them into the bucket by hand, from the archive's media/ folder."
            )
        if files and not force:
            clashes = [p for p in files if (media / p.relative_to(Path(work) / MEDIA)).exists()]
            if clashes:
                raise BackupError(
                    f"{len(clashes)} media files already exist in {media} (such as "
                    f"{clashes[0].relative_to(Path(work) / MEDIA)}): pass --force to replace "
                    "them, or restore into an empty MEDIA_ROOT."
                )
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--single-transaction", f"--dbname={database['NAME']}"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, str(dump)], database)
        if files:
            shutil.copytree(Path(work) / MEDIA, media, dirs_exist_ok=True)
    return Restored(database=database["NAME"], tables=_tables(database), media_files=len(files))
