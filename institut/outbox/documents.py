"""Stored documents an e-mail attaches by reference: the row names the document (its source and
id), the sender reads its bytes when it sends.

A document the platform already keeps (an invoice's PDF, a certificate's, an attestation's) is
not copied into the outbox row: the row holds ``{"source", "id", "name", "mimetype"}``, and the
app that owns the document registers, from its AppConfig.ready(), the function that returns its
bytes (``register_document_source``); institut never imports the content apps. The function
may render the document when it is not stored yet (the render task has not run): the e-mail
never goes without it. When it fails, the attempt fails as a refused message does, and the
outbox retries it later, then alerts staff. Rows written before a kind of e-mail moved to
references carry their bytes in ``attachments`` and are sent as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

_sources: dict[str, Callable[[str], bytes]] = {}


@dataclass(frozen=True)
class StoredDocument:
    """A document to attach by reference: ``source`` registered, ``id`` of the document there,
    ``name`` the attachment's file name."""

    source: str
    id: int | str
    name: str
    mimetype: str = "application/pdf"

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "id": str(self.id),
            "name": self.name,
            "mimetype": self.mimetype,
        }


def numbered_pdf(source: str, document, word: str) -> StoredDocument:
    """A numbered document's PDF (an invoice, a certificate), named by ``word`` (translated by
    the caller) and its number: « facture-F-2026-000123.pdf », « certificate-TST-2026-….pdf »."""
    return StoredDocument(
        source=source, id=document.pk, name=f"{slugify(word)}-{document.number}.pdf"
    )


def register_document_source(source: str, read: Callable[[str], bytes]) -> None:
    """Say how to read the bytes of the documents of ``source``, from their id."""
    _sources[source] = read


def stored_file_bytes(model, id: str, *, field: str = "pdf") -> bytes:
    """The bytes of the file ``field`` of the ``model`` row ``id``, for a source whose documents
    are stored when they are issued (an attestation); LookupError when the row or its file is
    missing, so that the attempt fails and is retried rather than sent without it."""
    row = model._default_manager.filter(pk=id).first()
    stored = getattr(row, field) if row is not None else None
    if not stored:
        raise LookupError(f"No stored {field} for {model._meta.label} {id}.")
    with stored.open("rb") as handle:
        return handle.read()


def document_bytes(*, source: str, id: str) -> bytes:
    """The bytes of a stored document; LookupError for a source nobody registered."""
    try:
        read = _sources[source]
    except KeyError:
        raise LookupError(f"No document source {source!r} is registered.") from None
    return read(id)
