"""GDPR access and portability (Art. 15 and 20): everything held about a person, in one ZIP.

The archive holds `donnees.json` (for machines: every provider's tables, rows as plain data),
`index.html` (the same, readable, in the person's language) and `fichiers/` (the documents
themselves: attestations, invoices, certificates, application documents, photo).
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from typing import IO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext

from institut.downloads import file_name
from institut.models import User
from institut.privacy.registry import Section, providers

logger = logging.getLogger(__name__)

FORMAT = "institut-personal-data/1"
# Exports are built in memory up to this size, then on disk.
SPOOL_BYTES = 16 * 1024 * 1024


def personal_data(user: User) -> list[Section]:
    """Every provider's section about this person (tables and files)."""
    with translation.override(user.language), timezone.override(user.zone):
        return [provider.section(user) for provider in providers()]


def archive_name(user: User) -> str:
    """« donnees-personnelles-2026-12-06.zip », in the page's language."""
    words = pgettext("nom de fichier", "donnees-personnelles")
    return file_name(words, f"{timezone.localdate():%Y-%m-%d}", extension="zip")


def personal_data_export(*, user: User) -> IO[bytes]:
    """The ZIP of everything held about `user`, as an open file positioned at its start."""
    sections = personal_data(user)
    generated_at = timezone.now()
    document = {
        "format": FORMAT,
        "generated_at": generated_at.isoformat(),
        "sections": {
            section.key: {
                "label": section.label,
                "tables": {t.key: {"label": t.label, "rows": t.rows} for t in section.tables},
                "files": [{"path": f.path, "about": f.about} for f in section.files],
            }
            for section in sections
        },
    }
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        )
        with translation.override(user.language), timezone.override(user.zone):
            archive.writestr(
                "index.html",
                render_to_string(
                    "institut/privacy/export_summary.html",
                    {"person": user, "sections": sections, "generated_at": generated_at},
                ),
            )
        for section in sections:
            for item in section.files:
                try:
                    with item.file.open("rb") as handle:
                        archive.writestr(item.path, handle.read())
                except (FileNotFoundError, OSError):
                    logger.warning("File %s of account %s is missing.", item.file.name, user.pk)
    spool.seek(0)
    return spool
