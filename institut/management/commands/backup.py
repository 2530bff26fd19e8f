"""`manage.py backup`: the database and the media folder in one dated archive (`make backup`)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from institut.backups import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = (
        "Write institut-YYYYMMDD-HHMMSS.tar (pg_dump in custom format and the media folder) "
        "into a folder; optionally delete the archives there older than some days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", help="folder of the archives")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="then delete the archives of that folder older than this many days",
        )

    def handle(self, *args, output_dir: str, keep_days: int | None, **options):
        directory = Path(output_dir)
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days must be at least 1 (today's archive is kept).")
        try:
            archive = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
        size = archive.stat().st_size / 1_000_000
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive} ({size:.1f} MB)"))
        if keep_days is not None:
            for old in backups_prune(directory=directory, keep_days=keep_days):
                self.stdout.write(f"Deleted (older than {keep_days} days): {old}")
