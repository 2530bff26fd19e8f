"""`manage.py restore FILE`: an archive of `manage.py backup` into the configured database and
media folder (`make restore FILE=…`); refuses a database that is not empty unless --force."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from institut.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into the database of DATABASE_URL "
        "(which must be empty unless --force) and into MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the institut-YYYYMMDD-HHMMSS.tar file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the tables and media files of the same name that already exist",
        )

    def handle(self, *args, archive: str, force: bool, **options):
        try:
            restored = backup_restore(archive=Path(archive), force=force)
        except BackupError as error:
            raise CommandError(f"Nothing restored: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {archive} into the database {restored.database} "
                f"({restored.tables} tables) and {restored.media_files} media files."
            )
        )
        self.stdout.write("Next: python manage.py migrate (if the code is newer than the backup).")
