"""Files the platform hands over, downloaded under the name they should keep."""

from __future__ import annotations

from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils.text import slugify


def attachment(file: FieldFile | IO[bytes], filename: str, content_type: str | None = None):
    """The file, downloaded as `filename` (the type guessed from the name when not given)."""
    if isinstance(file, FieldFile):
        file = file.open("rb")
    return FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)


def pdf_attachment(document, name: str) -> FileResponse:
    """A numbered document's PDF (invoice, certificate, attestation), downloaded as `name`: the
    name its e-mail attachment has, in the request's language (numbered_pdf in
    institut.outbox.documents: « certificat-TST-2026-7K3M9Q.pdf »)."""
    return attachment(document.pdf, name, "application/pdf")


def file_name(*parts: object, extension: str) -> str:
    """A download's name in the page's language: the parts (words the caller translated, dates,
    numbers) slugified and joined by hyphens, « satisfaction-a-chaud-session-12.csv »,
    « satisfaction-hot-session-12.csv »."""
    return "-".join(slugify(str(part)) for part in parts) + f".{extension}"
