"""Backups: a seeded database backed up with `manage.py backup`, restored with `manage.py
restore` into a new database by a separate process, holds the same certificates, invoices and
hours, and the same media files."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from certification import documents
from certification.models import Certificate
from courses.models import Invoice
from institut import backups
from supervision.models import PracticeEntry
from tests.certification.factories import make_certificate
from tests.certification.helpers import approve_practice, make_scheme
from tests.courses.conftest import build_catalogue, build_course
from tests.courses.payments.stripe_standin import pay
from tests.supervision.logbook.helpers import assign

ROOT = Path(__file__).resolve().parents[2]

CERTIFICATES = "SELECT number, status, valid_until FROM certification_certificate ORDER BY number"
INVOICES = "SELECT number, kind, amount_cents, currency FROM courses_invoice ORDER BY number"
HOURS = (
    "SELECT trainee_id, sum(duration_minutes) FROM supervision_practiceentry "
    "WHERE status = 'approved' GROUP BY trainee_id ORDER BY trainee_id"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def seed(trainee, trainer) -> None:
    """A certificate with its PDF, a paid invoice, approved practice hours: the real services."""
    certificate = make_certificate(trainee, scheme=make_scheme())
    documents.certificate_pdf_ensure(certificate_id=certificate.pk)

    course = build_course(
        build_catalogue(), title="Conflits constructifs", lessons=1, price_cents=12000
    )
    pay(Client(), trainee, course, intent="pi_backup")

    assign(trainee, trainer)
    approve_practice(trainee, trainer, steps=["confiance", "conflits"], hours=3.5)
    approve_practice(trainee, trainer, steps=["informations"], hours=2, days=5)


def connect_to(dbname: str) -> dict:
    settings = connection.settings_dict
    return {
        "dbname": dbname,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "autocommit": True,
    }


def read(dbname: str, query: str) -> list[tuple]:
    with psycopg.connect(**connect_to(dbname)) as db:
        return db.execute(query).fetchall()


def database_url(dbname: str) -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{dbname}"


@pytest.fixture
def new_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    with psycopg.connect(**connect_to(connection.settings_dict["NAME"])) as db:
        db.execute(drop)
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**connect_to(connection.settings_dict["NAME"])) as db:
        db.execute(drop)


def restore(archive: Path, dbname: str, media: Path, *extra: str) -> subprocess.CompletedProcess:
    """`manage.py restore` in its own process, configured like a fresh server."""
    env = {**os.environ, "DATABASE_URL": database_url(dbname), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_restores_certificates_invoices_and_hours_into_a_new_database(
    trainee, trainer, media, stripe_api, new_database, tmp_path
):
    seed(trainee, trainer)
    source = connection.settings_dict["NAME"]
    assert Certificate.objects.exclude(pdf="").count() == 1
    assert Invoice.objects.count() == 1
    assert PracticeEntry.objects.approved().count() == 2

    call_command("backup", output_dir=str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("institut-*.tar")
    assert backups.archive_date(archive) is not None

    restored_media = tmp_path / "restored-media"
    done = restore(archive, new_database, restored_media)

    assert done.returncode == 0, done.stderr
    assert f"into the database {new_database}" in done.stdout
    for query in (CERTIFICATES, INVOICES, HOURS):
        assert read(new_database, query) == read(source, query)
    assert read(new_database, HOURS)[0][1] == 330  # 3 h 30 + 2 h
    certificate = Certificate.objects.get()
    copy = restored_media / certificate.pdf.name
    assert copy.read_bytes() == Path(certificate.pdf.path).read_bytes()
    invoice_pdf = Invoice.objects.get().pdf
    assert (restored_media / invoice_pdf.name).read_bytes() == Path(invoice_pdf.path).read_bytes()

    again = restore(archive, new_database, tmp_path / "other-media")
    assert again.returncode != 0
    assert f"The database {new_database} is not empty" in again.stderr
    assert "Nothing restored" in again.stderr


def test_it_refuses_a_backup_without_postgresql(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(backups.BackupError, match="Backups need PostgreSQL"):
        backups.backup_create(directory=tmp_path, database=sqlite)
    assert not list(tmp_path.iterdir())


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    stray = tmp_path / "photo.tar"
    with tarfile.open(stray, "w") as tar:
        tar.add(__file__, "photo.jpg")
    with pytest.raises(CommandError, match="is not a backup of this platform"):
        call_command("restore", str(stray))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar"))


def test_it_refuses_to_write_backups_inside_the_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "institut"}
    with pytest.raises(backups.BackupError, match="is inside MEDIA_ROOT"):
        backups.backup_create(directory=tmp_path / "media" / "backups", database=postgres)
